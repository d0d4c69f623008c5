import type { Db } from '../../db/database.js';
import type { CachedDb } from '../../db/read-cache.js';
import type { CredentialTable } from '../../db/schema.js';
import { updateRows } from '../../db/rows.js';
import { statement } from '../../db/statement.js';

export type CredentialRow = CredentialTable;

// The lookups below are memoized (ReadCache): a revocation clears the memo (revokeCredential), a
// commit of another process (the CLI) too, through SQLite's data_version. A new credential needs
// no clearing: its id and key are new random values that no earlier lookup can have asked for.

export async function insertCredential(db: Db, row: CredentialRow): Promise<void> {
  await db.insertInto('credentials').values(row).execute();
}

/** Active (not revoked) credential by its public key id: consumer key or client id. */
const activeByKey = statement((db, p: { keyId: string }) =>
  db
    .selectFrom('credentials')
    .selectAll()
    .where('key_id', '=', p.keyId)
    .where('revoked_at', 'is', null),
);

export async function findActiveCredentialByKey(
  db: Db,
  keyId: string,
): Promise<CredentialRow | undefined> {
  return activeByKey.first(db, { keyId });
}

/** findActiveCredentialByKey through the app's memo: the lookup of every OAuth 1.0a request. */
export function activeCredentialByKey(c: CachedDb, keyId: string) {
  return c.reads.read(c.db, `credential-key:${keyId}`, () =>
    findActiveCredentialByKey(c.db, keyId),
  );
}

const activeById = statement((db, p: { id: string }) =>
  db.selectFrom('credentials').selectAll().where('id', '=', p.id).where('revoked_at', 'is', null),
);

export async function findActiveCredentialById(
  db: Db,
  id: string,
): Promise<CredentialRow | undefined> {
  return activeById.first(db, { id });
}

/** findActiveCredentialById through the app's memo: the lookup of every bearer-token request. */
export function activeCredentialById(c: CachedDb, id: string) {
  return c.reads.read(c.db, `credential:${id}`, () => findActiveCredentialById(c.db, id));
}

/** Revokes a credential; the next request that presents it is refused (the memo is cleared). */
export async function revokeCredential(
  c: CachedDb,
  accountId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const key = { account_id: accountId, id, revoked_at: null };
  const revoked = (await updateRows(c.db, 'credentials', key, { revoked_at: now })) > 0;
  // after the write: a lookup queued before it read the old row. Inside a transaction no lookup
  // can run before the commit (one connection), so clearing here is not too early either.
  c.reads.forget();
  return revoked;
}

export interface CredentialSummary {
  id: string;
  kind: 'oauth1' | 'oauth2';
  name: string;
  /** The public half: OAuth 1.0a consumer key or OAuth 2.0 client id. */
  keyId: string;
  permissions: string[];
  createdAt: number;
  revokedAt: number | null;
}

/** An account's credentials, oldest first, without a single secret column selected. */
export async function listCredentials(db: Db, accountId: string): Promise<CredentialSummary[]> {
  const rows = await db
    .selectFrom('credentials')
    .select(['id', 'kind', 'name', 'key_id', 'permissions_json', 'created_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    keyId: r.key_id,
    permissions: JSON.parse(r.permissions_json) as string[],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}
