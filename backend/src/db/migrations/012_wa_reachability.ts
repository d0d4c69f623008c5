import type { Kysely } from 'kysely';

/**
 * What an account learned about WhatsApp from its own sends (Meta forbids asking beforehand): one
 * row per consumer number, the last verdict and when. The number is kept as the other consumer
 * tables keep it (E.164, looked up by account and number); the key is the eligibility's one lookup.
 * How long a learned refusal counts is the account's setting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wa_reachability')
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('learned_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('wa_reachability_pk', ['account_id', 'phone'])
    .execute();
  await db.schema
    .alterTable('accounts')
    .addColumn('wa_unreachable_days', 'integer', (c) => c.notNull().defaultTo(30))
    .execute();
}
