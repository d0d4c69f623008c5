import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../engine.js';

/**
 * Rows of one millisecond are listed in the order they were stored (a transcript, the widget's
 * messages): SQLite keeps that order in every table's `rowid`; PostgreSQL has none, so the tables
 * read in that order get a column of that name, numbered as rows arrive. Nothing to do on SQLite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of ['transactions', 'messages', 'conversations']) {
    await sql`alter table ${sql.table(table)} add column rowid bigint generated always as identity`.execute(
      db,
    );
  }
}
