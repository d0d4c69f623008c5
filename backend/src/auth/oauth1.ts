// OAuth 1.0a request verification (RFC 5849), server side. LivePerson's C2M "API key" auth is an
// HMAC-SHA1 signed request with appKey/secret as the consumer and accessToken/secret as the token;
// the `v=2.0` query parameter is part of what is signed. Pure: no HTTP framework, no database.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { percentEncode, signatureBaseString } from '../../contract/oauth1.js';

export { percentEncode, signatureBaseString };

export type OAuth1Failure =
  | 'missing'
  | 'malformed'
  | 'unsupported_method'
  | 'unknown_key'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'replayed_nonce';

export type OAuth1Result =
  { ok: true; consumerKey: string; token: string } | { ok: false; reason: OAuth1Failure };

export interface OAuth1Request {
  method: string;
  /** Absolute URL as the client addressed it (scheme, host, port, path and query). */
  url: string;
  authorization: string | undefined;
  /**
   * The decoded body, only when its content type is application/x-www-form-urlencoded; RFC 5849
   * signs no other body, so a JSON body must not be passed here.
   */
  formBody?: Record<string, string | string[]>;
}

export interface OAuth1Secrets {
  consumerSecret: string;
  tokenSecret: string;
}

export interface OAuth1Deps {
  lookup(consumerKey: string, token: string): OAuth1Secrets | undefined;
  nonces: NonceStore;
  /** Milliseconds since the epoch. */
  now(): number;
  /** How far oauth_timestamp may be from now, either way. Default 300. */
  windowSeconds?: number;
}

export interface NonceStore {
  /**
   * True if `key` was seen and has not expired; otherwise records it and resolves false. Asynchronous
   * because several nodes share one store (shared-state/nonces.ts): the check and the record are one
   * atomic step there, so a nonce replayed to another node is refused too.
   */
  seen(key: string, expiresAtMs: number): Promise<boolean>;
}

const HMAC_ALGORITHMS: Readonly<Record<string, 'sha1' | 'sha256'>> = {
  'HMAC-SHA1': 'sha1',
  'HMAC-SHA256': 'sha256',
};
const REQUIRED = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
] as const;
const DEFAULT_WINDOW_SECONDS = 300;

/**
 * Parses `OAuth k="v", k2="v2"` (§3.5.1) into percent-decoded names and values. Returns null when
 * the scheme is not OAuth, the syntax is wrong, a value does not decode, or a name repeats.
 */
export function parseOAuthHeader(header: string): Record<string, string> | null {
  const scheme = /^\s*OAuth(?:\s+|$)/i.exec(header);
  if (!scheme) return null;
  const param = /^([^\s=,"]+)\s*=\s*"([^"]*)"\s*/;
  const params = new Map<string, string>();
  let rest = header.slice(scheme[0].length).trimEnd();
  while (rest !== '') {
    const match = param.exec(rest);
    if (!match) return null;
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(match[1]);
      value = decodeURIComponent(match[2]);
    } catch {
      return null;
    }
    if (params.has(name)) return null;
    params.set(name, value);
    rest = rest.slice(match[0].length);
    if (rest === '') break;
    if (!rest.startsWith(',')) return null;
    rest = rest.slice(1).trimStart();
    if (rest === '') return null;
  }
  // fromEntries defines own properties, so a name like `__proto__` stays plain data.
  return Object.fromEntries(params);
}

/**
 * Verifies a request signed with HMAC-SHA1 or HMAC-SHA256 whose protocol parameters are in the
 * Authorization header. Every failure should reach the client as the same 401: the reason is for
 * logs and metrics, not for the caller.
 */
export async function verifyOAuth1Request(
  input: OAuth1Request,
  deps: OAuth1Deps,
): Promise<OAuth1Result> {
  const header = input.authorization?.trim();
  if (!header || !/^OAuth(?:\s|$)/i.test(header)) return fail('missing');
  const oauth = parseOAuthHeader(header);
  if (!oauth) return fail('malformed');

  // Only protocol parameters and realm belong in the header (§3.5.1).
  const isProtocolParam = (name: string) => name === 'realm' || name.startsWith('oauth_');
  if (!Object.keys(oauth).every(isProtocolParam)) return fail('malformed');
  if (REQUIRED.some((name) => !oauth[name])) return fail('malformed');
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') return fail('malformed');
  if (!/^\d{1,12}$/.test(oauth.oauth_timestamp)) return fail('malformed');
  if (!URL.canParse(input.url)) return fail('malformed');

  const method = oauth.oauth_signature_method;
  if (!Object.hasOwn(HMAC_ALGORITHMS, method)) return fail('unsupported_method');
  const algorithm = HMAC_ALGORITHMS[method];

  const consumerKey = oauth.oauth_consumer_key;
  const token = oauth.oauth_token;
  const secrets = deps.lookup(consumerKey, token);
  if (!secrets) return fail('unknown_key');

  const headerParams = Object.entries(oauth).filter(([name]) => name !== 'realm');
  const base = signatureBaseString(input.method, input.url, [
    ...headerParams,
    ...formPairs(input.formBody),
  ]);
  const key = `${percentEncode(secrets.consumerSecret)}&${percentEncode(secrets.tokenSecret)}`;
  const expected = createHmac(algorithm, key).update(base).digest('base64');
  if (!safeEqualAscii(expected, oauth.oauth_signature)) return fail('bad_signature');

  const windowMs = (deps.windowSeconds ?? DEFAULT_WINDOW_SECONDS) * 1000;
  const timestampMs = Number(oauth.oauth_timestamp) * 1000;
  if (Math.abs(deps.now() - timestampMs) > windowMs) return fail('stale_timestamp');

  // After the signature check, so only the key holder can spend nonces. Once the timestamp leaves
  // the window the request is stale anyway, so the nonce need not be remembered past that.
  const nonceKey = JSON.stringify([consumerKey, token, oauth.oauth_nonce, oauth.oauth_timestamp]);
  if (await deps.nonces.seen(nonceKey, timestampMs + windowMs)) return fail('replayed_nonce');

  return { ok: true, consumerKey, token };
}

/** Nonces in process memory; fine for one node (several nodes need a shared store). */
export class MemoryNonceStore implements NonceStore {
  private readonly entries = new Map<string, number>();
  private pruneAt: number;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly minPruneSize = 1024,
  ) {
    this.pruneAt = minPruneSize;
  }

  get size(): number {
    return this.entries.size;
  }

  seen(key: string, expiresAtMs: number): Promise<boolean> {
    return Promise.resolve(this.seenNow(key, expiresAtMs));
  }

  private seenNow(key: string, expiresAtMs: number): boolean {
    const expiry = this.entries.get(key);
    if (expiry !== undefined && expiry >= this.now()) return true;
    this.entries.set(key, expiresAtMs);
    // A full sweep only when the map has doubled since the last one: amortised O(1) per insert,
    // and the map never holds more than twice the live entries (or minPruneSize).
    if (this.entries.size >= this.pruneAt) {
      this.prune();
      this.pruneAt = Math.max(this.minPruneSize, this.entries.size * 2);
    }
    return false;
  }

  prune(): void {
    const now = this.now();
    for (const [key, expiry] of this.entries) {
      if (expiry < now) this.entries.delete(key);
    }
  }
}

function fail(reason: OAuth1Failure): OAuth1Result {
  return { ok: false, reason };
}

function formPairs(body: OAuth1Request['formBody']): [string, string][] {
  if (!body) return [];
  return Object.entries(body).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );
}

/** Constant time for equal lengths; the length of a signature is public (it fixes the method). */
function safeEqualAscii(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
