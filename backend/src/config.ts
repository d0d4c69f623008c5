import { describeIssue } from '../contract/issues.js';
import { z } from 'zod';
import { StartupError } from './startup-error.js';

const flag = z
  .enum(['0', '1', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Loopback by default: a first start is reachable from this machine only (HOST=0.0.0.0 for all). */
  HOST: z.string().default('127.0.0.1'),
  C2M_DATA_DIR: z.string().min(1).default('./data'),
  /** Signs tokens and encrypts stored secrets; generated into the data dir when not given. */
  C2M_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Unset: the demo account on first start, its page only while listening on loopback. */
  C2M_DEMO: flag.optional(),
  /** The URL clients use to reach c2m; printed in the demo credentials. */
  C2M_PUBLIC_URL: z.url().optional(),
  /** Trust X-Forwarded-* from a reverse proxy (needed for OAuth 1.0a behind TLS termination). */
  C2M_TRUST_PROXY: flag.default(false),
  C2M_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  /** Unset: readable on a terminal outside production, JSON lines otherwise. */
  C2M_LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  NODE_ENV: z.string().optional(),
  /** Lets a scraper off this host read /metrics with `Authorization: Bearer <token>`. */
  C2M_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  C2M_CALL_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
  C2M_OAUTH1_WINDOW_SECONDS: z.coerce.number().int().positive().default(300),
  C2M_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
  C2M_OUTBOX_POLL_MS: z.coerce.number().int().positive().default(250),
  C2M_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  C2M_OUTBOX_BACKOFF_MS: z.coerce.number().int().positive().default(1000),
  C2M_OUTBOX_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(300_000),
  /** How long a claimed job is held before another worker may take it over (crash recovery). */
  C2M_OUTBOX_LEASE_MS: z.coerce.number().int().positive().default(30_000),
  /** 0 disables the worker (the IVR API still queues); used by the crash test and multi-node setups. */
  C2M_OUTBOX_WORKER: flag.default(true),
  /** Per-request timeout for calls to messaging providers. */
  C2M_PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Development only: URLs a tenant gives c2m (providers, sink, event webhooks) may use plain http
   * and loopback addresses. Private networks stay refused. C2M_ALLOW_PRIVATE_WEBHOOKS is its old
   * name, still read.
   */
  C2M_ALLOW_LOOPBACK_URLS: flag.optional(),
  C2M_ALLOW_PRIVATE_WEBHOOKS: flag.optional(),
  /** `normal` survives a crash of c2m (WAL); `full` also a power loss, with a sync per commit. */
  C2M_SQLITE_SYNC: z.enum(['normal', 'full']).default('normal'),
  /** How long a write waits for another process's lock on the database before answering 503. */
  C2M_SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(30_000).default(1000),
  /** The -wal file's bound: past it the checkpoint thread empties it, holding writes a few ms. */
  C2M_SQLITE_WAL_LIMIT_MB: z.coerce.number().int().min(1).max(4096).default(64),
  C2M_SANDBOX_RECEIPT_MS: z.coerce.number().int().min(0).default(300),
  /** Requests per second per account on the reporting API (the product's 10 TPS); 0 = no limit. */
  C2M_REPORTING_RATE_LIMIT: z.coerce.number().int().min(0).default(10),
  /** Requests per second per account on the admin API and the dashboard's socket; 0 = no limit. */
  C2M_ADMIN_RATE_LIMIT: z.coerce.number().int().min(0).default(20),
  /** …on credential routes without a limit of their own (sandbox, providers, webhooks, conversations). */
  C2M_API_RATE_LIMIT: z.coerce.number().int().min(0).default(20),
  /** …on the agent widget's REST list and its socket's `widget:subscribe` (every agent together). */
  C2M_WIDGET_RATE_LIMIT: z.coerce.number().int().min(0).default(50),
  /** Worker threads that run heavy reads (analytics, transactions) off the request thread. */
  C2M_QUERY_THREADS: z.coerce.number().int().min(1).max(8).default(1),
  /** Heavy reads one account may have running or queued at once; more are answered 429. */
  C2M_QUERY_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(2),
  /** Unset: the embedded SQLite file in the data dir. `postgres://…`: PostgreSQL, several nodes. */
  C2M_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  /** Connections each node keeps to PostgreSQL. */
  C2M_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Shared state of several nodes (live events, limits, nonces, cache invalidation). */
  C2M_REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  /** Put before every Redis key and channel c2m uses: several installations can share a Redis. */
  C2M_REDIS_PREFIX: z.string().min(1).max(64).default('c2m:'),
  /**
   * `auto`: a starting node applies missing migrations itself (under the migrator's lock);
   * `wait`: it waits until `c2m migrate` has. Default `auto` on SQLite, `wait` on PostgreSQL.
   */
  C2M_MIGRATE: z.enum(['auto', 'wait']).optional(),
  /** Calls, transactions, transcripts, events and deliveries kept this many months; 0 = forever. */
  C2M_RETENTION_MONTHS: z.coerce.number().int().min(0).max(1200).default(13),
  /** Rows of each kind one retention batch deletes at most. */
  C2M_RETENTION_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  secret: string | undefined;
  /** Create the demo account on the first start of an empty data dir. */
  demo: boolean;
  /**
   * Whether the demo page's API (`/demo/*`, which hands out the demo account's sessions) is
   * served: `this-machine` answers requests made on this machine only, `any-host` (C2M_DEMO=1
   * while listening beyond loopback) any host; both need the key printed at start-up.
   */
  demoPage: 'off' | 'this-machine' | 'any-host';
  publicUrl: string | undefined;
  trustProxy: boolean;
  logLevel: z.infer<typeof EnvSchema>['C2M_LOG_LEVEL'];
  logFormat: 'pretty' | 'json' | undefined;
  production: boolean;
  metricsToken: string | undefined;
  callTtlSeconds: number;
  oauth1WindowSeconds: number;
  tokenTtlSeconds: number;
  outbox: {
    enabled: boolean;
    pollMs: number;
    maxAttempts: number;
    backoffMs: number;
    backoffMaxMs: number;
    leaseMs: number;
  };
  sandboxReceiptMs: number;
  providerTimeoutMs: number;
  sqliteSynchronous: 'normal' | 'full';
  /** C2M_ALLOW_LOOPBACK_URLS (development): see outbound/outbound-url.ts. */
  allowLoopbackUrls: boolean;
  sqliteBusyTimeoutMs: number;
  sqliteWalLimitMb: number;
  reportingRateLimitPerSec: number;
  /** Requests per second per account, per kind of traffic (0 = no limit). */
  limits: { adminPerSec: number; apiPerSec: number; widgetPerSec: number };
  queries: { threads: number; perAccount: number };
  /** PostgreSQL when `url` is set (with Redis), otherwise SQLite in the data dir. */
  database: { url: string | undefined; poolSize: number };
  redis: { url: string | undefined; prefix: string };
  /** Whether a start applies missing migrations or waits for `c2m migrate` (db/migration-rule.ts). */
  migrate: 'auto' | 'wait';
  /** What is pruned when (modules/retention): months kept (0 = forever), rows per batch. */
  retention: { months: number; batch: number };
};

/** Parses the environment once; the first bad variable becomes a message that names it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new StartupError(`configuration: ${describeIssue(parsed.error, 'environment')}`);
  }
  const e = parsed.data;
  if (e.C2M_DATABASE_URL && !e.C2M_REDIS_URL) {
    throw new StartupError(
      'configuration: C2M_REDIS_URL is required with C2M_DATABASE_URL (the nodes share limits, nonces and live events through it)',
    );
  }
  if (e.C2M_DATABASE_URL && !e.C2M_SECRET) {
    throw new StartupError(
      'configuration: C2M_SECRET is required with C2M_DATABASE_URL (every node signs tokens and decrypts stored secrets with it; at least 32 characters)',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.C2M_DATA_DIR,
    secret: e.C2M_SECRET,
    demo: e.C2M_DEMO ?? true,
    demoPage: demoPage(e.C2M_DEMO, e.HOST),
    publicUrl: e.C2M_PUBLIC_URL,
    trustProxy: e.C2M_TRUST_PROXY,
    logLevel: e.C2M_LOG_LEVEL,
    logFormat: e.C2M_LOG_FORMAT,
    production: e.NODE_ENV === 'production',
    metricsToken: e.C2M_METRICS_TOKEN,
    callTtlSeconds: e.C2M_CALL_TTL_SECONDS,
    oauth1WindowSeconds: e.C2M_OAUTH1_WINDOW_SECONDS,
    tokenTtlSeconds: e.C2M_TOKEN_TTL_SECONDS,
    outbox: {
      enabled: e.C2M_OUTBOX_WORKER,
      pollMs: e.C2M_OUTBOX_POLL_MS,
      maxAttempts: e.C2M_OUTBOX_MAX_ATTEMPTS,
      backoffMs: e.C2M_OUTBOX_BACKOFF_MS,
      backoffMaxMs: e.C2M_OUTBOX_BACKOFF_MAX_MS,
      leaseMs: e.C2M_OUTBOX_LEASE_MS,
    },
    sandboxReceiptMs: e.C2M_SANDBOX_RECEIPT_MS,
    providerTimeoutMs: e.C2M_PROVIDER_TIMEOUT_MS,
    sqliteSynchronous: e.C2M_SQLITE_SYNC,
    allowLoopbackUrls: e.C2M_ALLOW_LOOPBACK_URLS ?? e.C2M_ALLOW_PRIVATE_WEBHOOKS ?? false,
    sqliteBusyTimeoutMs: e.C2M_SQLITE_BUSY_TIMEOUT_MS,
    sqliteWalLimitMb: e.C2M_SQLITE_WAL_LIMIT_MB,
    reportingRateLimitPerSec: e.C2M_REPORTING_RATE_LIMIT,
    limits: {
      adminPerSec: e.C2M_ADMIN_RATE_LIMIT,
      apiPerSec: e.C2M_API_RATE_LIMIT,
      widgetPerSec: e.C2M_WIDGET_RATE_LIMIT,
    },
    queries: { threads: e.C2M_QUERY_THREADS, perAccount: e.C2M_QUERY_PER_ACCOUNT },
    database: { url: e.C2M_DATABASE_URL, poolSize: e.C2M_DATABASE_POOL_SIZE },
    redis: { url: e.C2M_REDIS_URL, prefix: e.C2M_REDIS_PREFIX },
    migrate: e.C2M_MIGRATE ?? (e.C2M_DATABASE_URL ? 'wait' : 'auto'),
    retention: { months: e.C2M_RETENTION_MONTHS, batch: e.C2M_RETENTION_BATCH },
  };
}

/** Whether c2m listening on `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\])$/i.test(host);
}

/**
 * The demo page is on by itself only where nobody else can reach it (a loopback listener); on
 * every interface only when asked for with C2M_DEMO=1. Its key (server.ts) is needed either way.
 */
function demoPage(asked: boolean | undefined, host: string): Config['demoPage'] {
  if (asked === false) return 'off';
  if (isLoopbackHost(host)) return 'this-machine';
  return asked === true ? 'any-host' : 'off';
}

/** The URL clients reach c2m at: printed with the demo credentials and by the CLI. */
export function publicBaseUrl(config: Config, port = config.port): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
