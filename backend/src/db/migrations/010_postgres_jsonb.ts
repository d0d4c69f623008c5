import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../engine.js';

/**
 * A handoff's channels are read inside by SQL (the admin list's channel filter and sort, the
 * handoffs that use a WhatsApp template): on PostgreSQL they are stored as jsonb, parsed once on
 * write rather than on every row of every such read. c2m still reads the column as JSON text
 * (database.ts), as on SQLite, where it stays text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table handoffs alter column channels_json type jsonb using channels_json::jsonb`.execute(
    db,
  );
}
