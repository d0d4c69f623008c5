import type { Context, Next } from 'koa';
import { IvrErrorCode } from '../../contract/errors.js';
import { AppError } from './errors.js';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token bucket per account (capacity = one second's worth). In memory: one node owns its accounts;
 * a shared store replaces this map when c2m runs on several nodes.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one token; returns 0 when allowed, otherwise the milliseconds until a token is free. */
  take(key: string, perSecond: number): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: perSecond, updatedMs: now };
    bucket.tokens = Math.min(
      perSecond,
      bucket.tokens + ((now - bucket.updatedMs) * perSecond) / 1000,
    );
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / perSecond);
  }
}

interface RateLimitedAuth {
  accountId: string;
  rateLimitPerSec: number;
}

/**
 * 429 / 1029 with Retry-After before any work is done for the request. The rate is the account's
 * own (IVR API) unless the scope has a fixed one (the reporting API's 10 per second).
 */
export function rateLimit(
  limiter: RateLimiter,
  scope: string,
  perSecond: (auth: RateLimitedAuth) => number = (auth) => auth.rateLimitPerSec,
) {
  return async function rateLimit(ctx: Context, next: Next) {
    const auth = ctx.state.auth as RateLimitedAuth | undefined;
    const rate = auth ? perSecond(auth) : 0;
    if (auth && rate > 0) {
      const waitMs = limiter.take(`${scope}:${auth.accountId}`, rate);
      if (waitMs > 0) {
        throw new AppError(429, IvrErrorCode.rateLimited, 'Rate limit hit', {
          'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))),
        });
      }
    }
    await next();
  };
}
