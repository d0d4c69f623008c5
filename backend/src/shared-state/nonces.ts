import type { NonceStore } from '../auth/oauth1.js';
import type { Clock } from '../clock.js';
import { redisFailure, type RedisConnection } from './redis.js';

/**
 * OAuth 1.0a nonces shared by every node: one `SET … NX PX` both checks and records a nonce, so of
 * two requests carrying it (to one node or two) exactly one is the first. The key lives until
 * the request's timestamp leaves the window; after that the request is refused as stale anyway.
 * The nonce key is already namespaced by consumer key and token (oauth1.ts).
 */
export class RedisNonceStore implements NonceStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly now: Clock,
  ) {}

  async seen(key: string, expiresAtMs: number): Promise<boolean> {
    const ttlMs = Math.max(1, Math.ceil(expiresAtMs - this.now()));
    const set = await this.redis.client
      .set(this.redis.key(`oauth1-nonce:${key}`), '1', 'PX', ttlMs, 'NX')
      .catch(redisFailure);
    // NX: OK when the key was made now, null when it was there already
    return set === null;
  }
}
