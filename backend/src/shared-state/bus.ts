import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RedisConnection } from './redis.js';

/**
 * What one node tells the others after a change that their memos of the database would otherwise
 * hide for a while. Each memo listens for its own news; a node never hears its own.
 */
export interface ClusterNews {
  /** A write cleared the configuration memo (db/read-cache.ts): accounts, handoffs, skills… */
  'reads-changed': null;
  /** A credential was revoked: its sessions end, sockets included (sessions/session-guard.ts). */
  'credential-revoked': string;
  /** A widget installation key was revoked: its sessions end, sockets included. */
  'widget-key-revoked': string;
  /** A session was signed out (its id): it ends, sockets included. */
  'session-ended': string;
  /** An account's provider settings were saved (providers/channel-registry.ts). */
  'providers-changed': string;
  /** A node's first socket following an account came, or its last went (followers.ts). */
  'followers-changed': { node: string; accountId: string; following: boolean };
}
export type NewsTopic = keyof ClusterNews;

export interface ClusterBus {
  /**
   * Tells every other node, without waiting: a message lost while Redis is away is made good by
   * each memo's own expiry (at most a few seconds).
   */
  tell<T extends NewsTopic>(topic: T, news: ClusterNews[T]): void;
  /** Hears what the other nodes tell; returns the function that stops listening. */
  hear<T extends NewsTopic>(topic: T, listener: (news: ClusterNews[T]) => void): () => void;
}

/** One node has nobody to tell. */
export const localBus: ClusterBus = {
  tell() {},
  hear: () => () => {},
};

type Listener = (news: unknown) => void;

/**
 * The bus over one Redis pub/sub channel. `node` names this app (several apps in one process are
 * several nodes), so its own messages, which Redis sends back to it, are skipped.
 */
export async function redisBus(
  redis: RedisConnection,
  log: Logger,
  node: string = randomUUID(),
): Promise<ClusterBus & { node: string; close(): Promise<void> }> {
  const channel = redis.key('news');
  const listeners = new Map<NewsTopic, Set<Listener>>();
  const onMessage = (from: string, raw: string) => {
    if (from !== channel) return;
    let message: { node: string; topic: NewsTopic; news: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (message.node === node) return;
    for (const listener of listeners.get(message.topic) ?? []) {
      try {
        listener(message.news);
      } catch (err) {
        log.error({ err, topic: message.topic }, 'cluster news listener failed');
      }
    }
  };
  redis.subscriber.on('message', onMessage);
  await redis.subscriber.subscribe(channel);
  return {
    node,
    tell(topic, news) {
      redis.client.publish(channel, JSON.stringify({ node, topic, news })).catch((err: unknown) => {
        log.warn({ err, topic }, 'cluster news not sent (Redis unreachable)');
      });
    },
    hear(topic, listener) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    async close() {
      redis.subscriber.off('message', onMessage);
      listeners.clear();
      await redis.subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
