import type { Db } from '../../db/database.js';
import type { WidgetKeyTable } from '../../db/schema.js';
import { updateRows } from '../../db/rows.js';
import { statement } from '../../db/statement.js';

export type WidgetKeyRow = WidgetKeyTable;

export async function insertWidgetKey(db: Db, row: WidgetKeyRow): Promise<void> {
  await db.insertInto('widget_keys').values(row).execute();
}

/** A key by the hash of its secret, revoked or not (a revoked key is told so). */
const byHash = statement((db, p: { hash: string }) =>
  db.selectFrom('widget_keys').selectAll().where('secret_hash', '=', p.hash),
);

export function findWidgetKeyByHash(db: Db, hash: string): Promise<WidgetKeyRow | undefined> {
  return byHash.first(db, { hash });
}

const activeById = statement((db, p: { id: string }) =>
  db
    .selectFrom('widget_keys')
    .select(['id', 'account_id'])
    .where('id', '=', p.id)
    .where('revoked_at', 'is', null),
);

/** The key's account while it is not revoked; else undefined. */
export async function activeWidgetKeyAccount(db: Db, id: string): Promise<string | undefined> {
  return (await activeById.first(db, { id }))?.account_id;
}

/** An account's keys, oldest first, without the hash selected. */
export function listWidgetKeys(db: Db, accountId: string) {
  return db
    .selectFrom('widget_keys')
    .select(['id', 'name', 'created_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Revokes an active key of the account; false when there is none by that id. */
export async function revokeWidgetKey(
  db: Db,
  accountId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const key = { account_id: accountId, id, revoked_at: null };
  return (await updateRows(db, 'widget_keys', key, { revoked_at: now })) > 0;
}
