// HS256 compact JWS: what we sign verifies, and every way a token can be wrong is told apart.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { signJwt, verifyJwt } from '../src/auth/jwt.js';

const KEY = randomBytes(32);
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const now = () => NOW;
const at = (ms: number) => () => ms;

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with any header and claims (an object, or raw text), correctly signed with `key`. */
function forge(header: object, claims: object | string, key = KEY): string {
  const payload =
    typeof claims === 'string' ? Buffer.from(claims).toString('base64url') : b64json(claims);
  const input = `${b64json(header)}.${payload}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

describe('signJwt / verifyJwt', () => {
  it('round-trips the payload and adds iat and exp', () => {
    const token = signJwt({ sub: 'app-1', aud: '123', iss: 'c2m', scope: 'c2m' }, KEY, {
      expiresInSeconds: 3600,
      now,
      kid: 'k1',
    });
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const header: unknown = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT', kid: 'k1' });

    const result = verifyJwt(token, KEY, { now, audience: '123', issuer: 'c2m' });
    assert.deepEqual(result, {
      ok: true,
      payload: {
        sub: 'app-1',
        aud: '123',
        iss: 'c2m',
        scope: 'c2m',
        iat: NOW / 1000,
        exp: NOW / 1000 + 3600,
      },
    });
  });

  it('accepts an audience listed in an array', () => {
    const token = signJwt({ aud: ['123', '456'] }, KEY, { expiresInSeconds: 60, now });
    assert.equal(verifyJwt(token, KEY, { now, audience: '456' }).ok, true);
  });

  it('expires exactly at exp, with no clock skew allowance', () => {
    const token = signJwt({}, KEY, { expiresInSeconds: 60, now });
    assert.equal(verifyJwt(token, KEY, { now: at(NOW + 59_999) }).ok, true);
    assert.deepEqual(verifyJwt(token, KEY, { now: at(NOW + 60_000) }), {
      ok: false,
      reason: 'expired',
    });
  });

  it('allows 30 s of skew for nbf and iat, no more', () => {
    const issuedAhead = signJwt({}, KEY, { expiresInSeconds: 600, now: at(NOW + 30_000) });
    assert.equal(verifyJwt(issuedAhead, KEY, { now }).ok, true);
    const tooFarAhead = signJwt({}, KEY, { expiresInSeconds: 600, now: at(NOW + 31_000) });
    assert.deepEqual(verifyJwt(tooFarAhead, KEY, { now }), {
      ok: false,
      reason: 'not_yet_valid',
    });
    const notBefore = forge({ alg: 'HS256' }, { exp: NOW / 1000 + 600, nbf: NOW / 1000 + 31 });
    assert.deepEqual(verifyJwt(notBefore, KEY, { now }), { ok: false, reason: 'not_yet_valid' });
  });

  it('rejects a tampered payload', () => {
    const [header, , signature] = signJwt({ role: 'user' }, KEY, {
      expiresInSeconds: 60,
      now,
    }).split('.');
    const payload = b64json({ role: 'admin', iat: NOW / 1000, exp: NOW / 1000 + 60 });
    const result = verifyJwt(`${header}.${payload}.${signature}`, KEY, { now });
    assert.deepEqual(result, { ok: false, reason: 'bad_signature' });
  });

  it('rejects a tampered signature', () => {
    const token = signJwt({}, KEY, { expiresInSeconds: 60, now });
    const [header, payload, signature] = token.split('.');
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    const result = verifyJwt(`${header}.${payload}.${flipped}`, KEY, { now });
    assert.deepEqual(result, { ok: false, reason: 'bad_signature' });
    const truncated = verifyJwt(`${header}.${payload}.${signature.slice(0, 40)}`, KEY, { now });
    assert.equal(truncated.ok, false);
  });

  it('rejects a token signed with another key', () => {
    const token = signJwt({}, randomBytes(32), { expiresInSeconds: 60, now });
    assert.deepEqual(verifyJwt(token, KEY, { now }), { ok: false, reason: 'bad_signature' });
  });

  it('rejects alg "none" and any algorithm other than HS256', () => {
    const claims = b64json({ exp: NOW / 1000 + 60 });
    const none = `${b64json({ alg: 'none', typ: 'JWT' })}.${claims}.`;
    assert.deepEqual(verifyJwt(none, KEY, { now }), { ok: false, reason: 'unsupported_alg' });
    for (const alg of ['HS512', 'RS256', 'hs256', undefined]) {
      const token = forge({ alg }, { exp: NOW / 1000 + 60 });
      const result = verifyJwt(token, KEY, { now });
      assert.deepEqual(result, { ok: false, reason: 'unsupported_alg' }, String(alg));
    }
  });

  it('rejects the wrong audience or issuer', () => {
    const token = signJwt({ aud: '123', iss: 'c2m' }, KEY, { expiresInSeconds: 60, now });
    assert.deepEqual(verifyJwt(token, KEY, { now, audience: '999' }), {
      ok: false,
      reason: 'wrong_audience',
    });
    assert.deepEqual(verifyJwt(token, KEY, { now, issuer: 'Sentinel' }), {
      ok: false,
      reason: 'wrong_issuer',
    });
    const noAudience = signJwt({}, KEY, { expiresInSeconds: 60, now });
    assert.deepEqual(verifyJwt(noAudience, KEY, { now, audience: '123' }), {
      ok: false,
      reason: 'wrong_audience',
    });
  });

  it('rejects malformed tokens', () => {
    const good = signJwt({}, KEY, { expiresInSeconds: 60, now });
    const [header, payload, signature] = good.split('.');
    const cases = [
      '',
      'abc',
      `${header}.${payload}`,
      `${good}.extra`,
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature.replace(/./, '+')}`,
      `${b64json([1, 2])}.${payload}.${signature}`,
      forge({ alg: 'HS256' }, { sub: 'never expires' }),
      forge({ alg: 'HS256' }, { exp: 'tomorrow' }),
      forge({ alg: 'HS256' }, { exp: NOW / 1000 + 60, aud: 123 }),
      forge({ alg: 'HS256', crit: ['b64'] }, { exp: NOW / 1000 + 60 }),
      forge({ alg: 'HS256' }, 'not json'),
      forge({ alg: 'HS256' }, '[1, 2]'),
    ];
    for (const token of cases) {
      assert.deepEqual(verifyJwt(token, KEY, { now }), { ok: false, reason: 'malformed' }, token);
    }
  });

  it('refuses keys shorter than 32 bytes', () => {
    assert.throws(() => signJwt({}, randomBytes(16), { expiresInSeconds: 60 }), RangeError);
    assert.throws(() => verifyJwt('a.b.c', Buffer.alloc(0)), RangeError);
  });
});
