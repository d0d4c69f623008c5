// Which engines a bench run measures (--engine, --nodes), and the PostgreSQL + Redis installation
// each PostgreSQL setup runs on: a schema and a Redis key prefix of its own, made fresh and removed
// at the end, so a run never meets another's rows (nor a test's, nor an earlier run's).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';

export type Engine = 'sqlite' | 'postgres';

/** One measured configuration: SQLite in one process, or `nodes` c2m processes on PostgreSQL. */
export interface Setup {
  engine: Engine;
  nodes: number;
  label: string;
}

const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];
/** Without --nodes, PostgreSQL runs with one node and then with two. */
const DEFAULT_POSTGRES_NODES = [1, 2];
/** Two shared cores: more nodes than this would only measure the scheduler. */
const MAX_NODES = 4;

export const labelOf = (engine: Engine, nodes: number) =>
  engine === 'sqlite' ? 'SQLite' : `PG×${nodes}`;

/**
 * The setups of `--engine` (sqlite, postgres, a comma list of both, or all) and `--nodes` (a comma
 * list; PostgreSQL only: SQLite is one process on one file), in the order they run.
 */
export function planSetups(engineArg = 'sqlite', nodesArg?: string): Setup[] {
  const engines = engineArg === 'all' ? [...ENGINES] : engineArg.split(',').map((e) => e.trim());
  for (const e of engines) {
    if (!ENGINES.includes(e as Engine)) {
      throw new Error(`--engine: sqlite, postgres, sqlite,postgres or all (not "${e}")`);
    }
  }
  if (new Set(engines).size !== engines.length) throw new Error('--engine: an engine twice');
  const nodes = nodesArg === undefined ? DEFAULT_POSTGRES_NODES : nodesArg.split(',').map(Number);
  for (const n of nodes) {
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_NODES)) {
      throw new Error(`--nodes: whole numbers from 1 to ${MAX_NODES}, comma-separated`);
    }
  }
  if (!engines.includes('postgres') && nodesArg !== undefined && nodesArg !== '1') {
    throw new Error(
      '--nodes: SQLite runs one node (one process per data file); add --engine postgres',
    );
  }
  return (engines as Engine[]).flatMap((engine): Setup[] =>
    engine === 'sqlite'
      ? [{ engine, nodes: 1, label: labelOf(engine, 1) }]
      : nodes.map((n) => ({ engine, nodes: n, label: labelOf(engine, n) })),
  );
}

/**
 * `total` (connections, requests) spread over `parts` as evenly as whole numbers allow, the first
 * parts taking the remainder; every part gets at least one.
 */
export function splitEvenly(total: number, parts: number): number[] {
  if (!(Number.isInteger(total) && Number.isInteger(parts) && parts >= 1 && total >= parts)) {
    throw new Error(`cannot split ${total} over ${parts} (each part needs at least one)`);
  }
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/** Invites of a run and their outbound messages: how many invites have each count of messages. */
export interface Deliveries {
  /** Invites answered 2xx, counted by the load generator (warm-up and measured run). */
  answered: number;
  /** Transactions the run invited, by how many outbound messages each has: { "1": 9000, … }. */
  byMessages: Record<string, number>;
}

export interface ExactlyOnce {
  pass: boolean;
  invited: number;
  messages: number;
  lost: number;
  duplicated: number;
  /** Answered 2xx without a transaction: at most the answers cut off when the generator stopped. */
  unrecorded: number;
}

/**
 * Every invite answered 2xx has exactly one outbound message: no invite without one (lost), none
 * with two or more (sent twice), and no 2xx answer without its invite. The database may hold more
 * invites than were counted as answered: autocannon stops counting with answers still in flight.
 */
export function exactlyOnce(d: Deliveries): ExactlyOnce {
  let invited = 0;
  let messages = 0;
  let lost = 0;
  let duplicated = 0;
  for (const [count, transactions] of Object.entries(d.byMessages)) {
    const n = Number(count);
    invited += transactions;
    messages += n * transactions;
    if (n === 0) lost += transactions;
    if (n > 1) duplicated += transactions;
  }
  const unrecorded = Math.max(0, d.answered - invited);
  return {
    pass: lost === 0 && duplicated === 0 && unrecorded === 0 && invited > 0,
    invited,
    messages,
    lost,
    duplicated,
    unrecorded,
  };
}

/**
 * CPU used between two readings of processes' cumulative CPU (pid → µs): a process that appeared
 * meanwhile counts in full (it started during the run); one that ended is not seen.
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let us = 0;
  for (const [pid, now] of after) us += Math.max(0, now - (before.get(pid) ?? 0));
  return us;
}

/** Cumulative CPU of a process from /proc (user + system, µs); undefined when it cannot be read. */
function processCpuMicros(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // USER_HZ: 100 per second
  } catch {
    return undefined;
  }
}

export const DEFAULT_DATABASE_URL = 'postgres://root@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A schema and a Redis prefix of one PostgreSQL setup, and the environment of its nodes. */
export interface PostgresInstallation {
  schema: string;
  redisPrefix: string;
  /** What every node of the setup gets: one database, one Redis, one secret. */
  env: Record<string, string>;
  /**
   * The CPU the PostgreSQL backends serving this installation's connections have used so far, by
   * pid (they run outside the nodes: on SQLite that work is inside the server's own CPU).
   */
  backendCpu: () => Promise<Map<number, number> | undefined>;
  /** Drops the schema and deletes the prefix's Redis keys (never anything else's). */
  remove: () => Promise<void>;
}

/** `url` with its connections on `schema` and named `applicationName` in pg_stat_activity. */
function nodeUrl(url: string, schema: string, applicationName: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  u.searchParams.set('application_name', applicationName);
  return u.toString();
}

export async function createPostgresInstallation(
  databaseUrl: string,
  redisUrl: string,
): Promise<PostgresInstallation> {
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const schema = `c2m_bench_${tag}`;
  const redisPrefix = `c2m-bench-${tag}:`;
  const admin = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } catch (err) {
    await admin.end();
    throw err;
  }
  return {
    schema,
    redisPrefix,
    env: {
      C2M_DATABASE_URL: nodeUrl(databaseUrl, schema, schema),
      C2M_REDIS_URL: redisUrl,
      C2M_REDIS_PREFIX: redisPrefix,
      C2M_SECRET: randomBytes(24).toString('hex'),
      // the nodes of a fresh schema migrate it themselves, under the migrator's lock
      C2M_MIGRATE: 'auto',
    },
    async backendCpu() {
      const { rows } = await admin.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [schema],
      );
      const cpu = new Map<number, number>();
      for (const { pid } of rows) {
        const us = processCpuMicros(pid);
        if (us === undefined) return undefined; // not Linux, or another host: unknown, not zero
        cpu.set(pid, us);
      }
      return cpu;
    },
    async remove() {
      try {
        await admin.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await admin.end();
        await deleteRedisKeys(redisUrl, redisPrefix);
      }
    },
  };
}

/** Deletes the keys under `prefix`, a page at a time (never FLUSHDB: Redis is shared). */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
