import type { Db } from '../../db/database.js';
import type { CredentialTable } from '../../db/schema.js';

export type CredentialRow = CredentialTable;

export async function insertCredential(db: Db, row: CredentialRow): Promise<void> {
  await db.insertInto('credentials').values(row).execute();
}

/** Active (not revoked) credential by its public key id: consumer key or client id. */
export async function findActiveCredentialByKey(
  db: Db,
  keyId: string,
): Promise<CredentialRow | undefined> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function findActiveCredentialById(
  db: Db,
  id: string,
): Promise<CredentialRow | undefined> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeCredential(
  db: Db,
  accountId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('credentials')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
