import { createHash, createSign } from 'node:crypto';
import { z } from 'zod';
import { refusedCall } from './refused.js';
import type { AdapterContext } from './types.js';

/**
 * OAuth 2.0 for Google service accounts (the JWT bearer grant, RFC 7523): sign a short-lived
 * RS256 assertion with the account's private key, trade it at the token endpoint for an access
 * token, and keep that token until shortly before it expires.
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 */
export const GOOGLE_SCOPES = {
  fcm: 'https://www.googleapis.com/auth/firebase.messaging',
  rbm: 'https://www.googleapis.com/auth/rcsbusinessmessaging',
} as const;

export interface ServiceAccount {
  clientEmail: string;
  /** PEM, as in the service account's JSON key file (`private_key`). */
  privateKey: string;
  tokenUrl: string;
}

/** Google refuses assertions that live longer than an hour. */
const ASSERTION_TTL_S = 3600;
/** Renew this long before expiry, so a token never expires between cache read and use. */
const RENEW_MARGIN_MS = 60_000;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().regex(/^bearer$/i, 'must be Bearer'),
});
/** RFC 6749 §5.2, as Google's token endpoint answers: `{error, error_description}`. */
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/** Minting a token failed; `retryable` says whether the same call may work later. */
export class GoogleAuthError extends Error {
  constructor(
    readonly retryable: boolean,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GoogleAuthError';
  }
}

const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** The signed assertion `{iss, scope, aud, iat, exp}` the token endpoint takes. */
export function jwtAssertion(account: ServiceAccount, scope: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(
    JSON.stringify({
      iss: account.clientEmail,
      scope,
      aud: account.tokenUrl,
      iat,
      exp: iat + ASSERTION_TTL_S,
    }),
  );
  const input = `${header}.${claims}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(input).sign(account.privateKey, 'base64url');
  } catch {
    // the crypto error may quote the key material: say what happened, not what it said
    throw new GoogleAuthError(false, 'invalid_private_key', 'the private key cannot sign (RS256)');
  }
  return `${input}.${signature}`;
}

export interface AccessTokens {
  /** A token with more than a minute left: cached, or minted now (one mint at a time). */
  get(): Promise<string>;
  /** The API refused this token: forget it, so the next get() mints a fresh one. */
  invalidate(token: string): void;
}

export function createAccessTokens(
  account: ServiceAccount,
  scope: string,
  ctx: AdapterContext,
): AccessTokens {
  let cached: { token: string; renewAt: number } | undefined;
  let minting: Promise<string> | undefined;

  async function mint(): Promise<string> {
    const now = ctx.now();
    const form = new URLSearchParams({
      grant_type: JWT_BEARER,
      assertion: jwtAssertion(account, scope, now),
    });
    const res = await postToken(account.tokenUrl, form, ctx);
    const text = await res.text().catch(() => '');
    const body = safeJson(text);
    if (!res.ok) {
      // the OAuth error code (RFC 6749 §5.2) when it is one; never its description, which is the
      // answering host's free text
      const given = TokenError.safeParse(body).data?.error;
      const code = given && /^[a-z_]{1,40}$/.test(given) ? given : undefined;
      throw new GoogleAuthError(
        res.status >= 500 || res.status === 429,
        code ?? `http_${res.status}`,
        `token endpoint answered HTTP ${res.status}` +
          (code ? ` ${code}${TOKEN_ERRORS[code] ? `: ${TOKEN_ERRORS[code]}` : ''}` : ''),
      );
    }
    const ok = TokenResponse.safeParse(body);
    if (!ok.success) {
      throw new GoogleAuthError(true, 'bad_token_response', 'token endpoint answer is malformed');
    }
    const lifetimeMs = ok.data.expires_in * 1000;
    cached = {
      token: ok.data.access_token,
      renewAt: now + Math.max(lifetimeMs - RENEW_MARGIN_MS, lifetimeMs / 2),
    };
    return ok.data.access_token;
  }

  return {
    get() {
      if (cached && ctx.now() < cached.renewAt) return Promise.resolve(cached.token);
      minting ??= mint().finally(() => {
        minting = undefined;
      });
      return minting;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/** Our words for the OAuth error codes a service-account grant meets. */
const TOKEN_ERRORS: Record<string, string> = {
  invalid_grant: 'the signed assertion was refused: check clientEmail, privateKey and the clock',
  invalid_client: 'the service account is unknown or disabled',
  unauthorized_client: 'the service account may not use this grant',
  invalid_scope: 'the scope was refused',
};

async function postToken(url: string, form: URLSearchParams, ctx: AdapterContext) {
  try {
    return await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
  } catch (err) {
    const refused = refusedCall(err, 'oauth');
    if (refused) throw new GoogleAuthError(false, refused.errorCode, refused.errorMessage);
    const timeout = err instanceof Error && err.name === 'TimeoutError';
    throw new GoogleAuthError(
      true,
      timeout ? 'timeout' : 'network_error',
      timeout
        ? `token endpoint did not answer within ${ctx.timeoutMs} ms`
        : 'token endpoint unreachable',
    );
  }
}

/**
 * Token caches that outlive adapter instances: the registry rebuilds adapters whenever it reloads
 * an account's settings, and each rebuild must not cost a trip to the token endpoint. Keyed by
 * everything that makes a token (a rotated key gets a new entry); the key material itself is
 * only hashed.
 */
export interface TokenPool {
  tokensFor(account: ServiceAccount, scope: string, ctx: AdapterContext): AccessTokens;
}

export function createTokenPool(): TokenPool {
  const pool = new Map<string, AccessTokens>();
  return {
    tokensFor(account, scope, ctx) {
      const key = createHash('sha256')
        .update([account.tokenUrl, account.clientEmail, scope, account.privateKey].join('\n'))
        .digest('hex');
      let tokens = pool.get(key);
      if (!tokens) {
        tokens = createAccessTokens(account, scope, ctx);
        pool.set(key, tokens);
      }
      return tokens;
    },
  };
}

/**
 * Calls `call` with a token; when the answer says the token was refused (`isRefused`, normally a
 * 401), mints a new token and calls exactly once more. A token revoked or expired early at Google
 * then costs one extra round trip instead of a failed send.
 */
export async function withAccessToken<T>(
  tokens: AccessTokens,
  call: (token: string) => Promise<T>,
  isRefused: (result: T) => boolean,
): Promise<T> {
  const token = await tokens.get();
  const first = await call(token);
  if (!isRefused(first)) return first;
  tokens.invalidate(token);
  return call(await tokens.get());
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
