import ky, { type AfterResponseHook, type BeforeRequestHook, type KyInstance } from 'ky';
import type { TokenResponse } from '../../backend/contract/token.js';
import { oauth1Authorization, type OAuth1Credentials } from './oauth1.js';

export type C2mAuth =
  | { type: 'bearer'; token: string }
  /** OAuth 2.0 client credentials: a token from `/oauth/token`, cached until near its expiry. */
  | { type: 'bearer'; clientId: string; clientSecret: string }
  /** The product's "API key": every request signed with OAuth 1.0a. */
  | ({ type: 'oauth1' } & OAuth1Credentials);

export interface AuthHooks {
  beforeRequest: BeforeRequestHook;
  afterResponse: AfterResponseHook;
}

/** Refetch this long before the token expires, so a request in flight never carries a dead one. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Hooks that authorize every attempt of a request: a retry gets a fresh OAuth 1.0a nonce and
 * timestamp (the server refuses a replayed nonce), or the current bearer token.
 */
export function authHooks(auth: C2mAuth, tokenClient: KyInstance): AuthHooks {
  if (auth.type === 'oauth1') {
    return {
      async beforeRequest(request) {
        request.headers.set(
          'Authorization',
          await oauth1Authorization(auth, { method: request.method, url: request.url }),
        );
      },
      afterResponse: () => undefined,
    };
  }
  if ('token' in auth) {
    return {
      beforeRequest(request) {
        request.headers.set('Authorization', `Bearer ${auth.token}`);
      },
      afterResponse: () => undefined,
    };
  }
  const tokens = new TokenCache(auth.clientId, auth.clientSecret, tokenClient);
  return {
    async beforeRequest(request) {
      request.headers.set('Authorization', `Bearer ${await tokens.get()}`);
    },
    // A 401 means the token died early (key rotation, revocation, a clock apart): fetch a new one
    // and try once more. The context object is per call, so "once" is per call too.
    afterResponse(request, options, response, { retryCount }) {
      const context = options.context as { tokenRefreshed?: boolean };
      const mayRetry = retryCount < (options.retry.limit ?? 0);
      if (response.status !== 401 || context.tokenRefreshed || !mayRetry) return;
      context.tokenRefreshed = true;
      tokens.invalidate(request.headers.get('Authorization')?.slice('Bearer '.length));
      return ky.retry({ delay: 0 });
    },
  };
}

class TokenCache {
  private current?: { token: string; expiresAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly http: KyInstance,
  ) {}

  get(): Promise<string> {
    if (this.current && Date.now() < this.current.expiresAt) {
      return Promise.resolve(this.current.token);
    }
    // concurrent calls share one token request
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets `token` if it is still the cached one (another call may have replaced it already). */
  invalidate(token: string | undefined): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetchToken(): Promise<string> {
    const issuedAt = Date.now();
    const body = await this.http
      .post('oauth/token', {
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.clientId,
          client_secret: this.clientSecret,
        }),
      })
      .json<TokenResponse>();
    const lifetimeMs = body.expires_in * 1000;
    this.current = {
      token: body.access_token,
      expiresAt: issuedAt + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2),
    };
    return body.access_token;
  }
}
