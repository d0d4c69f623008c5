import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { BusyWaitingSqliteDialect } from './busy.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** The database file inside c2m's data dir. */
export const databaseFile = (dataDir: string): string => join(dataDir, 'c2m.sqlite');

export interface OpenedDatabase {
  db: Db;
  /** The raw handle, for the few things Kysely does not cover (checkpoint, close). */
  sqlite: SqliteDatabase.Database;
}

/**
 * Opens the embedded SQLite database: WAL (readers never block the one writer), foreign keys on.
 * A write that finds the lock taken (the CLI writing beside the server) waits up to
 * `busyTimeoutMs` without stopping the event loop (see busy.ts), then fails as SQLITE_BUSY.
 * `synchronous` NORMAL (the default) survives any crash of the process, SIGKILL included; FULL
 * also survives a power loss at the price of a disk sync on every commit.
 */
export function openDatabase(
  file: string,
  opts: { synchronous: 'normal' | 'full'; busyTimeoutMs: number },
): OpenedDatabase {
  const sqlite = new SqliteDatabase(file);
  // switching to WAL may wait synchronously: nothing is being served yet
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  // from here on every wait for a lock is the dialect's, off the event loop
  sqlite.pragma('busy_timeout = 0');
  const db = new Kysely<Database>({
    dialect: new BusyWaitingSqliteDialect(
      { database: withStatementCache(sqlite) },
      opts.busyTimeoutMs,
    ),
  });
  return { db, sqlite };
}

/**
 * A number that changes whenever another connection (another process, the CLI say) commits to the
 * database `sqlite` is open on; this connection's own commits leave it alone. A cached read that
 * was true before such a commit may not be true after it (read-cache.ts).
 */
export function commitsElsewhere(sqlite: SqliteDatabase.Database): () => number {
  const version = sqlite.prepare('pragma data_version').pluck();
  return () => version.get() as number;
}

/**
 * A read-only connection to the same file, for a worker thread's heavy reads: WAL lets it read a
 * snapshot while the server's connection writes.
 */
export function openReadOnly(file: string): Db {
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  // long reads visit index pages all over the file: a bigger cache and mmap save the copies
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small one. Statements
 * are kept by SQL text (least recently used dropped past a bound, as `in (…)` lists vary). Reusing
 * one is safe: Kysely runs one query at a time on its single connection.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-insert: the Map's order is the recency order
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Streams a query's rows in chunks from a read-only connection of its own: a long read (an export
 * of millions of rows) neither holds the connection the API shares nor blocks writers (WAL), and
 * it gives the event loop back between chunks. The rows are those of one snapshot.
 */
export async function* readInChunks<R>(
  file: string,
  query: { sql: string; parameters: readonly unknown[] },
  chunkRows: number,
): AsyncGenerator<R[]> {
  const reader = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  // a long read visits index pages all over the file: a bigger cache and mmap save the copies
  reader.pragma('cache_size = -65536');
  reader.pragma('mmap_size = 268435456');
  // rows as arrays, made into objects here: a third faster than the driver's objects
  const statement = reader.prepare(query.sql).raw(true);
  const names = statement.columns().map((c) => c.name);
  const rows = statement.iterate(...query.parameters) as IterableIterator<unknown[]>;
  try {
    let chunk: R[] = [];
    for (const values of rows) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
      chunk.push(row as R);
      if (chunk.length === chunkRows) {
        yield chunk;
        chunk = [];
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (chunk.length) yield chunk;
  } finally {
    rows.return?.();
    reader.close();
  }
}

/**
 * Runs `work` in a transaction, or in the caller's when there already is one, so a repo function
 * that needs atomicity can be called alone or as part of a larger unit of work.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
