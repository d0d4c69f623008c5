import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { IvrErrorCode } from '../../contract/errors.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

/**
 * Makes the counter store of one bucket at one rate. In memory for a single node (server.ts);
 * several nodes pass RateLimiterRedis's constructor instead, with the same options.
 */
export type LimiterStore = (opts: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterAbstract;

export const memoryStore: LimiterStore = (opts) => new RateLimiterMemory(opts);

/** Per-account request limits, one bucket per kind of traffic (see the README's table). */
export interface RateLimits {
  /**
   * Counts one request of `key` in `bucket`. Resolves 0 when it is within `perSecond` (0 = no
   * limit), otherwise the milliseconds until the next request would be let through.
   */
  take(bucket: string, key: string, perSecond: number): Promise<number>;
}

/** A counter lives a few windows, then the store drops it: memory follows the active keys. */
const COUNTER_TTL_SECONDS = 5;

/**
 * Past this many times its limit within one window an account is flooding (a client that ignores
 * Retry-After): its refusals are then held until the window ends instead of answered at once, so
 * the flood's pace drops to one request per connection per window and turning it away no longer
 * costs the event loop that serves the other accounts. A client over its limit now and then still
 * gets its 429 at once.
 */
const FLOOD_FACTOR = 3;

/**
 * Fixed one-second windows of the app's clock (so a test's clock moves them, and nodes sharing a
 * store agree on them): each `bucket:key:second` counts up to `perSecond` requests.
 */
export function createRateLimits(clock: Clock, store: LimiterStore = memoryStore): RateLimits {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiterOf = (bucket: string, points: number) => {
    const id = `${bucket}:${points}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = store({ keyPrefix: `c2m-rate:${id}`, points, duration: COUNTER_TTL_SECONDS });
      limiters.set(id, limiter);
    }
    return limiter;
  };
  return {
    async take(bucket, key, perSecond) {
      if (perSecond <= 0) return 0;
      const now = clock();
      try {
        await limiterOf(bucket, perSecond).consume(`${key}:${Math.floor(now / 1000)}`);
        return 0;
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const waitMs = 1000 - (now % 1000);
        if (err.consumedPoints > perSecond * FLOOD_FACTOR) {
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
        return waitMs;
      }
    },
  };
}

/** Retry-After in whole seconds, at least 1, for a wait in milliseconds. */
export const retryAfterSeconds = (waitMs: number) => Math.max(1, Math.ceil(waitMs / 1000));

/**
 * 429 (IVR errorCode 1029, admin `rate_limited`) with Retry-After when `accountId` is over its
 * `perSecond` in `bucket`; checked before any work is done for the request.
 */
export async function checkRate(
  limits: RateLimits,
  bucket: string,
  accountId: string,
  perSecond: number,
): Promise<void> {
  const waitMs = await limits.take(bucket, accountId, perSecond);
  if (waitMs > 0) {
    throw new AppError(429, IvrErrorCode.rateLimited, 'Rate limit hit', {
      'Retry-After': String(retryAfterSeconds(waitMs)),
    });
  }
}
