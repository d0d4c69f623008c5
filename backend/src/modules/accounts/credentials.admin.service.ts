import { findActiveCredentialById, listCredentials, revokeCredential } from './credentials.repo.js';
import { inTransaction, type Db } from '../../db/database.js';
import type { ReadCache } from '../../db/read-cache.js';
import { notFound } from '../../errors.js';
import type {
  CreatedCredential,
  CredentialInput,
  CredentialView,
} from '../../../contract/credentials.js';
import { presentCredential } from './credentials.presenter.js';
import { createOAuth1Credential, createOAuth2Credential } from './credentials.service.js';
import type { Permission } from '../../../contract/policy.js';

/** What creating a credential needs beyond the input: where, when, and how secrets are kept. */
export interface CredentialContext {
  db: Db;
  /** The app's read memo: a revocation clears it. */
  reads: ReadCache;
  encryptionKey: Buffer;
  accountId: string;
  now: number;
  /** Absolute URL of `/oauth/token`, shown with OAuth 2.0 secrets. */
  tokenUrl: string;
  /** Told after a revoke commits: the sessions the credential minted end with it. */
  revoked: (credentialId: string) => void;
}

export async function listAccountCredentials(db: Db, accountId: string): Promise<CredentialView[]> {
  return (await listCredentials(db, accountId)).map(presentCredential);
}

/** A new credential; its secrets are in this answer and nowhere else, ever. */
export async function createCredential(
  c: CredentialContext,
  input: CredentialInput,
): Promise<CreatedCredential> {
  const base = {
    accountId: c.accountId,
    name: input.name,
    permissions: input.permissions,
    now: c.now,
  };
  const made =
    input.kind === 'oauth1'
      ? await createOAuth1Credential(c.db, c.encryptionKey, base).then(({ id, ...secrets }) => ({
          id,
          keyId: secrets.consumerKey,
          secrets,
        }))
      : await createOAuth2Credential(c.db, base).then(({ id, ...secrets }) => ({
          id,
          keyId: secrets.clientId,
          secrets: { ...secrets, tokenUrl: c.tokenUrl },
        }));
  return {
    ...presentCredential({
      id: made.id,
      kind: input.kind,
      name: input.name,
      keyId: made.keyId,
      permissions: input.permissions,
      createdAt: c.now,
      revokedAt: null,
    }),
    secrets: made.secrets,
  };
}

/**
 * New secrets for the same kind, name and permissions; the old ones stop working in the same
 * transaction, so there is never a moment with both or neither.
 */
export async function rotateCredential(
  c: CredentialContext,
  id: string,
): Promise<CreatedCredential> {
  return inTransaction(c.db, async (tx) => {
    const old = await findActiveCredentialById(tx, id);
    if (!old || old.account_id !== c.accountId) throw notFound('No such active credential');
    const created = await createCredential(
      { ...c, db: tx },
      {
        kind: old.kind,
        name: old.name,
        permissions: JSON.parse(old.permissions_json) as Permission[],
      },
    );
    await revokeCredential({ db: tx, reads: c.reads }, c.accountId, id, c.now);
    return created;
  }).then((created) => {
    c.revoked(id);
    return created;
  });
}

/** Revokes a credential, and with it every session it minted (REST and sockets). */
export async function revokeAccountCredential(c: CredentialContext, id: string): Promise<void> {
  if (!(await revokeCredential(c, c.accountId, id, c.now))) {
    throw notFound('No such active credential');
  }
  c.revoked(id);
}
