// IVR API authentication against a real c2m: OAuth 1.0a requests signed by the independent
// `oauth-1.0a` library, OAuth 2.0 client-credentials tokens, permissions, cross-account paths, and
// secrets at rest. Time moves only through the TestClock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import { newAccountId } from '../src/ids.js';
import { revokeCredential } from '../src/modules/accounts/credentials.repo.js';
import type { OAuth1Secrets } from '../src/modules/accounts/credentials.service.js';
import {
  bearerToken,
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const PHONE = '+14155550100';
const WINDOW_MS = 300_000;
const TOKEN_TTL_MS = 3_600_000;

function eligibilityBody(account: SeededAccount) {
  return { skill: 'sales', consumerPhoneNumber: PHONE, handoffId: account.handoffs.sms };
}

/** The IVR error shape, exactly: `{errorCode, errorMessage}` and nothing else. */
function assertIvrError(res: ApiResponse, status: number, errorCode: number): void {
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

function assertEligible(res: ApiResponse): void {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const body = res.body as { eligible: boolean; callId: string; availableChannels: string[] };
  assert.equal(body.eligible, true);
  assert.deepEqual(body.availableChannels, ['sms']);
  assert.match(body.callId, /^[0-9a-f-]{36}$/);
}

/** Signs with the oauth-1.0a library, optionally at a chosen oauth_timestamp or with a realm. */
function oauth1HeaderWith(
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

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('IVR API authentication', () => {
  let t: TestC2m;
  let a: SeededAccount;
  let b: SeededAccount;

  const eligibilityUrl = (accountId: string, query = '?v=2.0') =>
    `${t.url}/api/account/${accountId}/eligibility${query}`;
  const postEligibility = (accountId: string, authorization: string | undefined, body: unknown) =>
    call(eligibilityUrl(accountId), { authorization, body });
  const signedEligibility = (account: SeededAccount, hash?: 'HMAC-SHA1' | 'HMAC-SHA256') =>
    postEligibility(
      account.accountId,
      oauth1Header(account.oauth1, 'POST', eligibilityUrl(account.accountId), hash),
      eligibilityBody(account),
    );
  /** Runs `fn` with the clock moved by `ms`, then moves it back so later tests see real time. */
  const withClockMoved = async (ms: number, fn: () => Promise<void>) => {
    t.clock.advance(ms);
    try {
      await fn();
    } finally {
      t.clock.advance(-ms);
    }
  };
  const countCalls = async (accountId: string) =>
    (
      await t.c2m.deps.db
        .selectFrom('calls')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute()
    ).length;

  before(async () => {
    t = await startTestC2m();
    a = await seedAccount(t);
    b = await seedAccount(t);
  });
  after(async () => {
    await t?.close();
  });

  describe('OAuth 1.0a', () => {
    it('accepts a request signed by the oauth-1.0a library with HMAC-SHA1', async () => {
      assertEligible(await signedEligibility(a, 'HMAC-SHA1'));
    });

    it('accepts a request signed with HMAC-SHA256', async () => {
      assertEligible(await signedEligibility(a, 'HMAC-SHA256'));
    });

    it('signs the v=2.0 query: a request signed without it is rejected', async () => {
      const unsignedQuery = oauth1Header(a.oauth1, 'POST', eligibilityUrl(a.accountId, ''));
      const res = await postEligibility(a.accountId, unsignedQuery, eligibilityBody(a));
      assertIvrError(res, 401, 1100);
    });

    it('rejects a request sent with a query it was not signed for', async () => {
      const before = await countCalls(a.accountId);
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(a.accountId));
      const res = await call(eligibilityUrl(a.accountId, '?v=2.0&x=1'), {
        authorization: header,
        body: eligibilityBody(a),
      });
      assertIvrError(res, 401, 1100);
      assert.equal(await countCalls(a.accountId), before, 'a rejected request stores no call');
    });

    it('rejects a request signed for another method or path', async () => {
      const url = eligibilityUrl(a.accountId);
      const asGet = oauth1Header(a.oauth1, 'GET', url);
      assertIvrError(await postEligibility(a.accountId, asGet, eligibilityBody(a)), 401, 1100);
      const forInvite = oauth1Header(a.oauth1, 'POST', url.replace('/eligibility', '/invite'));
      assertIvrError(await postEligibility(a.accountId, forInvite, eligibilityBody(a)), 401, 1100);
    });

    it('rejects a wrong token secret and a wrong consumer secret', async () => {
      const url = eligibilityUrl(a.accountId);
      const wrongToken = oauth1Header(
        { ...a.oauth1, tokenSecret: b.oauth1.tokenSecret },
        'POST',
        url,
      );
      assertIvrError(await postEligibility(a.accountId, wrongToken, eligibilityBody(a)), 401, 1100);
      const wrongConsumer = oauth1Header(
        { ...a.oauth1, consumerSecret: `${a.oauth1.consumerSecret}x` },
        'POST',
        url,
      );
      assertIvrError(
        await postEligibility(a.accountId, wrongConsumer, eligibilityBody(a)),
        401,
        1100,
      );
    });

    it("rejects account A's consumer key with account B's token", async () => {
      const mixed = oauth1Header(
        { ...a.oauth1, token: b.oauth1.token, tokenSecret: b.oauth1.tokenSecret },
        'POST',
        eligibilityUrl(a.accountId),
      );
      assertIvrError(await postEligibility(a.accountId, mixed, eligibilityBody(a)), 401, 1100);
    });

    it('rejects a replayed Authorization header (same nonce)', async () => {
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(a.accountId));
      assertEligible(await postEligibility(a.accountId, header, eligibilityBody(a)));
      const before = await countCalls(a.accountId);
      assertIvrError(await postEligibility(a.accountId, header, eligibilityBody(a)), 401, 1100);
      assert.equal(await countCalls(a.accountId), before, 'a replay stores no call');
    });

    it('rejects a request whose timestamp has left the 300 s window', async () => {
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(a.accountId));
      await withClockMoved(WINDOW_MS + 1_000, async () => {
        assertIvrError(await postEligibility(a.accountId, header, eligibilityBody(a)), 401, 1100);
      });
    });

    it('accepts a timestamp inside the window and rejects old and future ones', async () => {
      const url = eligibilityUrl(a.accountId);
      const nowSec = Math.floor(t.clock.now() / 1000);
      assertEligible(
        await postEligibility(
          a.accountId,
          oauth1HeaderWith(a.oauth1, url, { timestampSec: nowSec - 200 }),
          eligibilityBody(a),
        ),
      );
      const old = oauth1HeaderWith(a.oauth1, url, { timestampSec: nowSec - 301 });
      assertIvrError(await postEligibility(a.accountId, old, eligibilityBody(a)), 401, 1100);
      const future = oauth1HeaderWith(a.oauth1, url, { timestampSec: nowSec + 301 });
      assertIvrError(await postEligibility(a.accountId, future, eligibilityBody(a)), 401, 1100);
    });

    it('accepts a header with a realm, which is not signed', async () => {
      const url = eligibilityUrl(a.accountId);
      const header = oauth1HeaderWith(a.oauth1, url, { realm: 'https://c2m.example' });
      assert.match(header, /^OAuth realm="/);
      assertEligible(await postEligibility(a.accountId, header, eligibilityBody(a)));
    });

    it('accepts extra query parameters when they are signed too', async () => {
      const url = eligibilityUrl(a.accountId, '?v=2.0&ref=caller%20one&n=%C3%A9');
      const header = oauth1Header(a.oauth1, 'POST', url);
      assertEligible(await call(url, { authorization: header, body: eligibilityBody(a) }));
    });

    it('treats the scheme name case-insensitively (RFC 7235)', async () => {
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(a.accountId));
      const lower = header.replace(/^OAuth /, 'oauth ');
      assertEligible(await postEligibility(a.accountId, lower, eligibilityBody(a)));
      const token = await bearerToken(t.url, a.oauth2);
      assertEligible(await postEligibility(a.accountId, `bearer ${token}`, eligibilityBody(a)));
    });

    it('rejects a revoked credential', async () => {
      const c = await seedAccount(t);
      assertEligible(await signedEligibility(c));
      assert.equal(
        await revokeCredential(t.c2m.deps.db, c.accountId, c.oauth1.id, t.clock.now()),
        true,
      );
      assertIvrError(await signedEligibility(c), 401, 1100);
    });
  });

  describe('OAuth 2.0 client credentials', () => {
    const tokenForm = (fields: Record<string, string>) => ({
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

    function assertTokenResponse(res: ApiResponse): string {
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.headers.get('Cache-Control'), 'no-store');
      const body = res.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3600);
      assert.equal(typeof body.access_token, 'string');
      assert.equal((body.access_token as string).split('.').length, 3);
      return body.access_token as string;
    }

    it('issues a token for client_id/client_secret in a form body', async () => {
      const res = await call(
        `${t.url}/oauth/token`,
        tokenForm({
          grant_type: 'client_credentials',
          client_id: a.oauth2.clientId,
          client_secret: a.oauth2.clientSecret,
        }),
      );
      const token = assertTokenResponse(res);
      const claims = decodePayload(token);
      assert.equal(claims.aud, a.accountId);
      assert.equal(claims.exp, (claims.iat as number) + 3600);
      assert.equal(claims.scope, 'ivr');
      assert.ok(!JSON.stringify(res.body).includes(a.oauth2.clientSecret));
    });

    it('issues a token for HTTP Basic client authentication', async () => {
      const res = await call(`${t.url}/oauth/token`, {
        authorization: basic(a.oauth2.clientId, a.oauth2.clientSecret),
        ...tokenForm({ grant_type: 'client_credentials' }),
      });
      const token = assertTokenResponse(res);
      assertEligible(await postEligibility(a.accountId, `Bearer ${token}`, eligibilityBody(a)));
      const lowerCase = await call(`${t.url}/oauth/token`, {
        authorization: basic(a.oauth2.clientId, a.oauth2.clientSecret).replace(/^Basic/, 'basic'),
        ...tokenForm({ grant_type: 'client_credentials' }),
      });
      assertTokenResponse(lowerCase);
    });

    it('answers 401/1100, not 500, to a Basic credential that does not %-decode', async () => {
      const res = await call(`${t.url}/oauth/token`, {
        authorization: basic('%zz', a.oauth2.clientSecret),
        ...tokenForm({ grant_type: 'client_credentials' }),
      });
      assertIvrError(res, 401, 1100);
    });

    it("issues a token on the product's sentinel path, usable on eligibility", async () => {
      const url = `${t.url}/sentinel/api/account/${a.accountId}/app/token?v=1.0&grant_type=client_credentials`;
      const res = await call(
        url,
        tokenForm({ client_id: a.oauth2.clientId, client_secret: a.oauth2.clientSecret }),
      );
      const token = assertTokenResponse(res);
      assertEligible(await postEligibility(a.accountId, `Bearer ${token}`, eligibilityBody(a)));
    });

    it('refuses the sentinel path of another account', async () => {
      const url = `${t.url}/sentinel/api/account/${b.accountId}/app/token?v=1.0&grant_type=client_credentials`;
      const res = await call(
        url,
        tokenForm({ client_id: a.oauth2.clientId, client_secret: a.oauth2.clientSecret }),
      );
      assertIvrError(res, 403, 1101);
    });

    it('rejects a wrong secret, an unknown client and an OAuth 1.0a key as client', async () => {
      for (const [clientId, clientSecret] of [
        [a.oauth2.clientId, b.oauth2.clientSecret],
        [a.oauth2.clientId, ''],
        ['c2m_ci_unknown', a.oauth2.clientSecret],
        [a.oauth1.consumerKey, a.oauth1.consumerSecret],
      ]) {
        const form = await call(
          `${t.url}/oauth/token`,
          tokenForm({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
          }),
        );
        assertIvrError(form, 401, 1100);
        assert.ok(!JSON.stringify(form.body).includes(clientSecret || '\u0000'), 'secret echoed');
        const viaBasic = await call(`${t.url}/oauth/token`, {
          authorization: basic(clientId, clientSecret),
          ...tokenForm({ grant_type: 'client_credentials' }),
        });
        assertIvrError(viaBasic, 401, 1100);
      }
    });

    it('rejects a grant_type other than client_credentials with 400', async () => {
      for (const grantType of ['password', 'authorization_code', '']) {
        const res = await call(
          `${t.url}/oauth/token`,
          tokenForm({
            grant_type: grantType,
            client_id: a.oauth2.clientId,
            client_secret: a.oauth2.clientSecret,
          }),
        );
        assertIvrError(res, 400, 1000);
      }
    });

    it('accepts the token until it expires after 3600 s, then answers 401/1100', async () => {
      const token = await bearerToken(t.url, a.oauth2);
      await withClockMoved(TOKEN_TTL_MS - 1_000, async () => {
        assertEligible(await postEligibility(a.accountId, `Bearer ${token}`, eligibilityBody(a)));
      });
      await withClockMoved(TOKEN_TTL_MS, async () => {
        const res = await postEligibility(a.accountId, `Bearer ${token}`, eligibilityBody(a));
        assertIvrError(res, 401, 1100);
      });
    });

    it('rejects a token whose payload or signature was altered', async () => {
      const token = await bearerToken(t.url, a.oauth2);
      const [header, payload, signature] = token.split('.');
      const claims = decodePayload(token);
      const longer = base64url({ ...claims, exp: (claims.exp as number) + 86_400 });
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      for (const forged of [
        `${header}.${longer}.${signature}`,
        `${header}.${payload}.${flipped}`,
        `${header}.${payload}`,
        unsigned,
      ]) {
        const res = await postEligibility(a.accountId, `Bearer ${forged}`, eligibilityBody(a));
        assertIvrError(res, 401, 1100);
      }
    });

    it("refuses account A's token on account B's path with 403/1101", async () => {
      const token = await bearerToken(t.url, a.oauth2);
      const before = await countCalls(b.accountId);
      const res = await postEligibility(b.accountId, `Bearer ${token}`, eligibilityBody(b));
      assertIvrError(res, 403, 1101);
      assert.equal(await countCalls(b.accountId), before);
    });

    it('rejects a token whose credential was revoked', async () => {
      const c = await seedAccount(t);
      const token = await bearerToken(t.url, c.oauth2);
      assertEligible(await postEligibility(c.accountId, `Bearer ${token}`, eligibilityBody(c)));
      await revokeCredential(t.c2m.deps.db, c.accountId, c.oauth2.id, t.clock.now());
      const res = await postEligibility(c.accountId, `Bearer ${token}`, eligibilityBody(c));
      assertIvrError(res, 401, 1100);
      const fresh = await call(
        `${t.url}/oauth/token`,
        tokenForm({
          grant_type: 'client_credentials',
          client_id: c.oauth2.clientId,
          client_secret: c.oauth2.clientSecret,
        }),
      );
      assertIvrError(fresh, 401, 1100);
    });
  });

  describe('missing or unusable Authorization', () => {
    it('answers 401/1100 with WWW-Authenticate for no, Basic, garbage and unsigned headers', async () => {
      const basic = `Basic ${Buffer.from(`${a.oauth2.clientId}:${a.oauth2.clientSecret}`).toString('base64')}`;
      for (const authorization of [
        undefined,
        basic,
        'garbage',
        'Bearer',
        'Bearer not-a-jwt',
        'OAuth nonsense',
        `OAuth oauth_consumer_key="${a.oauth1.consumerKey}"`,
      ]) {
        const res = await postEligibility(a.accountId, authorization, eligibilityBody(a));
        assertIvrError(res, 401, 1100);
        assert.match(res.headers.get('WWW-Authenticate') ?? '', /Bearer/);
      }
    });
  });

  describe('permissions', () => {
    let reporting: SeededAccount;
    before(async () => {
      reporting = await seedAccount(t, { permissions: ['reporting'] });
    });

    it('answers 403/1101 to an OAuth 1.0a credential without the ivr permission', async () => {
      const res = await signedEligibility(reporting);
      assertIvrError(res, 403, 1101);
      assert.equal(await countCalls(reporting.accountId), 0);
    });

    it('answers 403/1101 to a bearer token of a credential without the ivr permission', async () => {
      const token = await bearerToken(t.url, reporting.oauth2);
      assert.equal(decodePayload(token).scope, 'reporting', 'the token claims what it may do');
      const res = await postEligibility(
        reporting.accountId,
        `Bearer ${token}`,
        eligibilityBody(reporting),
      );
      assertIvrError(res, 403, 1101);
      assert.equal(await countCalls(reporting.accountId), 0);
    });
  });

  describe('a path account that is not the credential’s', () => {
    const ids = () => [
      a.accountId,
      b.accountId,
      ...Object.values(a.handoffs),
      ...Object.values(b.handoffs),
    ];

    function assertNothingLeaks(res: ApiResponse, extra: string[] = []): void {
      const text = JSON.stringify(res.body) + JSON.stringify([...res.headers]);
      for (const id of [...ids(), ...extra]) {
        assert.ok(!text.includes(id), `the answer mentions ${id}: ${text}`);
      }
    }

    it("refuses an OAuth 1.0a request for another real account's path", async () => {
      const before = await countCalls(b.accountId);
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(b.accountId));
      const res = await postEligibility(b.accountId, header, eligibilityBody(b));
      assertIvrError(res, 403, 1101);
      assertNothingLeaks(res);
      assert.equal(await countCalls(b.accountId), before, 'nothing stored for B');
    });

    it("refuses a bearer token for another real account's path", async () => {
      const token = await bearerToken(t.url, a.oauth2);
      const res = await postEligibility(b.accountId, `Bearer ${token}`, eligibilityBody(b));
      assertIvrError(res, 403, 1101);
      assertNothingLeaks(res);
    });

    it('refuses a nonexistent account id for both schemes', async () => {
      let missing = newAccountId();
      while (missing === a.accountId || missing === b.accountId) missing = newAccountId();
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(missing));
      const signed = await postEligibility(missing, header, eligibilityBody(a));
      assertIvrError(signed, 403, 1101);
      assertNothingLeaks(signed, [missing]);
      const token = await bearerToken(t.url, a.oauth2);
      const bearer = await postEligibility(missing, `Bearer ${token}`, eligibilityBody(a));
      assertIvrError(bearer, 403, 1101);
      assertNothingLeaks(bearer, [missing]);
      // the same answer as for a real account: a credential cannot probe which ids exist
      const real = await postEligibility(
        b.accountId,
        oauth1Header(a.oauth1, 'POST', eligibilityUrl(b.accountId)),
        eligibilityBody(a),
      );
      assert.deepEqual(real.body, signed.body);
      assert.deepEqual(bearer.body, signed.body);
    });
  });

  describe('secrets at rest', () => {
    it('stores no plaintext secret, and the client secret only as a hash', async () => {
      const rows = await t.c2m.deps.db
        .selectFrom('credentials')
        .selectAll()
        .where('account_id', '=', a.accountId)
        .execute();
      const oauth1 = rows.find((r) => r.id === a.oauth1.id);
      const oauth2 = rows.find((r) => r.id === a.oauth2.id);
      assert.ok(oauth1 && oauth2);
      const secrets = [a.oauth1.consumerSecret, a.oauth1.tokenSecret, a.oauth2.clientSecret];
      for (const row of rows) {
        const stored = JSON.stringify(row);
        for (const secret of secrets)
          assert.ok(!stored.includes(secret), `row ${row.id} holds a secret`);
      }
      assert.ok(oauth1.secret_enc && oauth1.token_secret_enc);
      assert.notEqual(oauth1.secret_enc, oauth1.token_secret_enc);
      assert.equal(oauth1.secret_hash, null);
      assert.ok(oauth2.secret_hash);
      assert.notEqual(oauth2.secret_hash, a.oauth2.clientSecret);
      assert.match(oauth2.secret_hash, /^[0-9a-f]{64}$/, 'a SHA-256 digest');
      assert.equal(oauth2.secret_enc, null);
    });

    it('leaves no secret anywhere in the database files', () => {
      const secrets = [a.oauth1.consumerSecret, a.oauth1.tokenSecret, a.oauth2.clientSecret];
      const files = ['c2m.sqlite', 'c2m.sqlite-wal']
        .map((name) => join(t.dataDir, name))
        .filter((path) => existsSync(path));
      assert.ok(files.length > 0);
      for (const path of files) {
        const bytes = readFileSync(path);
        for (const secret of secrets)
          assert.equal(bytes.indexOf(secret), -1, `${path} holds a secret`);
      }
    });
  });
});
