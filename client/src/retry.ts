import type { RetryOptions } from 'ky';

/**
 * When a call is tried again. The API's rules: a 429 waits for its Retry-After (c2m always sends
 * one; without it the call backs off like a 5xx); 500/502/503/504 and network failures back off
 * exponentially with jitter; any other 4xx is final. eligibility and invite are safe to repeat
 * because every logical call carries one Idempotency-Key across its attempts.
 */
export interface C2mRetryOptions {
  /** Retries after the first attempt. Default 3. */
  limit?: number;
  /** First backoff for a 5xx or network failure, doubled each retry. Default 500 ms. */
  backoffMs?: number;
  /** No single wait is longer. Default 30 s. */
  backoffLimitMs?: number;
  /** A longer Retry-After is cut to this. Default 60 s. */
  maxRetryAfterMs?: number;
}

export const RETRY_STATUS_CODES = [429, 500, 502, 503, 504];

export function kyRetry(options: C2mRetryOptions = {}): RetryOptions {
  const backoffMs = options.backoffMs ?? 500;
  return {
    limit: options.limit ?? 3,
    methods: ['get', 'post'],
    statusCodes: RETRY_STATUS_CODES,
    // Retry-After is honoured on these; ky adds no jitter to a server-given wait
    afterStatusCodes: [429, 503],
    maxRetryAfter: options.maxRetryAfterMs ?? 60_000,
    backoffLimit: options.backoffLimitMs ?? 30_000,
    delay: (attempt) => backoffMs * 2 ** (attempt - 1),
    // "equal jitter": at least half the backoff, so clients spread out yet still back off
    jitter: (delay) => delay / 2 + Math.random() * (delay / 2),
  };
}
