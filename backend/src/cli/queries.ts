import type { Db } from '../db/database.js';

// Reads that only the CLI makes so far. They move into the module's repo once an admin API needs
// them too.

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
