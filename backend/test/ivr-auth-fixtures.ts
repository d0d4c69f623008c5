// Shared set-up of the IVR API authentication tests (ivr-auth-*.test.ts): a c2m with accounts `a` and
// `b`, eligibility requests signed or not, the IVR error shape, and an OAuth 1.0a signer that is not
// c2m's own (the `oauth-1.0a` library). Time moves only through the TestClock.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { OAuth1Secrets } from '../src/modules/accounts/credentials.service.js';
import {
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

export const PHONE = '+14155550100';
export const WINDOW_MS = 300_000;
export const TOKEN_TTL_MS = 3_600_000;

export function eligibilityBody(account: SeededAccount) {
  return { skill: 'sales', consumerPhoneNumber: PHONE, handoffId: account.handoffs.sms };
}

/** The IVR error shape, exactly: `{errorCode, errorMessage}` and nothing else. */
export function assertIvrError(res: ApiResponse, status: number, errorCode: number): void {
  assert.equal(
    res.status,
    status,
    `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`,
  );
  const body = res.body as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['errorCode', 'errorMessage']);
  assert.equal(body.errorCode, errorCode);
  assert.equal(typeof body.errorMessage, 'string');
  assert.ok((body.errorMessage as string).length > 0);
  if (status === 401) assert.ok(res.headers.get('WWW-Authenticate'), 'a 401 names its schemes');
}

export function assertEligible(res: ApiResponse): void {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const body = res.body as { eligible: boolean; callId: string; availableChannels: string[] };
  assert.equal(body.eligible, true);
  assert.deepEqual(body.availableChannels, ['sms']);
  assert.match(body.callId, /^[0-9a-f-]{36}$/);
}

/** Signs with the oauth-1.0a library, optionally at a chosen oauth_timestamp or with a realm. */
export function oauth1HeaderWith(
  secrets: OAuth1Secrets,
  url: string,
  opts: { timestampSec?: number; realm?: string },
): string {
  const oauth = new OAuth({
    consumer: { key: secrets.consumerKey, secret: secrets.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    realm: opts.realm,
  });
  const { timestampSec } = opts;
  if (timestampSec !== undefined) oauth.getTimeStamp = () => timestampSec;
  const signed = oauth.authorize(
    { url, method: 'POST' },
    { key: secrets.token, secret: secrets.tokenSecret },
  );
  return oauth.toHeader(signed).Authorization;
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

// The suite's c2m and accounts. node:test runs each test file in a process of its own, so these belong
// to the one file that called useIvrAuthFixture(); they are set before its first test.
export let t: TestC2m;
export let a: SeededAccount;
export let b: SeededAccount;

/** Starts c2m with two seeded accounts, `a` and `b`. */
export function useIvrAuthFixture(): void {
  before(async () => {
    t = await startTestC2m();
    a = await seedAccount(t);
    b = await seedAccount(t);
  });
  after(async () => {
    await t?.close();
  });
}

export const eligibilityUrl = (accountId: string, query = '?v=2.0') =>
  `${t.url}/api/account/${accountId}/eligibility${query}`;
export const postEligibility = (
  accountId: string,
  authorization: string | undefined,
  body: unknown,
) => call(eligibilityUrl(accountId), { authorization, body });
export const signedEligibility = (account: SeededAccount, hash?: 'HMAC-SHA1' | 'HMAC-SHA256') =>
  postEligibility(
    account.accountId,
    oauth1Header(account.oauth1, 'POST', eligibilityUrl(account.accountId), hash),
    eligibilityBody(account),
  );
/** Runs `fn` with the clock moved by `ms`, then moves it back so later tests see real time. */
export const withClockMoved = async (ms: number, fn: () => Promise<void>) => {
  t.clock.advance(ms);
  try {
    await fn();
  } finally {
    t.clock.advance(-ms);
  }
};
export const countCalls = async (accountId: string) =>
  (
    await t.c2m.deps.db
      .selectFrom('calls')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute()
  ).length;
