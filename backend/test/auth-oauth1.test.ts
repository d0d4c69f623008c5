// OAuth 1.0a verification against requests signed by an independent client library (oauth-1.0a,
// the one LivePerson's C2M Node sample uses), plus the RFC 5849 worked example.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import {
  MemoryNonceStore,
  parseOAuthHeader,
  signatureBaseString,
  verifyOAuth1Request,
  type OAuth1Deps,
  type OAuth1Request,
} from '../src/auth/oauth1.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const CONSUMER = { key: 'c2m_ck_app', secret: 'consumer secret&with/odd=chars' };
const TOKEN = { key: 'c2m_at_token', secret: 'token-secret~1' };
const ELIGIBILITY = 'http://127.0.0.1:3000/api/account/123/eligibility?v=2.0';

type Method = 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT';

interface SignOptions {
  url?: string;
  method?: string;
  data?: Record<string, string | string[]>;
  signatureMethod?: Method;
  timestampMs?: number;
}

/** The Authorization header the oauth-1.0a library produces for this request. */
function sign(opts: SignOptions = {}): string {
  const signatureMethod = opts.signatureMethod ?? 'HMAC-SHA1';
  const client = new OAuth({
    consumer: CONSUMER,
    signature_method: signatureMethod,
    ...(signatureMethod === 'PLAINTEXT'
      ? {}
      : {
          hash_function: (base: string, key: string) =>
            createHmac(signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
              .update(base)
              .digest('base64'),
        }),
  });
  const timestampMs = opts.timestampMs ?? NOW;
  client.getTimeStamp = () => Math.floor(timestampMs / 1000);
  const authorization = client.authorize(
    // The library merges the query into `data`, so give it a copy of the body.
    { url: opts.url ?? ELIGIBILITY, method: opts.method ?? 'POST', data: { ...opts.data } },
    TOKEN,
  );
  return client.toHeader(authorization).Authorization;
}

function deps(overrides: Partial<OAuth1Deps> = {}): OAuth1Deps {
  const now = () => NOW;
  return {
    lookup: (consumerKey, token) =>
      consumerKey === CONSUMER.key && token === TOKEN.key
        ? { consumerSecret: CONSUMER.secret, tokenSecret: TOKEN.secret }
        : undefined,
    nonces: new MemoryNonceStore(now),
    now,
    ...overrides,
  };
}

function request(overrides: Partial<OAuth1Request> = {}): OAuth1Request {
  return { method: 'POST', url: ELIGIBILITY, authorization: sign(), ...overrides };
}

const accepted = { ok: true, consumerKey: CONSUMER.key, token: TOKEN.key };
const rejected = (reason: string) => ({ ok: false, reason });

describe('verifyOAuth1Request: requests signed by the oauth-1.0a library', () => {
  for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
    it(`accepts the C2M eligibility POST signed with ${signatureMethod}`, async () => {
      const authorization = sign({ signatureMethod });
      assert.deepEqual(await verifyOAuth1Request(request({ authorization }), deps()), accepted);
    });
  }

  it('accepts a URL with a non-default port', async () => {
    const url = 'https://c2m.example.com:8443/api/account/123/invite?v=2.0';
    const result = await verifyOAuth1Request(
      request({ url, authorization: sign({ url }) }),
      deps(),
    );
    assert.deepEqual(result, accepted);
  });

  it('accepts a query value that needs percent-encoding', async () => {
    const url = `${ELIGIBILITY}&note=caf%C3%A9%20%26%20cr%C3%A8me%21%2A%27%28%29&skill=a%2Fb`;
    const result = await verifyOAuth1Request(
      request({ url, authorization: sign({ url }) }),
      deps(),
    );
    assert.deepEqual(result, accepted);
  });

  it('accepts a form-urlencoded body, including a repeated field', async () => {
    const formBody = { text: 'Hello Ladies + Gentlemen, a signed OAuth request!', tag: ['b', 'a'] };
    const authorization = sign({ data: formBody });
    assert.deepEqual(
      await verifyOAuth1Request(request({ authorization, formBody }), deps()),
      accepted,
    );
  });

  it('rejects a form body that differs from the signed one', async () => {
    const authorization = sign({ data: { text: 'hello' } });
    const result = await verifyOAuth1Request(
      request({ authorization, formBody: { text: 'hello!' } }),
      deps(),
    );
    assert.deepEqual(result, rejected('bad_signature'));
  });

  it('rejects a tampered query (v=2.1 instead of the signed v=2.0)', async () => {
    const url = ELIGIBILITY.replace('v=2.0', 'v=2.1');
    assert.deepEqual(
      await verifyOAuth1Request(request({ url }), deps()),
      rejected('bad_signature'),
    );
  });

  it('rejects a signature made with another token secret', async () => {
    const lookup = () => ({ consumerSecret: CONSUMER.secret, tokenSecret: 'not-the-secret' });
    assert.deepEqual(
      await verifyOAuth1Request(request(), deps({ lookup })),
      rejected('bad_signature'),
    );
  });

  it('rejects a request replayed with another HTTP method', async () => {
    const result = await verifyOAuth1Request(request({ method: 'GET' }), deps());
    assert.deepEqual(result, rejected('bad_signature'));
  });

  it('rejects timestamps outside the window, either way', async () => {
    for (const offset of [-301_000, 301_000]) {
      const authorization = sign({ timestampMs: NOW + offset });
      const result = await verifyOAuth1Request(request({ authorization }), deps());
      assert.deepEqual(result, rejected('stale_timestamp'), `offset ${offset}`);
    }
    for (const offset of [-300_000, 300_000]) {
      const authorization = sign({ timestampMs: NOW + offset });
      assert.deepEqual(await verifyOAuth1Request(request({ authorization }), deps()), accepted);
    }
  });

  it('honours a custom window', async () => {
    const authorization = sign({ timestampMs: NOW - 61_000 });
    const result = await verifyOAuth1Request(
      request({ authorization }),
      deps({ windowSeconds: 60 }),
    );
    assert.deepEqual(result, rejected('stale_timestamp'));
  });

  it('still knows the nonce at the last instant its timestamp is accepted', async () => {
    let now = NOW;
    const shared = deps({ now: () => now, nonces: new MemoryNonceStore(() => now) });
    const replay = request();
    assert.deepEqual(await verifyOAuth1Request(replay, shared), accepted);
    now = NOW + 300_000;
    assert.deepEqual(await verifyOAuth1Request(replay, shared), rejected('replayed_nonce'));
    now = NOW + 300_001;
    assert.deepEqual(await verifyOAuth1Request(replay, shared), rejected('stale_timestamp'));
  });

  it('rejects a replayed nonce: the second identical request fails', async () => {
    const shared = deps();
    const replay = request();
    assert.deepEqual(await verifyOAuth1Request(replay, shared), accepted);
    assert.deepEqual(await verifyOAuth1Request(replay, shared), rejected('replayed_nonce'));
  });

  it('does not let a forged request spend the nonce of a genuine one', async () => {
    const shared = deps();
    const genuine = request();
    const forged = { ...genuine, url: ELIGIBILITY.replace('123', '124') };
    assert.deepEqual(await verifyOAuth1Request(forged, shared), rejected('bad_signature'));
    assert.deepEqual(await verifyOAuth1Request(genuine, shared), accepted);
  });

  it('rejects an unknown consumer key or token', async () => {
    const result = await verifyOAuth1Request(request(), deps({ lookup: () => undefined }));
    assert.deepEqual(result, rejected('unknown_key'));
  });

  it('reports a missing header, or one of another scheme, as missing', async () => {
    for (const authorization of [undefined, '', '   ', 'Bearer abc.def.ghi']) {
      const result = await verifyOAuth1Request(request({ authorization }), deps());
      assert.deepEqual(result, rejected('missing'), String(authorization));
    }
  });

  it('rejects malformed headers', async () => {
    const good = sign();
    const cases = [
      'OAuth oauth_consumer_key=unquoted',
      good.replace('oauth_nonce=', 'oauth_nonce_x='),
      `${good}, oauth_nonce="again"`,
      `${good}, extra="1"`,
      good.replace('oauth_version="1.0"', 'oauth_version="2.0"'),
      good.replace(/oauth_timestamp="\d+"/, 'oauth_timestamp="soon"'),
      good.replace(/oauth_token="[^"]*"/, 'oauth_token=""'),
      `${good}, oauth_callback="%E0%A4%A"`,
    ];
    for (const authorization of cases) {
      const result = await verifyOAuth1Request(request({ authorization }), deps());
      assert.deepEqual(result, rejected('malformed'), authorization);
    }
  });

  it('rejects the PLAINTEXT signature method (and RSA-SHA1)', async () => {
    const plaintext = sign({ signatureMethod: 'PLAINTEXT' });
    assert.match(plaintext, /oauth_signature_method="PLAINTEXT"/);
    const rsa = sign().replace('HMAC-SHA1', 'RSA-SHA1');
    for (const authorization of [plaintext, rsa]) {
      const result = await verifyOAuth1Request(request({ authorization }), deps());
      assert.deepEqual(result, rejected('unsupported_method'));
    }
  });

  it('accepts a request signed without oauth_version', async () => {
    const client = new OAuth({
      consumer: CONSUMER,
      signature_method: 'HMAC-SHA256',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    const data = {
      oauth_consumer_key: CONSUMER.key,
      oauth_token: TOKEN.key,
      oauth_nonce: 'n0nce',
      oauth_signature_method: 'HMAC-SHA256',
      oauth_timestamp: NOW / 1000,
    } as OAuth.Data;
    const oauth_signature = client.getSignature(
      { url: ELIGIBILITY, method: 'POST', data: {} },
      TOKEN.secret,
      data,
    );
    const { Authorization } = client.toHeader({ ...data, oauth_signature });
    assert.doesNotMatch(Authorization, /oauth_version/);
    const result = await verifyOAuth1Request(request({ authorization: Authorization }), deps());
    assert.deepEqual(result, accepted);
  });

  it('leaves realm out of the signature', async () => {
    const authorization = sign().replace('OAuth ', 'OAuth realm="c2m",');
    assert.deepEqual(await verifyOAuth1Request(request({ authorization }), deps()), accepted);
  });
});

describe('signatureBaseString (RFC 5849 §3.4.1)', () => {
  it('produces the §3.4.1.1 example exactly', () => {
    const header = parseOAuthHeader(
      'OAuth realm="Example",\n' +
        '                oauth_consumer_key="9djdj82h48djs9d2",\n' +
        '                oauth_token="kkk9d7dh3k39sjv7",\n' +
        '                oauth_signature_method="HMAC-SHA1",\n' +
        '                oauth_timestamp="137131201",\n' +
        '                oauth_nonce="7d8f3e4a",\n' +
        '                oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
    );
    assert.ok(header);
    const oauthParams = Object.entries(header).filter(([name]) => name !== 'realm');
    const body = [...new URLSearchParams('c2&a3=2+q')];
    const base = signatureBaseString(
      'post',
      'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      [...oauthParams, ...body],
    );
    assert.equal(
      base,
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q' +
        '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_' +
        'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m' +
        'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk' +
        '9d7dh3k39sjv7',
    );
  });

  it('lower-cases scheme and host, drops a default port, keeps the path case', () => {
    assert.equal(
      signatureBaseString('GET', 'HTTP://Example.COM:80/R%20S?q', []),
      'GET&http%3A%2F%2Fexample.com%2FR%2520S&q%3D',
    );
    assert.equal(
      signatureBaseString('GET', 'https://example.com:443/', []),
      'GET&https%3A%2F%2Fexample.com%2F&',
    );
    assert.equal(
      signatureBaseString('GET', 'https://example.com:8443/', []),
      'GET&https%3A%2F%2Fexample.com%3A8443%2F&',
    );
  });
});

describe('parseOAuthHeader', () => {
  it('reads parameters with or without spaces after commas, percent-decoded', () => {
    assert.deepEqual(parseOAuthHeader('OAuth a="1",b="x%20y%2Bz" , c="%E2%9C%93"'), {
      a: '1',
      b: 'x y+z',
      c: '✓',
    });
    assert.deepEqual(parseOAuthHeader('oauth  a="1"'), { a: '1' });
  });

  it('returns null for duplicates, bad syntax, bad encoding and other schemes', () => {
    for (const header of [
      'OAuth a="1", a="2"',
      'OAuth a="1",',
      'OAuth a="1" b="2"',
      'OAuth a=1',
      'OAuth a="%zz"',
      'Bearer a="1"',
      'OAuthx a="1"',
    ]) {
      assert.equal(parseOAuthHeader(header), null, header);
    }
  });

  it('keeps a parameter called __proto__ as plain data', () => {
    const parsed = parseOAuthHeader('OAuth __proto__="x"');
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.equal(parsed?.['__proto__'], 'x');
  });
});

describe('MemoryNonceStore', () => {
  it('remembers a key until it expires', async () => {
    let now = 1_000;
    const store = new MemoryNonceStore(() => now);
    assert.equal(await store.seen('n1', 2_000), false);
    assert.equal(await store.seen('n1', 2_000), true);
    now = 2_000;
    assert.equal(await store.seen('n1', 3_000), true);
    now = 2_001;
    assert.equal(await store.seen('n1', 3_000), false);
  });

  it('prunes expired entries as it grows, so memory stays bounded', async () => {
    let now = 0;
    const store = new MemoryNonceStore(() => now, 8);
    for (let i = 0; i < 1_000; i++) {
      now = i * 10;
      await store.seen(`n${i}`, now + 50);
      assert.ok(store.size <= 16, `size ${store.size} after ${i + 1} inserts`);
    }
  });
});
