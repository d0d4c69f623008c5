import type { Kysely } from 'kysely';

/**
 * Widget installation keys: what a brand registers once in LivePerson's Agent Workspace, from
 * which the widget page mints its short sessions. Only the key's SHA-256 hash is kept; a revoked
 * key keeps its row, so its sessions can be told it was revoked rather than that it is unknown.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('widget_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .execute();
  await db.schema
    .createIndex('widget_keys_account')
    .on('widget_keys')
    .columns(['account_id', 'created_at'])
    .execute();
}
