import type { Kysely } from 'kysely';

/** Providers per account, webhook de-duplication, conversations with transcripts, the sink. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('provider_settings')
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('settings_enc', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_settings_pk', ['account_id', 'channel'])
    .execute();

  // at-least-once webhooks: an event id seen once is acknowledged and ignored after
  await db.schema
    .createTable('webhook_receipts')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'integer', (c) => c.notNull())
    // per account: a brand's own push proxy chooses its event ids
    .addPrimaryKeyConstraint('webhook_receipts_pk', ['provider', 'account_id', 'event_id'])
    .execute();

  await db.schema
    .createIndex('messages_provider_id')
    .on('messages')
    .columns(['provider', 'provider_message_id'])
    .execute();
  await db.schema.alterTable('messages').addColumn('conversation_id', 'text').execute();
  await db.schema.alterTable('messages').addColumn('error_message', 'text').execute();

  await db.schema.alterTable('conversations').addColumn('handoff_id', 'text').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('deflection', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('context_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('sink_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('conversations_transaction')
    .on('conversations')
    .column('transaction_id')
    .execute();
  await db.schema
    .createIndex('transactions_account_phone_invited_desc')
    .on('transactions')
    .columns(['account_id', 'consumer_id', 'invited_at'])
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('devices_pk', ['account_id', 'consumer_id', 'app_id', 'token'])
    .execute();

  await db.schema
    .createTable('sink_settings')
    .addColumn('account_id', 'text', (c) =>
      c.primaryKey().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sink_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('delivered_at', 'integer')
    .execute();
  await db.schema
    .createIndex('sink_deliveries_due')
    .on('sink_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('sink_deliveries_conversation')
    .on('sink_deliveries')
    .columns(['conversation_id', 'seq'])
    .execute();

  await db.schema.alterTable('transactions').addColumn('replied_at', 'integer').execute();
  await db.schema
    .alterTable('accounts')
    .addColumn('receipt_timeout_hours', 'integer', (c) => c.notNull().defaultTo(72))
    .execute();
}
