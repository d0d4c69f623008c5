// OAuth 1.0a request signing (RFC 5849) with WebCrypto, so the same code runs in Node 20 and in
// browsers. The base string comes from the contract, the very function the server's verifier
// (backend/src/auth/oauth1.ts) uses, so what we sign is what it checks.
import { percentEncode, signatureBaseString } from '../../backend/contract/oauth1.js';

export { percentEncode, signatureBaseString };

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
  const base = signatureBaseString(input.method, input.url, Object.entries(params));
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
