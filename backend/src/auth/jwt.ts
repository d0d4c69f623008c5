// Compact JWS tokens signed with HS256 (RFC 7515 / 7519), for the tokens c2m issues itself (the
// OAuth 2.0 client-credentials AppJWT and session tokens). Only HS256 is accepted: a token may not
// choose its own algorithm, which closes the `alg: none` and algorithm-confusion holes.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface JwtClaims {
  [claim: string]: unknown;
  exp: number;
  iat?: number;
  nbf?: number;
  aud?: string | string[];
  iss?: string;
}

export type JwtFailure =
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'unsupported_alg';

export type JwtResult = { ok: true; payload: JwtClaims } | { ok: false; reason: JwtFailure };

export interface SignJwtOptions {
  expiresInSeconds: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
  kid?: string;
}

export interface VerifyJwtOptions {
  /** Milliseconds since the epoch. */
  now?: () => number;
  audience?: string;
  issuer?: string;
}

/** Clock difference tolerated for nbf and iat; none for exp, so no token outlives its term. */
const CLOCK_SKEW_SECONDS = 30;
/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
const MIN_KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function signJwt(
  payload: Record<string, unknown>,
  key: Buffer,
  opts: SignJwtOptions,
): string {
  assertKey(key);
  if (!Number.isFinite(opts.expiresInSeconds) || opts.expiresInSeconds <= 0) {
    throw new RangeError('expiresInSeconds must be a positive number');
  }
  const iat = Math.floor((opts.now ?? Date.now)() / 1000);
  const header = { alg: 'HS256', typ: 'JWT', ...(opts.kid === undefined ? {} : { kid: opts.kid }) };
  const claims = { ...payload, iat, exp: iat + Math.ceil(opts.expiresInSeconds) };
  const signingInput = `${encodeJson(header)}.${encodeJson(claims)}`;
  return `${signingInput}.${hmac(signingInput, key).toString('base64url')}`;
}

export function verifyJwt(token: string, key: Buffer, opts: VerifyJwtOptions = {}): JwtResult {
  assertKey(key);
  const parts = token.split('.');
  if (parts.length !== 3) return fail('malformed');
  const [headerPart, payloadPart, signaturePart] = parts;

  const header = decodeJson(headerPart);
  if (!header) return fail('malformed');
  if (header.alg !== 'HS256') return fail('unsupported_alg');
  // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
  if (header.crit !== undefined) return fail('malformed');

  const signature = decodeBase64url(signaturePart);
  if (!signature) return fail('malformed');
  const expected = hmac(`${headerPart}.${payloadPart}`, key);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    return fail('bad_signature');
  }

  const claims = decodeJson(payloadPart);
  if (!claims || !hasValidClaims(claims)) return fail('malformed');
  const now = (opts.now ?? Date.now)() / 1000;
  if (now >= claims.exp) return fail('expired');
  if (claims.nbf !== undefined && now + CLOCK_SKEW_SECONDS < claims.nbf) {
    return fail('not_yet_valid');
  }
  if (claims.iat !== undefined && now + CLOCK_SKEW_SECONDS < claims.iat) {
    return fail('not_yet_valid');
  }
  if (opts.audience !== undefined && !hasAudience(claims.aud, opts.audience)) {
    return fail('wrong_audience');
  }
  if (opts.issuer !== undefined && claims.iss !== opts.issuer) return fail('wrong_issuer');
  return { ok: true, payload: claims };
}

function fail(reason: JwtFailure): JwtResult {
  return { ok: false, reason };
}

function assertKey(key: Buffer): void {
  if (key.length < MIN_KEY_BYTES) {
    throw new RangeError(`HS256 key must be at least ${MIN_KEY_BYTES} bytes`);
  }
}

function hmac(signingInput: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(signingInput, 'ascii').digest();
}

function encodeJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Strict base64url: no padding and no stray characters, so one token has one spelling. */
function decodeBase64url(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64url(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every token we accept must expire; the other registered claims are optional but typed. */
function hasValidClaims(claims: Record<string, unknown>): claims is JwtClaims {
  const { exp, nbf, iat, aud, iss } = claims;
  const optionalNumber = (v: unknown) => v === undefined || Number.isFinite(v);
  const audOk =
    aud === undefined ||
    typeof aud === 'string' ||
    (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
  const issOk = iss === undefined || typeof iss === 'string';
  return Number.isFinite(exp) && optionalNumber(nbf) && optionalNumber(iat) && audOk && issOk;
}

function hasAudience(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}
