import { sql, type Kysely } from 'kysely';

/** Event webhooks: a brand's subscriptions, one delivery per (subscription, event), the cursor. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('url', 'text', (c) => c.notNull())
    /** Public event types, e.g. ["transaction.delivered", "conversation.opened"]. */
    .addColumn('events_json', 'text', (c) => c.notNull())
    /** AES-256-GCM, bound to the subscription id: c2m must sign with it again. */
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    /** The last event recorded before the subscription existed: only later ones are delivered. */
    .addColumn('from_event_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_account')
    .on('webhook_subscriptions')
    .column('account_id')
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) =>
      c.notNull().references('webhook_subscriptions.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    /** Deliveries with the same key go out in event order: the transaction, else the conversation. */
    .addColumn('order_key', 'text', (c) => c.notNull())
    .addColumn('body_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
    /** Retries stop here (24 h after the event, or after a replay) and the delivery is failed. */
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('delivered_at', 'integer')
    // the fan-out may run again over an event after a crash: the second insert is a no-op
    .addUniqueConstraint('webhook_deliveries_event', ['subscription_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_order')
    .on('webhook_deliveries')
    .columns(['subscription_id', 'order_key', 'event_id'])
    .execute();

  // Where the fan-out has read the events table up to. It starts at the end: events recorded
  // before this migration have no subscription to go to.
  await db.schema
    .createTable('webhook_cursor')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_event_id', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into webhook_cursor (name, last_event_id)
            select 'events', coalesce(max(id), 0) from events`.execute(db);
}
