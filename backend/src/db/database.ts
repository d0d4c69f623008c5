import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  /** The raw handle, for the few things Kysely does not cover (checkpoint, close). */
  sqlite: SqliteDatabase.Database;
}

/**
 * Opens the embedded SQLite database: WAL (readers never block the one writer), foreign keys on,
 * and a busy timeout so a CLI writing beside the server waits instead of failing. `synchronous`
 * NORMAL (the default) survives any crash of the process, SIGKILL included; FULL also survives
 * a power loss at the price of a disk sync on every commit.
 */
export function openDatabase(
  file: string,
  opts: { synchronous?: 'normal' | 'full' } = {},
): OpenedDatabase {
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { db, sqlite };
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
 * Runs `work` in a transaction, or in the caller's when there already is one, so a repo function
 * that needs atomicity can be called alone or as part of a larger unit of work.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
