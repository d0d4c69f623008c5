import type { Logger } from 'pino';
import { localFollowers, type HasFollowers } from './publisher.js';
import { followedAccountOf } from './rooms.js';
import type { RealtimeServer } from './socket-server.js';
import type { ClusterBus, ClusterNews } from '../shared-state/bus.js';
import type { RedisConnection } from '../shared-state/redis.js';

/** How often a node writes down what it follows and reads what the others follow. */
const SYNC_MS = 10_000;
/** A node that has not written for this long is gone (killed): what it followed is forgotten. */
const NODE_TTL_MS = 3 * SYNC_MS;

export interface Followers {
  /** Whether a socket on any node follows one of the account's consumers; no I/O. */
  has: HasFollowers;
  stop(): Promise<void>;
}

type Change = ClusterNews['followers-changed'];

/**
 * The publisher asks, for every invite and status, whether anyone could receive it (publisher.ts),
 * so the answer must cost no round trip. Each node keeps it in memory: its own followers from
 * Socket.IO's rooms, the others' from what they tell when their first follower of an account comes
 * or their last goes. What a message lost to a Redis outage would leave wrong is set right by the
 * sync every SYNC_MS, which reads each node's set of followed accounts from Redis (a node writes
 * its own set there at the same pace, with an expiry, so a killed node's set goes away). Being
 * wrong towards "yes" only costs the reads of a broadcast nobody gets; towards "no" it loses one,
 * which is why a change heard during a sync is applied again after it.
 */
export function clusterFollowers(
  io: RealtimeServer,
  redis: RedisConnection,
  bus: ClusterBus & { node: string },
  log: Logger,
): Followers {
  const { node } = bus;
  const local = localFollowers(io);
  const adapter = io.of('/').adapter;
  const nodesKey = redis.key('followers:nodes');
  const setOf = (n: string) => redis.key(`followers:node:${n}`);
  /** Accounts followed on this node. */
  const mine = new Set<string>();
  /** Account → the other nodes that follow it. */
  let others = new Map<string, Set<string>>();
  let heardDuringSync: Change[] | undefined;

  const apply = ({ node: n, accountId, following }: Change) => {
    let nodes = others.get(accountId);
    if (following) {
      if (!nodes) others.set(accountId, (nodes = new Set()));
      nodes.add(n);
    } else if (nodes) {
      nodes.delete(n);
      if (nodes.size === 0) others.delete(accountId);
    }
  };
  const heard = (change: Change) => {
    apply(change);
    heardDuringSync?.push(change);
  };
  const changed = (room: string, following: boolean) => {
    const accountId = followedAccountOf(room);
    if (accountId === undefined) return;
    if (following) mine.add(accountId);
    else mine.delete(accountId);
    const write = following
      ? redis.client.sadd(setOf(node), accountId)
      : redis.client.srem(setOf(node), accountId);
    // written before it is told: a node that reads the sets after hearing finds it there
    write.then(
      () => bus.tell('followers-changed', { node, accountId, following }),
      () => undefined, // the next sync writes it
    );
  };
  const created = (room: string) => changed(room, true);
  const deleted = (room: string) => changed(room, false);

  async function sync(): Promise<void> {
    heardDuringSync = [];
    try {
      const now = Date.now();
      const write = redis.client.multi().del(setOf(node));
      if (mine.size > 0) write.sadd(setOf(node), ...mine);
      const results = await write
        .pexpire(setOf(node), NODE_TTL_MS)
        .zadd(nodesKey, now, node)
        .zremrangebyscore(nodesKey, '-inf', now - NODE_TTL_MS)
        .zrange(nodesKey, 0, -1)
        .exec();
      const nodes = (results?.at(-1)?.[1] ?? []) as string[];
      const fresh = new Map<string, Set<string>>();
      await Promise.all(
        nodes
          .filter((n) => n !== node)
          .map(async (n) => {
            for (const accountId of await redis.client.smembers(setOf(n))) {
              let set = fresh.get(accountId);
              if (!set) fresh.set(accountId, (set = new Set()));
              set.add(n);
            }
          }),
      );
      others = fresh;
      for (const change of heardDuringSync) apply(change);
    } catch (err) {
      log.warn({ err }, 'followers sync failed (Redis unreachable); retrying');
    } finally {
      heardDuringSync = undefined;
    }
  }

  adapter.on('create-room', created);
  adapter.on('delete-room', deleted);
  const stopHearing = bus.hear('followers-changed', heard);
  // after an outage, what was missed is read at once rather than at the next tick
  const resync = () => void sync();
  redis.client.on('ready', resync);
  const timer = setInterval(resync, SYNC_MS);
  timer.unref();
  void sync();

  return {
    has: (accountId) => local(accountId) || others.has(accountId),
    async stop() {
      clearInterval(timer);
      stopHearing();
      redis.client.off('ready', resync);
      adapter.off('create-room', created);
      adapter.off('delete-room', deleted);
      // the others forget this node now rather than when its set expires
      for (const accountId of mine)
        bus.tell('followers-changed', { node, accountId, following: false });
      await redis.client
        .multi()
        .del(setOf(node))
        .zrem(nodesKey, node)
        .exec()
        .catch(() => undefined);
    },
  };
}
