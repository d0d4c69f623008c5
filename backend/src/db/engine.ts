import { PostgresAdapter } from 'kysely';

/**
 * Which engine a database handle speaks to: the embedded SQLite file (the default, one process)
 * or PostgreSQL (C2M_DATABASE_URL, several nodes). Repos ask only where the SQL must differ.
 */
export type Engine = 'sqlite' | 'postgres';

/** Any Kysely handle, of any schema, a transaction's included. */
interface HasAdapter {
  getExecutor(): { adapter: unknown };
}

export function engineOf(db: HasAdapter): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export const isPostgres = (db: HasAdapter): boolean => engineOf(db) === 'postgres';
