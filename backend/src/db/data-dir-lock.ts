import { join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { StartupError } from '../startup-error.js';

/**
 * The embedded default (SQLite, no Redis) is one server process per data dir: a second one would
 * keep its own rate limits, nonces and live events and fight the first for the write lock. Each
 * server holds an exclusive SQLite lock on `c2m.lock` in the data dir for as long as it runs; the
 * operating system lets go of it when the process dies, so a crash leaves nothing to clean up.
 * The CLI does not take it: it is meant to run beside the server.
 */
export interface DataDirLock {
  release(): void;
}

export const lockFile = (dataDir: string): string => join(dataDir, 'c2m.lock');

export function lockDataDir(dataDir: string): DataDirLock {
  const file = lockFile(dataDir);
  const handle = new SqliteDatabase(file, { timeout: 0 });
  try {
    handle.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    handle.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new StartupError(
      `C2M_DATA_DIR (${resolve(dataDir)}): another c2m is already running on this data dir; ` +
        'stop it first, or give this one its own C2M_DATA_DIR (several nodes: C2M_DATABASE_URL and C2M_REDIS_URL)',
      { cause: err },
    );
  }
  return {
    release() {
      if (handle.inTransaction) handle.exec('ROLLBACK');
      handle.close();
    },
  };
}
