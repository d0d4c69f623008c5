import { performance } from 'node:perf_hooks';
import { isDatabaseBusy } from '../db/busy.js';
import { shouldHandBack } from '../db/leases.js';
import { isDatabaseUnreachable } from '../db/unreachable.js';
import { PollLoop } from '../db/poll-loop.js';
import type { AppWork } from '../modules/events/domain-events.js';
import {
  claimDue,
  deadLetter,
  enqueue,
  releaseJobs,
  type NewJob,
  type OutboxJob,
} from './outbox.repo.js';
import { canRetry, retryLater, type JobDeps, type Settlement } from './jobs/job.js';
import { parseJob, type JobKind, type TypedJob } from './jobs/payloads.js';
import { receiptJob } from './jobs/receipt.js';
import { replyJob } from './jobs/reply.js';
import { sendJob } from './jobs/send.js';

/** The most jobs one claim takes (one transaction for all of them). */
export const CLAIM_LIMIT = 100;
/**
 * About how long one claim's jobs take to run, by their recent duration: the sandbox's take well
 * under a millisecond (a claim takes CLAIM_LIMIT), a slow provider's a few hundred (a claim takes
 * one or two), so those wait in the queue, where another worker may take them, not in this
 * worker's batch.
 */
const BATCH_TARGET_MS = 250;
/** A slice ends after this long (or SLICE_JOBS jobs): its settlements commit, the event loop turns. */
export const SLICE_MS = 4;
const SLICE_JOBS = 50;
/** A nudge waits this long for the rest of a burst, so one claim takes several jobs. */
const NUDGE_COALESCE_MS = 5;
/**
 * How often a claim also looks for jobs a dead worker abandoned (they are due only once their
 * lease, 30 s by default, has run out): not every claim pays for that lookup.
 */
const ABANDONED_CHECK_MS = 1000;

/** A claimed job, its payload as read (undefined when unreadable), and how its attempt settles. */
interface Attempted {
  row: OutboxJob;
  job: TypedJob | undefined;
  settle: Settlement;
}

/**
 * Drains the outbox on the shared poll loop in batches: one transaction claims up to CLAIM_LIMIT
 * due jobs, which then run in slices of a few milliseconds. Each job runs by its kind (jobs/send.ts,
 * reply.ts, receipt.ts) and returns its settlement; a slice's settlements commit together in one
 * unit of work, then the event loop gets a turn. A job that throws is retried with backoff like a
 * transient provider error, then dead-lettered. Jobs not started by half their lease, or when the
 * worker stops, go back to the queue, so no claim outlives its lease while waiting its turn and
 * a node shutting down leaves its jobs to the others at once.
 *
 * Not a worker_thread: the jobs use the channel registry (with its injectable DNS resolver), the
 * metrics and the unit of work whose domain events the publisher and the event webhooks take in
 * this thread; slices keep the event loop free instead.
 */
export class OutboxWorker extends PollLoop {
  /** When a claim last looked for abandoned jobs (real time: a test's clock may stand still). */
  private abandonedCheckedAt = -Infinity;
  /** The batch in hand: a drain and the loop's round take turns, never interleave. */
  private inHand: Promise<unknown> = Promise.resolve();
  /** How long an attempt has taken lately (a moving average, in ms). */
  private attemptMs = 1;
  /** The jobs the attempt in hand queued (see `enqueue`), while one is in hand. */
  private spawned: NewJob<JobKind>[] | undefined;

  constructor(private readonly deps: JobDeps) {
    super({
      pollMs: deps.config.pollMs,
      log: deps.log,
      name: 'outbox',
      coalesceMs: NUDGE_COALESCE_MS,
    });
  }

  protected override round(): Promise<number> {
    return this.runBatch();
  }

  /** Processes every job that is due now; returns how many ran. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const ran = await this.runBatch();
      if (ran === 0) return n;
      n += ran;
    }
  }

  /**
   * Queues a job. One queued by the attempt in hand (the sandbox's delivery receipt, asked for
   * while it sends) is committed with that attempt's settlement, so it exists exactly when the
   * send is recorded; any other at once.
   */
  async enqueue<K extends JobKind>(job: NewJob<K>): Promise<void> {
    if (this.spawned) this.spawned.push(job);
    else await enqueue(this.deps.db, job);
  }

  /** Runs one batch after the one in hand; returns how many jobs it claimed. */
  private runBatch(): Promise<number> {
    const batch = this.inHand.then(() => this.claimAndRun());
    this.inHand = batch.catch(() => undefined);
    return batch;
  }

  /** Claims a batch and runs it slice by slice; returns how many jobs it claimed. */
  private async claimAndRun(): Promise<number> {
    const { db, clock, config } = this.deps;
    const claimedAt = clock();
    const abandoned = performance.now() - this.abandonedCheckedAt >= ABANDONED_CHECK_MS;
    if (abandoned) this.abandonedCheckedAt = performance.now();
    const limit = Math.max(1, Math.min(CLAIM_LIMIT, Math.floor(BATCH_TARGET_MS / this.attemptMs)));
    const jobs = await claimDue(db, { now: claimedAt, leaseMs: config.leaseMs, limit, abandoned });
    let next = 0;
    const lease = {
      clock,
      claimedAt,
      leaseMs: config.leaseMs,
      stopping: () => this.stopping,
    };
    while (next < jobs.length) {
      if (shouldHandBack(lease)) {
        await releaseJobs(db, jobs.slice(next), clock());
        break;
      }
      const started = performance.now();
      const slice: Attempted[] = [];
      do {
        const began = performance.now();
        slice.push(await this.attempt(jobs[next++]));
        this.attemptMs = 0.8 * this.attemptMs + 0.2 * (performance.now() - began);
      } while (
        next < jobs.length &&
        slice.length < SLICE_JOBS &&
        performance.now() - started < SLICE_MS
      );
      await this.settle(slice);
      // the API's requests get their turn between slices
      if (next < jobs.length) await new Promise((resolve) => setImmediate(resolve));
    }
    return jobs.length;
  }

  private async attempt(row: OutboxJob): Promise<Attempted> {
    const { clock, log } = this.deps;
    const job = parseJob(row.kind, row.payload_json);
    // a kind or payload this version cannot read will not become readable by waiting
    if ('error' in job) {
      return { row, job: undefined, settle: (w) => deadLetter(w.db, row.id, job.error, clock()) };
    }
    const spawned: NewJob<JobKind>[] = [];
    this.spawned = spawned;
    try {
      const settle = await run(this.deps, row, job);
      if (spawned.length === 0) return { row, job, settle };
      return {
        row,
        job,
        settle: async (w) => {
          await settle(w);
          for (const s of spawned) await enqueue(w.db, s);
        },
      };
    } catch (err) {
      // our own failure (not the provider's): retried later like a transient provider error
      log.error({ err, jobId: row.id }, 'outbox job failed');
      return { row, job, settle: this.retryOrGiveUp(row, job, String(err)) };
    } finally {
      this.spawned = undefined;
    }
  }

  /** One commit for the slice; when one settlement fails, each is committed again on its own. */
  private async settle(slice: Attempted[]): Promise<void> {
    const { uow } = this.deps;
    try {
      await uow.run(async (w) => {
        for (const a of slice) await a.settle(w);
      });
      return;
    } catch (err) {
      // the lock is another process's, or the database is gone: no settlement would do better alone
      if (isDatabaseBusy(err) || isDatabaseUnreachable(err)) throw err;
    }
    for (const a of slice) {
      try {
        await uow.run(a.settle);
      } catch (err) {
        if (isDatabaseBusy(err) || isDatabaseUnreachable(err) || !a.job) throw err;
        this.deps.log.error({ err, jobId: a.row.id }, 'outbox job failed to settle');
        await uow.run(this.retryOrGiveUp(a.row, a.job, String(err)));
      }
    }
  }

  private retryOrGiveUp(row: OutboxJob, job: TypedJob, error: string): Settlement {
    return async (w) => {
      if (canRetry(this.deps, row)) return retryLater(w.db, this.deps, row, job.payload, error);
      await giveUp(w, this.deps, job, error);
      await deadLetter(w.db, row.id, error, this.deps.clock());
    };
  }
}

function run(deps: JobDeps, row: OutboxJob, job: TypedJob): Promise<Settlement> {
  switch (job.kind) {
    case 'send':
      return sendJob.run(deps, row, job.payload);
    case 'reply':
      return replyJob.run(deps, row, job.payload);
    case 'receipt':
      return receiptJob.run(deps, row, job.payload);
  }
}

/** What else fails with a job given up after its last attempt: an invite fails its transaction. */
async function giveUp(w: AppWork, deps: JobDeps, job: TypedJob, error: string): Promise<void> {
  if (job.kind === 'send') await sendJob.giveUp(w, deps, job.payload, error);
}
