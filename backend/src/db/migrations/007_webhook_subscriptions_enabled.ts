import type { Kysely } from 'kysely';

/**
 * Whether any subscription is enabled, by index: the event-webhook dispatcher asks on each poll,
 * and while none is it moves its cursor past the events instead of reading them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('webhook_subscriptions_enabled')
    .on('webhook_subscriptions')
    .column('enabled')
    .execute();
}
