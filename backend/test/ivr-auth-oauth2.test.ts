// IVR API authentication with OAuth 2.0 client credentials: issuing tokens (form body, HTTP Basic,
// the sentinel path), refusing bad clients and grants, expiry, tampering and revocation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { c2m } from './cli-run.js';
import { revokeCredential } from '../src/modules/accounts/credentials.repo.js';
import { bearerToken, call, seedAccount, type ApiResponse } from './helpers.js';
import {
  t,
  a,
  b,
  postEligibility,
  withClockMoved,
  countCalls,
  TOKEN_TTL_MS,
  eligibilityBody,
  assertIvrError,
  assertEligible,
  base64url,
  decodePayload,
  useIvrAuthFixture,
} from './ivr-auth-fixtures.js';

describe('IVR API authentication', () => {
  useIvrAuthFixture();

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
      await revokeCredential(t.c2m.deps, c.accountId, c.oauth2.id, t.clock.now());
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

    it('rejects the next request once another process revoked the credential', async () => {
      const c = await seedAccount(t);
      const token = await bearerToken(t.url, c.oauth2);
      // twice: the second is answered from the memo of the credential, if there is one
      for (let i = 0; i < 2; i++) {
        assertEligible(await postEligibility(c.accountId, `Bearer ${token}`, eligibilityBody(c)));
      }
      // the CLI: a connection of its own, committing beside the server's
      const revoked = await c2m(t.dataDir, [
        ...['credentials', 'revoke', '--account', c.accountId, '--id', c.oauth2.id],
      ]);
      assert.equal(revoked.code, 0, revoked.stderr);
      const res = await postEligibility(c.accountId, `Bearer ${token}`, eligibilityBody(c));
      assertIvrError(res, 401, 1100);
    });
  });
});
