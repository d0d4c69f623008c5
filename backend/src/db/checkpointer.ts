import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';
import type { Logger } from 'pino';

/** What the checkpoint thread is started with. */
export interface CheckpointThreadData {
  file: string;
  /** Past this size of the -wal file the thread empties it, holding writes for a few ms. */
  walLimitBytes: number;
}

/** SQLite's default: a commit that leaves this many pages in the WAL checkpoints them itself. */
const AUTOCHECKPOINT_PAGES = 1000;
/** How long close() lets the thread finish its checkpoint before stopping it outright. */
const STOP_GRACE_MS = 5000;

/**
 * WAL checkpoints off the request thread. By default a commit that leaves 1000 pages in the WAL
 * copies them into the database file there and then: on the server that stopped the event loop a
 * few milliseconds (up to hundreds, with the disk's sync) several times a second under load. The
 * server's connection no longer checkpoints (`wal_autocheckpoint = 0`); a thread with its own
 * connection does: PASSIVE (never in a writer's way) once 1000 pages wait, and TRUNCATE (briefly
 * holding the write lock) when the -wal file passes `walLimitBytes` or writes stop for a second.
 * If the thread dies, the server's connection checkpoints in its commits again, as before.
 */
export class Checkpointer {
  /** The thread while it runs (tests stop it to see the fallback). Its first message: ready. */
  thread: Worker | undefined;
  private stopping = false;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    data: CheckpointThreadData,
    private readonly log: Logger,
  ) {
    // workers do not inherit the main thread's tsx: the reporting threads' entry loads it
    const thread = new Worker(new URL('../modules/reporting/worker-entry.mjs', import.meta.url), {
      workerData: { module: new URL('./checkpoint-thread.ts', import.meta.url).href, ...data },
    });
    thread.unref();
    // the commits checkpoint until the thread does: no moment without checkpoints
    thread.once('message', () => {
      if (this.thread && this.sqlite.open) this.sqlite.pragma('wal_autocheckpoint = 0');
    });
    thread.on('error', (err) => log.error({ err }, 'WAL checkpoint thread failed'));
    thread.once('exit', (code) => {
      this.thread = undefined;
      if (this.stopping) return;
      log.error({ code }, 'WAL checkpoint thread ended: checkpoints are back in the commits');
      if (this.sqlite.open) this.sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
    this.thread = thread;
  }

  /** Ends the thread (after its current checkpoint); the last connection's close empties the WAL. */
  async stop(): Promise<void> {
    this.stopping = true;
    const thread = this.thread;
    if (!thread) return;
    const exited = new Promise((resolve) => thread.once('exit', resolve));
    thread.postMessage('stop');
    const grace = setTimeout(() => {
      this.log.warn('WAL checkpoint thread did not stop in time: terminated');
      void thread.terminate();
    }, STOP_GRACE_MS);
    await exited.finally(() => clearTimeout(grace));
  }
}
