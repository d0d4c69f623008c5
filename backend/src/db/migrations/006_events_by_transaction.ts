import type { Kysely } from 'kysely';

/**
 * A transaction's events by its id: what the widget's publisher reads after every invite and
 * status change. Without it that read scanned the whole `events` table, so an invite got slower
 * as history grew (0.4 ms at 3k events, 91 ms at 300k).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('events_transaction')
    .on('events')
    .columns(['transaction_id', 'type'])
    .execute();
}
