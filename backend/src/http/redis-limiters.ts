import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterStore } from './rate-limit.js';
import { redisFailure, type RedisConnection } from '../shared-state/redis.js';

type Limiter = RateLimiterRedis;

/**
 * rate-limiter-flexible's Redis limiter, whose every answer that is not the limiter's own (a
 * RateLimiterRes: over the limit) is a Redis failure made a 503 (redis.ts). It refuses at once
 * when the connection is not ready instead of sending a command that cannot be answered.
 */
class SharedLimiter extends RateLimiterRedis {
  override consume(...a: Parameters<Limiter['consume']>) {
    return super.consume(...a).catch(limiterFailure);
  }
  override penalty(...a: Parameters<Limiter['penalty']>) {
    return super.penalty(...a).catch(limiterFailure);
  }
  override reward(...a: Parameters<Limiter['reward']>) {
    return super.reward(...a).catch(limiterFailure);
  }
  override get(...a: Parameters<Limiter['get']>) {
    return super.get(...a).catch(limiterFailure);
  }
  override set(...a: Parameters<Limiter['set']>) {
    return super.set(...a).catch(limiterFailure);
  }
  override block(...a: Parameters<Limiter['block']>) {
    return super.block(...a).catch(limiterFailure);
  }
  override delete(...a: Parameters<Limiter['delete']>) {
    return super.delete(...a).catch(limiterFailure);
  }
}

function limiterFailure(err: unknown): never {
  // over the limit: the limiter's own answer, which rate-limit.ts and SignInThrottle read
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (err instanceof RateLimiterRes) throw err;
  return redisFailure(err);
}

const limiter = (
  redis: RedisConnection,
  opts: { keyPrefix: string; points: number; duration: number },
) =>
  new SharedLimiter({
    ...opts,
    storeClient: redis.client,
    keyPrefix: redis.key(opts.keyPrefix),
    rejectIfRedisNotReady: true,
  });

/** The per-account request limits' counters in Redis: one count per account for all nodes. */
export const redisLimiterStore =
  (redis: RedisConnection): LimiterStore =>
  (opts) =>
    limiter(redis, opts);
