import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { IvrErrorCode } from '../../../contract/errors.js';
import { AppError } from '../../errors.js';
import { queryAnalytics } from './analytics.query.js';
import { ExportThread } from './export-thread.js';
import type { ExportRequest } from './exports.js';
import { queryDimensions } from './dimensions.query.js';
import { queryTransactions } from './transactions.query.js';
import { fromThreadError, type ThreadError } from './thread-error.js';

/** The reads that run off the request thread: each takes the database first, then plain data. */
export const QUERIES = {
  analytics: queryAnalytics,
  dimensions: queryDimensions,
  transactions: queryTransactions,
};
export type QueryName = keyof typeof QUERIES;
type ArgsOf<N extends QueryName> =
  Parameters<(typeof QUERIES)[N]> extends [unknown, ...infer Rest] ? Rest : never;
type ResultOf<N extends QueryName> = Awaited<ReturnType<(typeof QUERIES)[N]>>;

export interface QueryMessage {
  id: number;
  name: QueryName;
  args: unknown[];
}
export type QueryReply = { id: number; result: unknown } | { id: number; error: ThreadError };

interface Job {
  id: number;
  accountId: string;
  name: QueryName;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface Thread {
  worker: Worker;
  job: Job | undefined;
}

/** 429 when one account already has its share of heavy reads running or waiting. */
const tooManyReads = () =>
  new AppError(
    429,
    IvrErrorCode.rateLimited,
    'Too many reports are running for this account; retry when one has finished',
    { 'Retry-After': '1' },
  );

const shuttingDown = () =>
  new AppError(503, IvrErrorCode.unavailable, 'c2m is shutting down; retry shortly', {
    'Retry-After': '1',
  });

/**
 * Heavy reads (analytics, transactions, dimensions) on 1–2 worker threads, each with its own
 * read-only connection, so they never hold the event loop that answers the IVR API. Each account
 * may have at most `perAccount` reads (and exports, through `admit`) running or queued; more are
 * a 429. Waiting jobs are served round-robin by account, so one account's queue cannot delay
 * another's by more than one job per thread. Threads start on first use.
 */
export class QueryPool {
  private readonly threads: Thread[] = [];
  /** Waiting jobs per account; the Map's order is the round-robin order. */
  private readonly waiting = new Map<string, Job[]>();
  private readonly held = new Map<string, number>();
  private readonly exports: ExportThread;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly opts: { file: string; threads: number; perAccount: number; log: Logger },
  ) {
    this.exports = new ExportThread(opts);
  }

  /** Runs `name` for `accountId` on a worker thread; rejects with 429 past the account's share. */
  run<N extends QueryName>(accountId: string, name: N, ...args: ArgsOf<N>): Promise<ResultOf<N>> {
    const release = this.admit(accountId);
    return new Promise<unknown>((resolve, reject) => {
      const job = { id: this.nextId++, accountId, name, args, resolve, reject };
      this.waiting.set(accountId, [...(this.waiting.get(accountId) ?? []), job]);
      this.dispatch();
    }).finally(release) as Promise<ResultOf<N>>;
  }

  /**
   * Streams an export from the export thread, counted against the account's share until the
   * stream closes (its end, an error, or the client leaving); 429 past the share.
   */
  async export(request: ExportRequest): Promise<Readable> {
    if (this.closed) throw shuttingDown();
    const release = this.admit(request.accountId);
    try {
      return (await this.exports.stream(request)).once('close', release);
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * Counts one heavy read of `accountId` (a query here, or an export streamed elsewhere) against
   * its share; throws 429 past it. Returns the function that gives the place back (call it once).
   */
  admit(accountId: string): () => void {
    const count = this.held.get(accountId) ?? 0;
    if (count >= this.opts.perAccount) throw tooManyReads();
    this.held.set(accountId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(accountId) ?? 1) - 1;
      if (left > 0) this.held.set(accountId, left);
      else this.held.delete(accountId);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const jobs of this.waiting.values()) {
      for (const job of jobs) job.reject(shuttingDown());
    }
    this.waiting.clear();
    await Promise.all([...this.threads.map((t) => t.worker.terminate()), this.exports.close()]);
  }

  private dispatch(): void {
    while (!this.closed && this.waiting.size > 0) {
      const thread = this.idleThread();
      if (!thread) return;
      // the account at the head of the rotation gives one job, then goes to the back
      const [accountId, jobs] = this.waiting.entries().next().value!;
      const job = jobs.shift()!;
      this.waiting.delete(accountId);
      if (jobs.length) this.waiting.set(accountId, jobs);
      thread.job = job;
      thread.worker.postMessage({
        id: job.id,
        name: job.name,
        args: job.args,
      } satisfies QueryMessage);
    }
  }

  private idleThread(): Thread | undefined {
    const idle = this.threads.find((t) => !t.job);
    if (idle || this.threads.length >= this.opts.threads) return idle;
    const thread: Thread = {
      worker: new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { module: './query-worker.ts', file: this.opts.file },
      }),
      job: undefined,
    };
    thread.worker.unref();
    thread.worker.on('message', (reply: QueryReply) => {
      const job = thread.job;
      thread.job = undefined;
      if (job && job.id === reply.id) {
        if ('result' in reply) job.resolve(reply.result);
        else job.reject(fromThreadError(reply.error));
      }
      this.dispatch();
    });
    // a thread that dies takes its job with it; the next job starts a new thread
    thread.worker.on('error', (err) => {
      this.opts.log.error({ err }, 'report query thread failed');
      thread.job?.reject(err);
      this.threads.splice(this.threads.indexOf(thread), 1);
      this.dispatch();
    });
    this.threads.push(thread);
    return thread;
  }
}
