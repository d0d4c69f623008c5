import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServerOptions } from 'socket.io';
import type { RedisConnection } from './redis.js';

export type SocketAdapter = NonNullable<ServerOptions['adapter']>;

/**
 * Socket.IO's Redis adapter (pub/sub), so a broadcast made on one node reaches the sockets of every
 * node: a status committed on node B reaches a widget connected to node A.
 *
 * The classic pub/sub adapter rather than the streams one: the streams adapter's gain is that a
 * node briefly cut from Redis can read back what it missed, which matters with Socket.IO's
 * connection state recovery. c2m does not use that: its live events are hints, and a widget that
 * reconnects is sent the current list again (the `widget:subscribe` ack, the REST list), so a
 * broadcast missed in an outage is made good anyway. Pub/sub then costs less: no stream to size and
 * trim in Redis, no blocking read loop per node, one PUBLISH per broadcast.
 *
 * Its two connections are its own. The adapter does not wait for what it sends (PUBLISH per
 * broadcast, UNSUBSCRIBE at close): while Redis is away each is refused at once (no offline
 * queue), and a rejection nobody handles would stop the process, so those are caught here.
 */
export async function redisSocketAdapter(
  redis: RedisConnection,
  log: Logger,
): Promise<SocketAdapter> {
  const [pub, sub] = await Promise.all([
    redis.duplicate('socket.io-publish'),
    redis.duplicate('socket.io-subscribe'),
  ]);
  catchRejections(pub, ['publish'], log);
  catchRejections(sub, ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'], log);
  return createAdapter(pub, sub, { key: redis.key('socket.io') });
}

type Unwaited = 'publish' | 'subscribe' | 'psubscribe' | 'unsubscribe' | 'punsubscribe';

/** Replaces `methods` of this one connection by versions whose failure is logged, not thrown. */
function catchRejections(redis: Redis, methods: Unwaited[], log: Logger): void {
  for (const method of methods) {
    const original = (redis[method] as (...args: unknown[]) => Promise<unknown>).bind(redis);
    const caught = (...args: unknown[]) =>
      original(...args).catch((err: unknown) => {
        log.warn({ err, command: method }, 'Socket.IO adapter: Redis unreachable');
        return 0;
      });
    Object.assign(redis, { [method]: caught });
  }
}
