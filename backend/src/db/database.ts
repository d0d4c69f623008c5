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
 * and a busy timeout so a CLI writing beside the server waits instead of failing.
 */
export function openDatabase(file: string): OpenedDatabase {
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite };
}

/**
 * Runs `work` in a transaction, or in the caller's when there already is one, so a repo function
 * that needs atomicity can be called alone or as part of a larger unit of work.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
