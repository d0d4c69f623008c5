import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { fromThreadError, type ThreadError } from './thread-error.js';
import type { ExportRequest } from './exports.js';

export type ExportMessage =
  { id: number; start: ExportRequest } | { id: number; next: true } | { id: number; cancel: true };
export type ExportReply =
  { id: number; chunk: Uint8Array; done: boolean } | { id: number; error: ThreadError };

interface Open {
  stream: Readable;
  /** A chunk is asked for and not yet here: at most one at a time per export. */
  waiting: boolean;
  /** Settles `stream()`'s promise on the first reply. */
  started?: { resolve: () => void; reject: (err: unknown) => void };
}

/**
 * Exports (long: up to millions of rows) on a thread of their own, apart from the query threads so
 * that one export never waits behind, nor holds up, the short dashboard reads. The worker reads
 * and formats; this thread only hands its chunks to the response. A chunk is asked for when the
 * response wants more (backpressure), and an export whose response closes early is cancelled.
 * The thread starts on first use.
 */
export class ExportThread {
  private worker: Worker | undefined;
  private readonly open = new Map<number, Open>();
  private nextId = 1;

  constructor(private readonly opts: { file: string; log: Logger }) {}

  /**
   * The export as a byte stream, once its first chunk is read: an error before any byte (a busy
   * database) rejects here and becomes the HTTP error; a later one ends the response early.
   */
  stream(request: ExportRequest): Promise<Readable> {
    const id = this.nextId++;
    const worker = this.thread();
    return new Promise<Readable>((resolve, reject) => {
      const entry: Open = {
        waiting: true,
        started: { resolve: () => resolve(entry.stream), reject },
        stream: new Readable({
          read: () => {
            // not while a chunk is on its way, nor once the worker has sent the last one
            if (entry.waiting || !this.open.has(id)) return;
            entry.waiting = true;
            worker.postMessage({ id, next: true } satisfies ExportMessage);
          },
          destroy: (err, callback) => {
            // still open on the worker: the client left (or c2m is closing), stop reading
            if (this.open.delete(id))
              worker.postMessage({ id, cancel: true } satisfies ExportMessage);
            entry.started?.reject(err ?? new Error('export closed before it started'));
            callback(err);
          },
        }),
      };
      this.open.set(id, entry);
      worker.postMessage({ id, start: request } satisfies ExportMessage);
    });
  }

  async close(): Promise<void> {
    for (const { stream } of this.open.values()) stream.destroy();
    await this.worker?.terminate();
  }

  private onReply(reply: ExportReply): void {
    const entry = this.open.get(reply.id);
    if (!entry) return; // cancelled before its chunk arrived
    const started = entry.started;
    entry.started = undefined;
    entry.waiting = false;
    if ('error' in reply) {
      this.open.delete(reply.id);
      const err = fromThreadError(reply.error);
      settle(entry, started, err);
      return;
    }
    if (reply.done) this.open.delete(reply.id);
    const { buffer, byteOffset, byteLength } = reply.chunk;
    if (byteLength > 0) entry.stream.push(Buffer.from(buffer, byteOffset, byteLength));
    if (reply.done) entry.stream.push(null);
    started?.resolve();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: { module: './export-worker.ts', file: this.opts.file },
    });
    worker.unref();
    worker.on('message', (reply: ExportReply) => this.onReply(reply));
    // a thread that dies ends the exports it was serving; the next export starts a new one
    worker.on('error', (err) => {
      this.opts.log.error({ err }, 'export thread failed');
      this.worker = undefined;
      for (const [id, entry] of this.open) {
        this.open.delete(id);
        settle(entry, entry.started, err);
      }
    });
    this.worker = worker;
    return worker;
  }
}

/** An error before the first chunk rejects `stream()`; after it, it ends the response early. */
function settle(entry: Open, started: Open['started'], err: unknown): void {
  if (!started) return void entry.stream.destroy(err as Error);
  entry.started = undefined;
  started.reject(err);
  entry.stream.destroy(); // nobody holds it yet: no 'error' event without a listener
}
