import type { Kysely } from 'kysely';

/**
 * Sessions ended before their token's expiry (sign-out): a session token is signed and carries no
 * state, so its id (the `sid` claim) is kept here until the token would have expired anyway, and
 * the session guard refuses it. Rows past `expires_at` are deleted a few at a time on each insert.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ended_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ended_sessions_expiry')
    .on('ended_sessions')
    .column('expires_at')
    .execute();
}
