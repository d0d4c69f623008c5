import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { MemoryNonceStore, type NonceStore } from './auth/oauth1.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { memoryStore, type LimiterStore } from './http/rate-limit.js';
import { localFollowers } from './realtime/publisher.js';
import type { RealtimeServer } from './realtime/socket-server.js';
import { localBus, redisBus, type ClusterBus } from './shared-state/bus.js';
import { clusterFollowers, type Followers } from './realtime/cluster-followers.js';
import { redisLimiterStore } from './http/redis-limiters.js';
import { RedisNonceStore } from './shared-state/nonces.js';
import { connectRedis } from './shared-state/redis.js';
import { redisSocketAdapter, type SocketAdapter } from './shared-state/socket-adapter.js';

/**
 * Everything the nodes of one installation share. Without C2M_REDIS_URL, one node's own memory,
 * exactly as c2m has always run; with it, Redis, so that several nodes behave as one.
 */
export interface SharedState {
  /** This app among the nodes (a random id per start). */
  node: string;
  /** OAuth 1.0a nonces: a nonce is spent on every node at once. */
  nonces: NonceStore;
  /** Counters of the per-account limits (createRateLimits) and the sign-in limits (signInLimiters). */
  limiterStore: LimiterStore;
  /** Cache invalidation between nodes: the memos tell their writes and hear the others'. */
  bus: ClusterBus;
  /** Socket.IO's adapter for attachRealtime; undefined: Socket.IO's own, in memory. */
  socketAdapter: SocketAdapter | undefined;
  /** Whether anyone, on any node, follows an account (the publisher's `hasFollowers`). */
  watchFollowers(io: RealtimeServer): Followers;
  /** Resolves when the shared store answers (/readyz); rejects when it does not. */
  ping(): Promise<void>;
  /** Closes the connections; after the Socket.IO server and everything else using them. */
  close(): Promise<void>;
}

/**
 * Opens the shared state `config.redis` names, or this node's memory when it names none. Throws
 * `C2M_REDIS_URL: …` when Redis cannot be reached at start.
 */
export async function openSharedState(
  config: Pick<Config, 'redis'>,
  log: Logger,
  clock: Clock,
): Promise<SharedState> {
  const node = randomUUID();
  const { url, prefix } = config.redis;
  if (!url) {
    return {
      node,
      nonces: new MemoryNonceStore(clock),
      limiterStore: memoryStore,
      bus: localBus,
      socketAdapter: undefined,
      watchFollowers: (io) => ({ has: localFollowers(io), stop: () => Promise.resolve() }),
      ping: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const redis = await connectRedis({ url, prefix }, log);
  try {
    const bus = await redisBus(redis, log, node);
    const socketAdapter = await redisSocketAdapter(redis, log);
    return {
      node,
      nonces: new RedisNonceStore(redis, clock),
      limiterStore: redisLimiterStore(redis),
      bus,
      socketAdapter,
      watchFollowers: (io) => clusterFollowers(io, redis, bus, log),
      ping: () => redis.ping(),
      async close() {
        await bus.close();
        await redis.close();
      },
    };
  } catch (err) {
    await redis.close();
    throw err;
  }
}
