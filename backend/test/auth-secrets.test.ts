// Secret helpers: encryption is authenticated, keys are separated by purpose, hashes are stable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  decryptSecret,
  deriveKey,
  encryptSecret,
  hashSecret,
  randomToken,
  safeEqual,
} from '../src/auth/secrets.js';

const MASTER = 'test-master-secret-0123456789abcdef';

describe('encryptSecret / decryptSecret', () => {
  const key = deriveKey(MASTER, 'secrets');

  it('round-trips, with a fresh IV each time', () => {
    const plaintext = 'token secret ✓ with unicode';
    const first = encryptSecret(plaintext, key);
    const second = encryptSecret(plaintext, key);
    assert.match(first, /^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    assert.notEqual(first, second);
    assert.ok(!first.includes(Buffer.from(plaintext).toString('base64url')));
    assert.equal(decryptSecret(first, key), plaintext);
    assert.equal(decryptSecret(second, key), plaintext);
    assert.equal(decryptSecret(encryptSecret('', key), key), '');
  });

  it('detects tampering with the ciphertext, tag or IV', () => {
    const sealed = encryptSecret('consumer secret', key);
    const [version, iv, tag, data] = sealed.split('.');
    const flip = (part: string) => (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
    for (const tampered of [
      [version, iv, tag, flip(data)],
      [version, iv, flip(tag), data],
      [version, flip(iv), tag, data],
    ]) {
      assert.throws(() => decryptSecret(tampered.join('.'), key), /failed authentication/);
    }
  });

  it('rejects another key, or other associated data', () => {
    const sealed = encryptSecret('consumer secret', key, 'oauth_consumer:1');
    assert.equal(decryptSecret(sealed, key, 'oauth_consumer:1'), 'consumer secret');
    assert.throws(() => decryptSecret(sealed, key, 'oauth_consumer:2'), /failed authentication/);
    assert.throws(() => decryptSecret(sealed, key), /failed authentication/);
    assert.throws(() => decryptSecret(sealed, randomBytes(32), 'oauth_consumer:1'));
  });

  it('rejects text that is not in the v1 format', () => {
    const sealed = encryptSecret('x', key);
    for (const bad of ['', 'plain', sealed.replace(/^v1/, 'v2'), `${sealed}.x`, `${sealed}=`]) {
      assert.throws(() => decryptSecret(bad, key), /not in v1 format/, bad);
    }
  });

  it('needs a 32-byte key', () => {
    assert.throws(() => encryptSecret('x', randomBytes(16)), RangeError);
  });
});

describe('deriveKey', () => {
  it('gives a stable 32-byte key per purpose, and different keys for different purposes', () => {
    const jwt = deriveKey(MASTER, 'jwt');
    assert.equal(jwt.length, 32);
    assert.deepEqual(deriveKey(MASTER, 'jwt'), jwt);
    assert.notDeepEqual(deriveKey(MASTER, 'secrets'), jwt);
    assert.notDeepEqual(deriveKey(`${MASTER}!`, 'jwt'), jwt);
  });

  it('refuses a short master secret or an empty purpose', () => {
    assert.throws(() => deriveKey('short', 'jwt'), RangeError);
    assert.throws(() => deriveKey(MASTER, ''), RangeError);
  });
});

describe('hashSecret, safeEqual, randomToken', () => {
  it('hashes stably to SHA-256 hex that does not contain the secret', () => {
    const secret = randomToken('c2m_ck_');
    const hash = hashSecret(secret);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hashSecret(secret), hash);
    assert.notEqual(hash, secret);
    assert.ok(!hash.includes(secret.slice(7)));
    assert.notEqual(hashSecret(`${secret}x`), hash);
    assert.equal(
      hashSecret('abc'),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('compares strings and buffers, of any lengths', () => {
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(safeEqual(Buffer.from('abc'), 'abc'), true);
  });

  it('makes prefixed, unique, URL-safe tokens', () => {
    const token = randomToken('c2m_ck_');
    assert.match(token, /^c2m_ck_[\w-]{43}$/);
    assert.notEqual(randomToken('c2m_ck_'), token);
    assert.match(randomToken('c2m_at_', 16), /^c2m_at_[\w-]{22}$/);
    assert.throws(() => randomToken('c2m_ck_', 8), RangeError);
  });
});
