import { StartupError } from '../startup-error.js';
import { connectionFailure } from '../db/unreachable.js';
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { AppError, sharedStateUnavailable } from '../errors.js';

/** How long one command may wait for its answer before the request that needs it gets a 503. */
const COMMAND_TIMEOUT_MS = 500;
/** How long start-up waits for Redis before it stops with C2M_REDIS_URL's error. */
const CONNECT_TIMEOUT_MS = 3000;
/** The longest pause between two reconnection attempts (they never stop). */
const MAX_RECONNECT_PAUSE_MS = 2000;

/**
 * What a request must never do when Redis is away is wait for it: no offline queue (a command sent
 * while disconnected fails at once), one retry for a command caught by a dropped connection, and
 * a short timeout for one sent into a connection that stopped answering. The connection itself
 * is retried forever in the background, so a node recovers when Redis returns.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: CONNECT_TIMEOUT_MS,
  retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_PAUSE_MS),
  lazyConnect: true,
};

/** One node's connections to Redis; every key and channel name goes through `key`. */
export interface RedisConnection {
  /** Commands (and publishes). */
  client: Redis;
  /** A second connection in subscriber mode, for pub/sub. */
  subscriber: Redis;
  /** `name` under the installation's prefix (C2M_REDIS_PREFIX). */
  key(name: string): string;
  /** Resolves when Redis answers a PING within the command timeout. */
  ping(): Promise<void>;
  /** Another connection with the same options, opened and ready (the Socket.IO adapter's). */
  duplicate(name: string): Promise<Redis>;
  close(): Promise<void>;
}

/**
 * Opens the connections of `config.redis`. Throws a StartupError whose message starts with
 * `C2M_REDIS_URL:` and names what failed when Redis cannot be reached at start: a node must not
 * start serving without the state it shares with the others.
 */
export async function connectRedis(
  config: { url: string; prefix: string },
  log: Logger,
): Promise<RedisConnection> {
  const where = redactedUrl(config.url);
  const open: Redis[] = [];
  const connect = async (name: string) => {
    const redis = new Redis(config.url, { ...FAIL_FAST, connectionName: `c2m:${name}` });
    open.push(redis);
    watchHealth(redis, name, log);
    try {
      await readyWithin(redis, CONNECT_TIMEOUT_MS);
    } catch (err) {
      for (const r of open) r.disconnect();
      throw new StartupError(
        `C2M_REDIS_URL: cannot connect to ${where}: ${connectionFailure(err)}`,
        {
          cause: err,
        },
      );
    }
    return redis;
  };
  const client = await connect('commands');
  const subscriber = await connect('subscriber');
  return {
    client,
    subscriber,
    key: (name) => `${config.prefix}${name}`,
    async ping() {
      await client.ping();
    },
    duplicate: connect,
    async close() {
      // QUIT lets what was sent be answered; a connection that is down has nothing to wait for
      await Promise.all(
        open.map(async (r) => {
          if (r.status !== 'ready') return r.disconnect();
          await r.quit().catch(() => r.disconnect());
        }),
      );
    },
  };
}

/**
 * A failed command as the client should see it. Redis not answering (disconnected, timed out,
 * retries spent) is a 503 with Retry-After, like a busy database; an error Redis answered with
 * is a bug of ours and stays what it is (a 500 with a log line).
 */
export function redisFailure(err: unknown): never {
  if (err instanceof ReplyError || err instanceof AppError) throw err;
  throw sharedStateUnavailable();
}

/**
 * Logs a lost connection once, and its return once, rather than once per reconnection attempt.
 * The listener is also what keeps ioredis from printing each error on its own.
 */
function watchHealth(redis: Redis, name: string, log: Logger): void {
  let lost = false;
  redis.on('error', (err: Error) => {
    if (lost) return;
    lost = true;
    log.warn({ err: connectionFailure(err), connection: name }, 'Redis unreachable; retrying');
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    log.info({ connection: name }, 'Redis reachable again');
  });
}

function readyWithin(redis: Redis, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no answer within ${ms} ms`)), ms);
    const onReady = () => done();
    const onError = (err: Error) => done(err);
    function done(err?: Error) {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      if (err) reject(err);
      else resolve();
    }
    redis.once('ready', onReady);
    redis.once('error', onError);
    redis.connect().catch(() => {
      // the 'error' event above says why
    });
  });
}

/** The URL without its password: start-up errors and logs must not print it. */
function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
