import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import assert from 'node:assert/strict';
import { pino, type Logger } from 'pino';
import { io as connectSocket, type Socket as ClientSocket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SessionEnded,
} from '../contract/realtime.js';
import type { Permission, Role } from '../contract/policy.js';
import type { EligibilityResponse } from '../contract/deflection.js';
import type { HandoffChannel } from '../contract/handoffs.js';
import { loadConfig } from '../src/config.js';
import type { ResolveHost } from '../src/outbound/outbound-url.js';
import { newAccountId, newHandoffId } from '../src/ids.js';
import { insertAccount, updateAccountSettings } from '../src/modules/accounts/accounts.repo.js';
import {
  createOAuth1Credential,
  createOAuth2Credential,
  type OAuth1Secrets,
  type OAuth2Secrets,
} from '../src/modules/accounts/credentials.service.js';
import { insertHandoff } from '../src/modules/handoffs/handoffs.repo.js';
import { insertSkill } from '../src/modules/skills/skills.repo.js';
import { startC2m, type RunningC2m } from '../src/server.js';
import { dropEngineData, engineEnv } from './test-engine.js';
import type { DomainEvent, DomainEventMap } from '../src/modules/events/domain-events.js';

/** A clock tests can move: the callId TTL, token expiry and rate limits read it. */
export class TestClock {
  constructor(public ms = Date.now()) {}
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface TestC2m {
  c2m: RunningC2m;
  url: string;
  dataDir: string;
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * A real c2m on 127.0.0.1:0 with a fresh SQLite file, quiet logs and a fast outbox. The fake
 * providers and receivers listen on 127.0.0.1 over plain http, so the outbound guard's development
 * flag is on; a test of the guard itself passes `C2M_ALLOW_LOOPBACK_URLS: '0'`.
 */
export async function startTestC2m(
  /** Overrides; `undefined` unsets a default (e.g. C2M_DEMO). */
  env: Record<string, string | undefined> = {},
  opts: { clock?: TestClock; dataDir?: string; resolveHost?: ResolveHost; log?: Logger } = {},
): Promise<TestC2m> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'c2m-test-'));
  const clock = opts.clock ?? new TestClock();
  const config = loadConfig({
    ...(await engineEnv(dataDir)),
    C2M_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    C2M_LOG_LEVEL: 'silent',
    C2M_DEMO: '0',
    C2M_OUTBOX_POLL_MS: '20',
    C2M_OUTBOX_BACKOFF_MS: '5',
    C2M_SANDBOX_RECEIPT_MS: '0',
    C2M_ALLOW_LOOPBACK_URLS: '1',
    // the test clock stands still, so every request of a file falls in one second's window:
    // the per-account limits are off unless a test sets them (tenant-limits.test.ts)
    C2M_ADMIN_RATE_LIMIT: '0',
    C2M_API_RATE_LIMIT: '0',
    C2M_WIDGET_RATE_LIMIT: '0',
    ...env,
  });
  const c2m = await startC2m(config, {
    log: opts.log ?? pino({ level: process.env.TEST_LOG ?? 'silent' }),
    clock: clock.now,
    resolveHost: opts.resolveHost,
  });
  return {
    c2m,
    url: c2m.url,
    dataDir,
    clock,
    async close() {
      await c2m.close();
      if (opts.dataDir) return;
      rmSync(dataDir, { recursive: true, force: true });
      await dropEngineData(dataDir);
    },
  };
}

export interface SeededAccount {
  accountId: string;
  handoffs: Record<string, string>;
  oauth1: OAuth1Secrets;
  oauth2: OAuth2Secrets;
}

const smsChannel: HandoffChannel = {
  name: 'sms',
  enabled: true,
  message: 'Hi {{1}}, reply here to chat with us.',
  outboundNumber: '+15005550006',
};
const waChannel: HandoffChannel = {
  name: 'wa',
  enabled: true,
  message: 'Hi {{1}}, this is us on WhatsApp.',
  templateName: 'deflection',
};
const inappChannel: HandoffChannel = {
  name: 'inapp',
  enabled: true,
  message: 'Continue in the app.',
  apps: ['com.example.app'],
};

/**
 * An account with skills `sales` (routed), `billing` (routed) and `closed` (not routed), handoffs
 * `sms`, `waSms`, `inapp`, `disabled` (no channel enabled) and `inactive`, and IVR credentials of
 * both kinds with the given permissions.
 */
export async function seedAccount(
  t: TestC2m,
  opts: { permissions?: Permission[]; rateLimitPerSec?: number; deviceCheck?: boolean } = {},
): Promise<SeededAccount> {
  const { db, keys } = t.c2m.deps;
  const now = t.clock.now();
  const accountId = newAccountId();
  await insertAccount(db, {
    id: accountId,
    name: `Account ${accountId}`,
    now,
    rateLimitPerSec: opts.rateLimitPerSec ?? 0,
  });
  if (opts.deviceCheck) await updateAccountSettings(t.c2m.deps, accountId, { deviceCheck: true });
  await insertSkill(t.c2m.deps, { accountId, name: 'sales', now });
  await insertSkill(t.c2m.deps, { accountId, name: 'billing', now });
  await insertSkill(t.c2m.deps, { accountId, name: 'closed', routingEnabled: false, now });
  const handoffs: Record<string, string> = {};
  const add = async (key: string, channels: HandoffChannel[], active = true) => {
    handoffs[key] = newHandoffId();
    await insertHandoff(t.c2m.deps, {
      id: handoffs[key],
      accountId,
      title: `${key} ${accountId}`,
      active,
      lookbackMinutes: 60,
      channels,
      now,
    });
  };
  await add('sms', [smsChannel]);
  await add('waSms', [waChannel, smsChannel]);
  await add('inapp', [inappChannel]);
  await add('disabled', [{ ...smsChannel, enabled: false }]);
  await add('inactive', [smsChannel], false);
  const base = { accountId, name: 'test', permissions: opts.permissions ?? ['ivr'], now };
  return {
    accountId,
    handoffs,
    oauth1: await createOAuth1Credential(db, keys.secrets, base),
    oauth2: await createOAuth2Credential(db, base),
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Signs with the independent `oauth-1.0a` library, as existing IVR integrations do. */
export function oauth1Header(
  secrets: OAuth1Secrets,
  method: string,
  url: string,
  hash: 'HMAC-SHA1' | 'HMAC-SHA256' = 'HMAC-SHA1',
): string {
  const algo = hash === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const oauth = new OAuth({
    consumer: { key: secrets.consumerKey, secret: secrets.consumerSecret },
    signature_method: hash,
    hash_function: (base, key) => createHmac(algo, key).update(base).digest('base64'),
  });
  const signed = oauth.authorize(
    { url, method },
    { key: secrets.token, secret: secrets.tokenSecret },
  );
  return oauth.toHeader(signed).Authorization;
}

/** Fetches a bearer token through the OAuth 2.0 client-credentials endpoint. */
export async function bearerToken(baseUrl: string, secrets: OAuth2Secrets): Promise<string> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: secrets.clientId,
      client_secret: secrets.clientSecret,
    }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

/** One JSON request; the body is parsed when there is one. */
export async function call(
  url: string,
  init: {
    method?: string;
    authorization?: string;
    body?: unknown;
    headers?: Record<string, string>;
  },
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.authorization) headers.Authorization = init.authorization;
  if (init.body !== undefined && !headers['Content-Type'])
    headers['Content-Type'] = 'application/json';
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** An IVR client for one account, signing each request with OAuth 1.0a (the product's default). */
export function ivrClient(t: Pick<TestC2m, 'url'>, account: SeededAccount) {
  const url = (op: 'eligibility' | 'invite', query = '?v=2.0') =>
    `${t.url}/api/account/${account.accountId}/${op}${query}`;
  return {
    url,
    eligibility: (body: unknown, headers?: Record<string, string>) =>
      call(url('eligibility'), {
        body,
        headers,
        authorization: oauth1Header(account.oauth1, 'POST', url('eligibility')),
      }),
    invite: (body: unknown, headers?: Record<string, string>) =>
      call(url('invite'), {
        body,
        headers,
        authorization: oauth1Header(account.oauth1, 'POST', url('invite')),
      }),
  };
}

/** Polls until `check` returns a value (not a sleep: it ends as soon as the state is reached). */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A session token for one of the brand's users in `role`, minted the way a brand portal's backend
 * does it: with an account credential that has the `admin` permission.
 */
export async function adminSession(
  t: TestC2m,
  account: SeededAccount,
  role: Role,
  userId = `user-${role}`,
): Promise<string> {
  const url = `${t.url}/api/account/${account.accountId}/sessions`;
  const res = await call(url, {
    authorization: oauth1Header(account.oauth1, 'POST', url),
    body: { userId, role },
  });
  if (res.status !== 200) {
    throw new Error(
      `session for ${role}: ${res.status} ${JSON.stringify(res.body)} (seed the account with the admin permission)`,
    );
  }
  return (res.body as { token: string }).token;
}

/** The admin API of one account, as a signed-in user: paths are relative to the account. */
export function adminApi(t: TestC2m, accountId: string, token: string) {
  const url = (path: string) => `${t.url}/api/admin/account/${accountId}${path}`;
  const send = (method: string) => (path: string, body?: unknown) =>
    call(url(path), { method, authorization: `Bearer ${token}`, body });
  return {
    url,
    get: send('GET'),
    post: send('POST'),
    put: send('PUT'),
    patch: send('PATCH'),
    delete: send('DELETE'),
  };
}

/**
 * Every domain event one app publishes from now on, in order, until `stop()`: what its publisher
 * and webhook dispatcher are told after each commit.
 */
export function domainEventsOf(t: TestC2m): { seen: DomainEvent[]; stop(): void } {
  const events = t.c2m.deps.domainEvents;
  const seen: DomainEvent[] = [];
  const names: (keyof DomainEventMap)[] = [
    'call-created',
    'transaction-created',
    'transaction-changed',
    'conversation-opened',
    'conversation-closed',
  ];
  const listeners = names.map((name) => {
    const listener = (...args: unknown[]) => seen.push([name, ...args] as DomainEvent);
    events.on(name, listener);
    return () => events.off(name, listener);
  });
  return { seen, stop: () => listeners.forEach((off) => off()) };
}

/**
 * Eligibility and invite by SMS for a mobile number; answers the transaction's id once the sandbox
 * delivered it.
 */
export async function deliveredInvite(t: TestC2m, account: SeededAccount): Promise<string> {
  const ivr = ivrClient(t, account);
  const res = await ivr.eligibility({
    skill: 'sales',
    consumerPhoneNumber: '+14155550123',
    handoffId: account.handoffs.sms,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { callId } = res.body as EligibilityResponse;
  assert.equal((await ivr.invite({ callId })).status, 200);
  const tx = await waitFor(
    () =>
      t.c2m.deps.db
        .selectFrom('transactions')
        .select(['id', 'status'])
        .where('call_id', '=', callId)
        .where('status', '=', 'delivered')
        .executeTakeFirst(),
    'the invite delivered',
  );
  return tx.id;
}

export type SessionSocket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A connected socket with a session token (`namespace` '' is the widget's), recording what ends
 * it: the `session:expired` events and the disconnect reason. Pushed onto `sockets` to close.
 */
export async function openSessionSocket(
  t: Pick<TestC2m, 'url'>,
  token: string,
  sockets: SessionSocket[],
  namespace = '',
) {
  const socket: SessionSocket = connectSocket(`${t.url}${namespace}`, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    auth: { token },
  });
  sockets.push(socket);
  const ended: SessionEnded[] = [];
  let disconnected: string | undefined;
  socket.on('session:expired', (e) => ended.push(e));
  socket.on('disconnect', (reason) => (disconnected = reason));
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', fail);
  });
  return { socket, ended, disconnected: () => disconnected };
}
