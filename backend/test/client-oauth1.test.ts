// The client's OAuth 1.0a signer (WebCrypto) against the independent oauth-1.0a library, the one
// LivePerson's C2M Node sample uses: for the same nonce and timestamp the headers are identical.
// That the real c2m accepts them is shown in client.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { oauth1Authorization, type OAuth1SignatureMethod } from '../../client/src/index.js';
import { parseOAuthHeader } from '../src/auth/oauth1.js';

const CREDENTIALS = {
  consumerKey: 'c2m_ck_app',
  consumerSecret: 'consumer secret&with/odd=chars~é',
  token: 'c2m_at_token',
  tokenSecret: 'token-secret!*()',
};
const NONCE = 'k3JuQ8mZ0pT5vX2wY7aB4cD9eF1gH6iJ';
const TIMESTAMP = 1_768_478_400;

/** The header the oauth-1.0a library produces for this request. */
function librarySign(method: string, url: string, signatureMethod: OAuth1SignatureMethod): string {
  const client = new OAuth({
    consumer: { key: CREDENTIALS.consumerKey, secret: CREDENTIALS.consumerSecret },
    signature_method: signatureMethod,
    hash_function: (base, key) =>
      createHmac(signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
        .update(base)
        .digest('base64'),
  });
  client.getNonce = () => NONCE;
  client.getTimeStamp = () => TIMESTAMP;
  const data = client.authorize(
    { url, method },
    { key: CREDENTIALS.token, secret: CREDENTIALS.tokenSecret },
  );
  return client.toHeader(data).Authorization;
}

const REQUESTS = [
  ['POST', 'http://127.0.0.1:3000/api/account/123/eligibility?v=2.0'],
  ['POST', 'https://c2m.example.com/api/account/123/invite?v=2.0'],
  [
    'GET',
    'http://127.0.0.1:41234/api/account/123/app/c2m/analytics?attemptedStartTime=1768000000000&attemptedEndTime=1768086400000',
  ],
  [
    'POST',
    'http://127.0.0.1:41234/api/account/123/app/c2m/transactions?v=2.0&attemptedStartTime=1&attemptedEndTime=2',
  ],
] as const;

describe('client OAuth 1.0a signing', () => {
  for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
    for (const [method, url] of REQUESTS) {
      it(`equals the oauth-1.0a library's header: ${signatureMethod} ${method} ${url}`, async () => {
        const ours = await oauth1Authorization(
          { ...CREDENTIALS, signatureMethod },
          { method, url, nonce: NONCE, timestamp: TIMESTAMP },
        );
        assert.equal(ours, librarySign(method, url, signatureMethod));
      });
    }
  }

  it('makes a fresh nonce and a current timestamp when not given', async () => {
    const sign = () => oauth1Authorization(CREDENTIALS, { method: 'POST', url: REQUESTS[0][1] });
    const [a, b] = [parseOAuthHeader(await sign()), parseOAuthHeader(await sign())];
    assert.ok(a && b);
    assert.notEqual(a.oauth_nonce, b.oauth_nonce);
    assert.match(a.oauth_nonce, /^[0-9a-f]{32}$/);
    assert.ok(Math.abs(Number(a.oauth_timestamp) - Date.now() / 1000) < 5);
    assert.equal(a.oauth_signature_method, 'HMAC-SHA1');
  });
});
