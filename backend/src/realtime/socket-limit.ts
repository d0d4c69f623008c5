import type { Event } from 'socket.io';
import type { AckCallback } from '../../contract/realtime.js';
import type { AppDeps } from '../modules/deps.js';
import { retryAfterSeconds } from '../http/rate-limit.js';
import { AppError } from '../errors.js';

/**
 * A socket's middleware (`socket.use`): each event it sends counts against its account's limit in
 * `bucket`, the same one as the REST routes it mirrors (`widget` for `widget:subscribe`, `admin`
 * for the dashboard's `reports:subscribe`). Over the limit the event's handler never runs and its
 * ack is a `rate_limited` error with `retryAfterSeconds`.
 */
export function socketRateLimit(
  deps: Pick<AppDeps, 'limiter' | 'log'>,
  bucket: string,
  perSecond: number,
  accountId: string,
) {
  return function socketRateLimit(event: Event, next: (err?: Error) => void): void {
    const ack = event[event.length - 1] as unknown;
    const answer = typeof ack === 'function' ? (ack as AckCallback<never>) : () => undefined;
    deps.limiter.take(bucket, accountId, perSecond).then(
      (waitMs) => {
        if (waitMs === 0) return next();
        const retryAfter = retryAfterSeconds(waitMs);
        answer({
          error: { code: 'rate_limited', message: 'Rate limit hit', retryAfterSeconds: retryAfter },
        });
      },
      (err: unknown) => {
        // the limits' shared store is unreachable (shared-state/redis.ts): the REST routes' 503
        if (err instanceof AppError && err.status === 503) {
          answer({
            error: {
              code: 'unavailable',
              message: err.message,
              retryAfterSeconds: Number(err.headers['Retry-After'] ?? 1),
            },
          });
          return;
        }
        deps.log.error({ err, bucket }, 'socket rate limit failed');
        answer({ error: { code: 'internal_error', message: 'Could not check the rate limit' } });
      },
    );
  };
}
