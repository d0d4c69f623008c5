import type { Db } from '../../db/database.js';
import { encryptSecret, hashSecret, randomToken } from '../../auth/secrets.js';
import { newUuid } from '../../ids.js';
import { insertCredential } from './credentials.repo.js';
import type { Permission } from '../../../contract/policy.js';

export interface OAuth1Secrets {
  id: string;
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export interface OAuth2Secrets {
  id: string;
  clientId: string;
  clientSecret: string;
}

interface NewCredential {
  accountId: string;
  name: string;
  permissions: Permission[];
  now: number;
}

/**
 * OAuth 1.0a secrets take part in every HMAC, so they are stored encrypted (not hashed) under a
 * key kept outside the database; they are returned here once and never again.
 */
export async function createOAuth1Credential(
  db: Db,
  encryptionKey: Buffer,
  c: NewCredential,
): Promise<OAuth1Secrets> {
  const secrets = {
    id: newUuid(),
    consumerKey: randomToken('c2m_ck_', 16),
    consumerSecret: randomToken('c2m_cs_'),
    token: randomToken('c2m_at_', 16),
    tokenSecret: randomToken('c2m_ats_'),
  };
  await insertCredential(db, {
    id: secrets.id,
    account_id: c.accountId,
    kind: 'oauth1',
    name: c.name,
    key_id: secrets.consumerKey,
    secret_enc: encryptSecret(secrets.consumerSecret, encryptionKey),
    secret_hash: null,
    token: secrets.token,
    token_secret_enc: encryptSecret(secrets.tokenSecret, encryptionKey),
    permissions_json: JSON.stringify(c.permissions),
    created_at: c.now,
    revoked_at: null,
  });
  return secrets;
}

/** A client secret is only ever compared, so only its hash is kept. */
export async function createOAuth2Credential(db: Db, c: NewCredential): Promise<OAuth2Secrets> {
  const secrets = {
    id: newUuid(),
    clientId: randomToken('c2m_ci_', 16),
    clientSecret: randomToken('c2m_sec_'),
  };
  await insertCredential(db, {
    id: secrets.id,
    account_id: c.accountId,
    kind: 'oauth2',
    name: c.name,
    key_id: secrets.clientId,
    secret_enc: null,
    secret_hash: hashSecret(secrets.clientSecret),
    token: null,
    token_secret_enc: null,
    permissions_json: JSON.stringify(c.permissions),
    created_at: c.now,
    revoked_at: null,
  });
  return secrets;
}
