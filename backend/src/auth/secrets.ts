// Secret material: generating API credentials, storing them (hashed when we only need to recognise
// them, encrypted when we must use them again) and deriving one key per purpose from the master
// secret so that, say, a token-signing key can never decrypt a stored credential.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_TOKEN_BYTES = 16;
const MIN_MASTER_SECRET_LENGTH = 32;
const HKDF_SALT = 'c2m.hkdf.v1';

/**
 * A random credential behind a public prefix, e.g. `randomToken('c2m_ck_')` gives
 * `c2m_ck_<43 base64url chars>`. The prefix says what the string is (lookup, leak scanning) and
 * carries no secret; the prefix is used verbatim, so include its separator.
 */
export function randomToken(prefix: string, bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES) {
    throw new RangeError(`a token needs at least ${MIN_TOKEN_BYTES} random bytes`);
  }
  return prefix + randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 hex of a secret we only need to recognise (API keys, client secrets). Plain SHA-256 is
 * enough, not bcrypt/argon2: those slow KDFs protect low-entropy passwords from guessing, while a
 * 256-bit random token cannot be guessed at any speed, so a slow hash would only add latency to
 * every request.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time equality that also hides the lengths, by comparing digests of both sides. */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * AES-256-GCM for secrets we must use again: an OAuth 1.0a consumer or token secret is the HMAC
 * key that verifies a signature, so it cannot be hashed. Output is `v1.<iv>.<tag>.<ciphertext>`,
 * base64url. `associatedData` (e.g. the row's id) binds the ciphertext to its owner, so it cannot
 * be moved to another row; pass the same value to decryptSecret.
 */
export function encryptSecret(plaintext: string, key: Buffer, associatedData?: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ['v1', b64(iv), b64(tag), b64(ciphertext)].join('.');
}

/** Reverses encryptSecret; throws if the text is not ours, was altered, or the key is wrong. */
export function decryptSecret(ciphertext: string, key: Buffer, associatedData?: string): string {
  assertKey(key);
  const parts = ciphertext.split('.');
  const [iv, tag, data] = parts.slice(1).map(fromB64);
  const wellFormed =
    parts.length === 4 &&
    parts[0] === 'v1' &&
    iv?.length === IV_BYTES &&
    tag?.length === TAG_BYTES &&
    data !== undefined;
  if (!wellFormed) throw new Error('encrypted secret is not in v1 format');
  const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('encrypted secret failed authentication (tampered, or wrong key)');
  }
}

/**
 * A 32-byte key for one purpose ('jwt', 'secrets', …) from the master secret, by HKDF-SHA256
 * (RFC 5869). Different purposes give independent keys.
 */
export function deriveKey(masterSecret: string, purpose: string): Buffer {
  if (masterSecret.length < MIN_MASTER_SECRET_LENGTH) {
    throw new RangeError(
      `master secret needs ${MIN_MASTER_SECRET_LENGTH}+ characters (try: openssl rand -base64 32)`,
    );
  }
  if (purpose === '') throw new RangeError('purpose must not be empty');
  return Buffer.from(hkdfSync('sha256', masterSecret, HKDF_SALT, `c2m:${purpose}`, KEY_BYTES));
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`AES-256-GCM needs a ${KEY_BYTES}-byte key`);
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Strict base64url, so one ciphertext has one spelling. */
function fromB64(part: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return b64(bytes) === part ? bytes : undefined;
}
