import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../engine.js';

/**
 * Background work run once across several nodes.
 *
 * Both engines: a delivery (event webhook, conversation sink) is leased to the node attempting it
 * until `locked_until`; it stays `pending`, so the later ones of its order key keep waiting, and a
 * lease that runs out (its node died) lets another node take it.
 *
 * PostgreSQL: concurrent transactions commit out of `events.id` order, so a cursor over ids alone
 * could pass an id whose transaction commits later. Each event records the transaction that wrote
 * it (`xid`), and the fan-out's cursor is (xid, id). Events already written count as written by
 * transaction 0: they stay behind or past the cursor exactly as their ids are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_deliveries', 'sink_deliveries']) {
    await db.schema.alterTable(table).addColumn('locked_until', 'integer').execute();
  }
  if (!isPostgres(db)) return;
  await sql`alter table events add column xid xid8 not null default '0'`.execute(db);
  await sql`alter table events alter column xid set default pg_current_xact_id()`.execute(db);
  await sql`create index events_xid on events (xid, id)`.execute(db);
  await sql`alter table webhook_cursor add column last_xid xid8 not null default '0'`.execute(db);
}
