// IVR API authentication with OAuth 1.0a: requests signed by the independent `oauth-1.0a` library,
// what the signature covers, replays, the timestamp window, realms, and revoked credentials.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { revokeCredential } from '../src/modules/accounts/credentials.repo.js';
import { bearerToken, call, oauth1Header, seedAccount } from './helpers.js';
import {
  t,
  a,
  b,
  eligibilityUrl,
  postEligibility,
  signedEligibility,
  withClockMoved,
  countCalls,
  WINDOW_MS,
  eligibilityBody,
  assertIvrError,
  assertEligible,
  oauth1HeaderWith,
  useIvrAuthFixture,
} from './ivr-auth-fixtures.js';

describe('IVR API authentication', () => {
  useIvrAuthFixture();

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
      // signed at the server's time (the test clock), so only the move below takes it out of the
      // window, however long the file has run in real time
      const header = oauth1HeaderWith(a.oauth1, eligibilityUrl(a.accountId), {
        timestampSec: Math.floor(t.clock.now() / 1000),
      });
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
        await revokeCredential(t.c2m.deps, c.accountId, c.oauth1.id, t.clock.now()),
        true,
      );
      assertIvrError(await signedEligibility(c), 401, 1100);
    });
  });
});
