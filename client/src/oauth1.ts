// OAuth 1.0a request signing (RFC 5849) with WebCrypto, so the same code runs in Node 20 and in
// browsers. The server's verifier is backend/src/auth/oauth1.ts; the base string here is built
// the same way (WHATWG URL normalisation of scheme, host and default port; query parameters
// signed; a JSON body never signed), so what we sign is what it checks.

export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  /** Default `HMAC-SHA1`, the product's documented method. */
  signatureMethod?: OAuth1SignatureMethod;
}

export interface OAuth1SignInput {
  method: string;
  /** The absolute URL the request goes to, query included. */
  url: string;
  /** Fixed only by tests; a fresh random nonce otherwise. */
  nonce?: string;
  /** Seconds since the epoch; now otherwise. */
  timestamp?: number;
}

const HASHES: Record<OAuth1SignatureMethod, 'SHA-1' | 'SHA-256'> = {
  'HMAC-SHA1': 'SHA-1',
  'HMAC-SHA256': 'SHA-256',
};
const encoder = new TextEncoder();

/** RFC 3986 percent-encoding of the UTF-8 bytes: all but A-Z a-z 0-9 - . _ ~ (RFC 5849 §3.6). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of encoder.encode(value)) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    out += unreserved
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** §3.4.1: METHOD & enc(base URI) & enc(sorted, encoded query and protocol parameters). */
export function signatureBaseString(
  method: string,
  url: string,
  oauthParams: Record<string, string>,
): string {
  const parsed = new URL(url);
  // WHATWG URL lower-cases scheme and host and drops a default port, as §3.4.1.2 requires.
  const baseUri = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  const pairs = [...parsed.searchParams, ...Object.entries(oauthParams)]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an === bn ? compare(av, bv) : compare(an, bn)));
  const normalized = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUri)}&${percentEncode(normalized)}`;
}

/** The `Authorization: OAuth …` header value for one request. */
export async function oauth1Authorization(
  credentials: OAuth1Credentials,
  input: OAuth1SignInput,
): Promise<string> {
  const signatureMethod = credentials.signatureMethod ?? 'HMAC-SHA1';
  const params: Record<string, string> = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: input.nonce ?? randomNonce(),
    oauth_signature_method: signatureMethod,
    oauth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_token: credentials.token,
    oauth_version: '1.0',
  };
  const base = signatureBaseString(input.method, input.url, params);
  const { consumerSecret, tokenSecret } = credentials;
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  params.oauth_signature = await hmacBase64(HASHES[signatureMethod], key, base);
  const fields = Object.keys(params)
    .sort()
    .map((name) => `${percentEncode(name)}="${percentEncode(params[name])}"`);
  return `OAuth ${fields.join(', ')}`;
}

async function hmacBase64(hash: 'SHA-1' | 'SHA-256', key: string, data: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data)),
  );
  return btoa(String.fromCharCode(...signature));
}

/** 128 random bits as 32 hex digits: word characters only, as the oauth-1.0a library's. */
function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Byte order, which for percent-encoded (ASCII) strings is what §3.4.1.3.2 asks for. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
