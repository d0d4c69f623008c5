import type {
  CreatedWidgetKey,
  WidgetKeyInput,
  WidgetKeyView,
  WidgetSessionResponse,
} from '../../../contract/widget-keys.js';
import { hashSecret, randomToken } from '../../auth/secrets.js';
import { iso, isoOrNull } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { forbidden, notFound, unauthorized } from '../../errors.js';
import { newUuid } from '../../ids.js';
import type { AppDeps } from '../deps.js';
import { mintSession } from '../sessions/admin-auth.js';
import {
  findWidgetKeyByHash,
  insertWidgetKey,
  listWidgetKeys,
  revokeWidgetKey,
} from './widget-keys.repo.js';

/** The public prefix of every key: says what the string is (leak scanning), carries no secret. */
export const WIDGET_KEY_PREFIX = 'c2m_wk_';
/** A session minted from a key lasts this long; the page renews it well before. */
export const WIDGET_SESSION_TTL_SECONDS = 900;

export const WIDGET_KEY_REVOKED_MESSAGE = 'This widget installation key was revoked';

export interface WidgetKeyContext {
  db: Db;
  accountId: string;
  now: number;
  /** Where clients reach c2m: the Agent Workspace URL to register is made from it. */
  origin: string;
  /** Told after a revoke commits: the key's sessions end, sockets included. */
  revoked: (keyId: string) => void;
}

const present = (r: {
  id: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
}): WidgetKeyView => ({
  id: r.id,
  name: r.name,
  createdAt: iso(r.created_at),
  revokedAt: isoOrNull(r.revoked_at),
});

export async function listAccountWidgetKeys(db: Db, accountId: string): Promise<WidgetKeyView[]> {
  return (await listWidgetKeys(db, accountId)).map(present);
}

/** A new key; the key itself is in this answer and nowhere else, ever (only its hash is kept). */
export async function createWidgetKey(
  c: WidgetKeyContext,
  input: WidgetKeyInput,
): Promise<CreatedWidgetKey> {
  const key = randomToken(WIDGET_KEY_PREFIX);
  const row = {
    id: newUuid(),
    account_id: c.accountId,
    name: input.name,
    secret_hash: hashSecret(key),
    created_at: c.now,
    revoked_at: null,
  };
  await insertWidgetKey(c.db, row);
  return { ...present(row), key, workspaceUrl: `${c.origin}/agent-workspace#key=${key}` };
}

export async function revokeAccountWidgetKey(c: WidgetKeyContext, id: string): Promise<void> {
  if (!(await revokeWidgetKey(c.db, c.accountId, id, c.now))) {
    throw notFound('No such active widget key');
  }
  c.revoked(id);
}

/**
 * A short widget session (role agent) from an installation key: 401 for a key c2m does not know,
 * 403 for a revoked one (the page says so, instead of "sign in again"). The session stands while
 * the key does (session-guard.ts) and may do nothing but the widget's read (admin-auth.ts).
 */
export async function widgetSessionFromKey(
  deps: AppDeps,
  key: string,
): Promise<WidgetSessionResponse> {
  const row = key.startsWith(WIDGET_KEY_PREFIX)
    ? await findWidgetKeyByHash(deps.db, hashSecret(key))
    : undefined;
  if (!row) throw unauthorized('Unknown widget installation key');
  if (row.revoked_at !== null) throw forbidden(WIDGET_KEY_REVOKED_MESSAGE);
  const { token, expiresAt } = mintSession(deps, {
    accountId: row.account_id,
    userId: `widget-key:${row.id}`,
    role: 'agent',
    widgetKeyId: row.id,
    ttlSeconds: WIDGET_SESSION_TTL_SECONDS,
  });
  return { token, expiresAt, accountId: row.account_id };
}
