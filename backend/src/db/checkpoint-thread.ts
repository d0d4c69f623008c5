// The checkpoint thread (see checkpointer.ts): copies the WAL's pages into the database file with
// a connection of its own, so no commit of the server's connection ever does it on the request
// thread. An error here ends the thread; the server then checkpoints in its commits again.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { CheckpointThreadData } from './checkpointer.js';

/** Uncheckpointed frames (pages) past which a PASSIVE checkpoint runs: SQLite's own default. */
const PASSIVE_FRAMES = 1000;
const TICK_MS = 100;
/** No change to the -wal file for this long: the server is quiet, the WAL is emptied. */
const QUIET_MS = 1000;
/** After a RESTART or TRUNCATE that a reader held up, the next one waits this long. */
const RETRY_MS = 1000;
/**
 * How long a RESTART or TRUNCATE waits for the server's write to end, and then for readers to leave the WAL.
 * It holds the write lock meanwhile: the server's writes wait (off the event loop, busy.ts) at
 * most this long plus the checkpoint's own few milliseconds.
 */
const LOCK_WAIT_MS = 50;

const { file, walLimitBytes } = workerData as CheckpointThreadData;
const wal = `${file}-wal`;
const db = new SqliteDatabase(file, { fileMustExist: true });
db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);

type Mode = 'PASSIVE' | 'RESTART' | 'TRUNCATE';
/** Whether the checkpoint got everything done (false: a writer or a reader was in the way). */
const checkpoint = (mode: Mode) =>
  (db.pragma(`wal_checkpoint(${mode})`) as { busy: number }[])[0].busy === 0;

// The wal-index header in the -shm file (https://sqlite.org/walformat.html), native byte order:
// iVersion at 0, szPage at 14 (1 for 65536), mxFrame (frames in the log) at 16, nBackfill (frames
// already checkpointed) at 96.
const WAL_INDEX_VERSION = 3007000;
const FRAME_HEADER_BYTES = 24;
const header = Buffer.alloc(100);
const le = endianness() === 'LE';
const u32 = (at: number) => (le ? header.readUInt32LE(at) : header.readUInt32BE(at));
const u16 = (at: number) => (le ? header.readUInt16LE(at) : header.readUInt16BE(at));

/** The log's frames and their bytes; undefined when the -shm cannot be read as expected. */
function walIndex(): { waiting: number; logBytes: number } | undefined {
  let fd: number;
  try {
    fd = openSync(`${file}-shm`, 'r');
  } catch {
    return undefined;
  }
  try {
    if (readSync(fd, header, 0, header.length, 0) < header.length) return undefined;
  } finally {
    closeSync(fd);
  }
  if (u32(0) !== WAL_INDEX_VERSION) return undefined;
  const pageSize = u16(14) === 1 ? 65536 : u16(14);
  return { waiting: u32(16) - u32(96), logBytes: u32(16) * (pageSize + FRAME_HEADER_BYTES) };
}

let lastSeen = '';
let changedAt = performance.now();
let retryAfter = 0;

function tick(): void {
  let size = 0;
  let seen = '';
  try {
    const stat = statSync(wal);
    size = stat.size;
    seen = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    // no -wal file: nothing to do
  }
  const now = performance.now();
  if (seen !== lastSeen) {
    lastSeen = seen;
    changedAt = now;
  }
  if (size === 0) return;
  const index = walIndex();
  const quiet = now - changedAt >= QUIET_MS;
  // once the log has restarted, the file is longer than the log in it
  if ((quiet || (index?.logBytes ?? size) > walLimitBytes) && now >= retryAfter) {
    // The log starts again from the file's start only once every frame is checkpointed while
    // nobody writes: under a steady stream of writes only a RESTART or TRUNCATE (which take the
    // write lock) gets there. The PASSIVE first copies the bulk without the lock, so the lock is
    // held for little. Under load RESTART: the file is written over in place, not grown again;
    // when quiet TRUNCATE: its space goes back to the disk.
    checkpoint('PASSIVE');
    retryAfter = checkpoint(quiet || !index ? 'TRUNCATE' : 'RESTART') ? 0 : now + RETRY_MS;
    return;
  }
  // unreadable -shm: checkpoint on every tick that finds the WAL changed (cheap when it has not)
  if (index ? index.waiting >= PASSIVE_FRAMES : changedAt === now) checkpoint('PASSIVE');
}

const timer = setInterval(tick, TICK_MS);
parentPort!.postMessage('ready');
parentPort!.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
