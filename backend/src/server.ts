import { mkdirSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { createApp } from './app.js';
import { deriveKey } from './auth/secrets.js';
import { sandboxAdapter } from './channels/sandbox.js';
import { createChannelRegistry } from './modules/providers/channel-registry.js';
import { createProviderFactories } from './channels/factories.js';
import { dbDeviceDirectory } from './modules/devices/devices.repo.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { publicBaseUrl, type Config } from './config.js';
import { Checkpointer } from './db/checkpointer.js';
import { sql } from 'kysely';
import {
  commitsElsewhere,
  databaseFile,
  databaseSource,
  describePostgresUrl,
  openDatabaseAt,
  type Db,
  type OpenedDatabase,
} from './db/database.js';
import { bringUpToDate, type MigrationRule } from './db/migration-rule.js';
import { connectionFailure } from './db/unreachable.js';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock.js';
import { StartupError } from './startup-error.js';
import { recordServerUrl } from './server-url.js';
import type { AppDeps } from './modules/deps.js';
import {
  createDemo,
  demoCredentialsFile,
  isEmpty,
  type DemoCredentials,
} from './modules/demo-page/bootstrap.js';
import { createOutboundGuard } from './outbound/outbound-fetch.js';
import type { ResolveHost } from './outbound/outbound-url.js';
import { demoPageUrl, newDemoAccess } from './modules/demo-page/demo-gate.js';
import { createRateLimits } from './http/rate-limit.js';
import { createMetrics } from './metrics/metrics.js';
import { QueryPool } from './modules/reporting/query-pool.js';
import { pruneIdempotencyKeys } from './modules/deflection/idempotency.js';
import { OutboxWorker } from './outbox/worker.js';
import { SinkDispatcher } from './modules/conversations/sink-dispatcher.js';
import { EventWebhookDispatcher } from './modules/webhooks/dispatcher.js';
import { expireUndelivered } from './outbox/jobs/receipt-timeout.js';
import { pollLoop, type PollLoop } from './db/poll-loop.js';
import { retentionLoop } from './modules/retention/retention.js';
import { loadOrCreateSecret } from './secret.js';
import { SessionGuard } from './modules/sessions/session-guard.js';
import {
  signInLimiters,
  SignInThrottle,
  SIGN_IN_RULES,
} from './modules/sessions/sign-in-throttle.js';
import { openSharedState } from './open-shared-state.js';
import { DomainEvents } from './modules/events/domain-events.js';
import { createUnitOfWork } from './db/unit-of-work.js';
import { ReadCache } from './db/read-cache.js';
import { startPublisher } from './realtime/publisher.js';
import { watchSessions } from './realtime/session-end.js';
import { REPORTS_NAMESPACE } from '../contract/realtime.js';
import { attachRealtime, type RealtimeServer } from './realtime/socket-server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HOUSEKEEPING_MS = 60_000;

/** How long shutdown waits for in-flight requests before cutting their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface DataDir extends OpenedDatabase {
  keys: AppDeps['keys'];
}

/**
 * The data dir and database as server and CLI both use them: the dir created if missing, its
 * secret loaded or made, the database (the dir's SQLite file, or PostgreSQL) opened and brought
 * up to date as `migrations` says (by default, the server's rule: C2M_MIGRATE).
 */
export async function openDataDir(
  config: Config,
  log?: Logger,
  migrations: MigrationRule = config.migrate === 'auto' ? 'apply' : 'wait',
): Promise<DataDir> {
  mkdirSync(config.dataDir, { recursive: true });
  const secret = loadOrCreateSecret(config.dataDir, config.secret);
  const opened = await openConfiguredDatabase(config, log);
  try {
    await bringUpToDate(opened.db, migrations, { where: databaseName(config), log });
  } catch (err) {
    await opened.close();
    throw err;
  }
  const keys = {
    tokens: deriveKey(secret, 'c2m token signing'),
    secrets: deriveKey(secret, 'c2m secret encryption'),
  };
  return { ...opened, keys };
}

/**
 * The database `config` names, opened and answering, not yet migrated: what `openDataDir` and
 * `c2m migrate` start from.
 */
export async function openConfiguredDatabase(
  config: Config,
  log?: Logger,
): Promise<OpenedDatabase> {
  if (!config.database.url) mkdirSync(config.dataDir, { recursive: true });
  const opened = openDatabaseAt(databaseSource(config), {
    synchronous: config.sqliteSynchronous,
    busyTimeoutMs: config.sqliteBusyTimeoutMs,
    poolSize: config.database.poolSize,
    onIdleError: (err) => log?.warn({ err: err.message }, 'PostgreSQL connection lost'),
  });
  try {
    if (config.database.url) await reachPostgres(opened.db, config.database.url);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}

/** The database of `config` as messages name it: the variable and where, never a password. */
export function databaseName(config: Config): string {
  return config.database.url
    ? `C2M_DATABASE_URL (PostgreSQL at ${describePostgresUrl(config.database.url)})`
    : `C2M_DATA_DIR (${databaseFile(config.dataDir)})`;
}

/** A first query, so a wrong C2M_DATABASE_URL stops start-up with one line that says why. */
async function reachPostgres(db: Db, url: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    throw new StartupError(
      `C2M_DATABASE_URL: cannot use PostgreSQL at ${describePostgresUrl(url)}: ${connectionFailure(err)}`,
      { cause: err },
    );
  }
}

export interface RunningC2m {
  url: string;
  port: number;
  deps: AppDeps;
  worker: OutboxWorker;
  http: Server;
  /** Socket.IO on the same server: the agent widget's live updates. */
  io: RealtimeServer;
  /** WAL checkpoints, on a thread of their own rather than in the server's commits (SQLite only). */
  checkpointer: Checkpointer | undefined;
  /** Deletes what is past its retention (modules/retention); tests nudge it. */
  retention: PollLoop;
  /** The demo account this start created (main.ts prints how to use it), if it made one. */
  demoCreated: DemoCredentials | undefined;
  /** The demo page with this start's key, when its API is on (printed at start-up only). */
  demoPageUrl: string | undefined;
  /** Stops accepting, lets in-flight requests and the outbox's current job finish, closes the DB. */
  close(): Promise<void>;
}

/**
 * Opens the data dir, migrates, builds the app and the outbox worker, and listens. The one place
 * (with main.ts) that does I/O; tests call it with a temporary data dir and port 0.
 */
export async function startC2m(
  config: Config,
  opts: {
    log?: Logger;
    clock?: Clock;
    /** DNS for tenant-given URLs; tests inject one that changes its answer (rebinding). */
    resolveHost?: ResolveHost;
  } = {},
): Promise<RunningC2m> {
  const log = opts.log ?? pino({ level: config.logLevel });
  const clock = opts.clock ?? systemClock;
  // the embedded default is one process per data dir; several nodes share PostgreSQL and Redis
  let lock: DataDirLock | undefined;
  if (!config.database.url && !config.redis.url) {
    mkdirSync(config.dataDir, { recursive: true });
    lock = lockDataDir(config.dataDir);
  }
  // then: a node that cannot reach Redis stops here, naming C2M_REDIS_URL
  const shared = await openSharedState(config, log, clock).catch((err: unknown) => {
    lock?.release();
    throw err;
  });
  const opened = await openDataDir(config, log).catch(async (err: unknown) => {
    await shared.close();
    lock?.release();
    throw err;
  });
  const { db, sqlite, keys } = opened;
  const checkpointer =
    sqlite &&
    new Checkpointer(
      sqlite,
      { file: databaseFile(config.dataDir), walLimitBytes: config.sqliteWalLimitMb * 1024 * 1024 },
      log,
    );
  const outbound = createOutboundGuard({
    allowLoopback: config.allowLoopbackUrls,
    resolve: opts.resolveHost,
  });

  const sandbox = sandboxAdapter({
    // queued by the worker with the send's settlement, so the receipt exists once the send does
    onSent: async (messageId, accountId) => {
      const now = clock();
      await worker.enqueue({
        accountId,
        kind: 'receipt',
        payload: { messageId, status: 'delivered' },
        runAt: now + config.sandboxReceiptMs,
        now,
      });
    },
  });
  // this app's own: a second app in the same process is told nothing of this one's commits
  const domainEvents = new DomainEvents();
  const deps: AppDeps = {
    config,
    db,
    reads: new ReadCache(sqlite && commitsElsewhere(sqlite), shared.bus),
    log,
    clock,
    keys,
    nonces: shared.nonces,
    limiter: createRateLimits(clock, shared.limiterStore),
    queries: new QueryPool({ file: opened.source, ...config.queries, log }),
    channels: createChannelRegistry({
      db,
      key: keys.secrets,
      sandbox,
      ctx: { fetch: outbound.fetch, now: clock, timeoutMs: config.providerTimeoutMs },
      factories: createProviderFactories(dbDeviceDirectory(db)),
      bus: shared.bus,
    }),
    domainEvents,
    uow: createUnitOfWork(db, domainEvents.publish),
    // the worker and dispatcher are made just below; a nudge can only come after listen
    nudgeOutbox: () => worker.nudge(),
    nudgeSink: () => sink.nudge(),
    isReady: () => ready,
    sessions: new SessionGuard(db, clock, shared.bus),
    signIn: new SignInThrottle(signInLimiters(SIGN_IN_RULES, shared.limiterStore), SIGN_IN_RULES),
    // sockets are counted only when scraped, which is after listen
    metrics: createMetrics({ db, clock, connectedSockets: () => io.of('/').sockets.size }),
    outbound,
    pingSharedState: () => shared.ping(),
  };
  const worker = new OutboxWorker({
    db,
    reads: deps.reads,
    uow: deps.uow,
    log,
    clock,
    channels: deps.channels,
    config: config.outbox,
    publicUrl: () => url,
    metrics: deps.metrics,
  });
  // both outbound webhooks (the conversation sink, the event subscriptions) post the same way
  const webhookPosting = {
    db,
    key: keys.secrets,
    clock,
    log,
    fetch: outbound.fetch,
    timeoutMs: config.providerTimeoutMs,
    pollMs: Math.max(config.outbox.pollMs, 250),
    backoffMs: config.outbox.backoffMs,
    leaseMs: config.outbox.leaseMs,
    metrics: deps.metrics,
  };
  const sink = new SinkDispatcher(webhookPosting);
  const eventWebhooks = new EventWebhookDispatcher({
    ...webhookPosting,
    backoffMaxMs: config.outbox.backoffMaxMs,
    domainEvents: deps.domainEvents,
  });

  let url = '';
  let ready = false;
  const demo =
    config.demoPage === 'off' ? undefined : newDemoAccess(config.demoPage === 'any-host');
  const handler = createApp(deps, {
    publicDir: join(root, 'backend/public'),
    bundleDir: join(root, 'dist/web'),
    demo,
  }).callback();
  // Once shutdown begins, every response still to be written says `Connection: close`, so a
  // keep-alive client cannot hold the process open until its idle timeout.
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const http = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (closing) res.setHeader('Connection', 'close');
    void handler(req, res);
  });
  // after Koa's handler is on the server: Socket.IO answers /socket.io/ and passes the rest on
  const io = attachRealtime(http, deps, shared.socketAdapter);
  const followers = shared.watchFollowers(io);
  const publisher = startPublisher(io, deps, followers.has);
  const stopSessionWatch = watchSessions(io, deps, ['/', REPORTS_NAMESPACE]);
  /** What is let go once the sockets are closed, on shutdown or a failed listen. */
  const release = async () => {
    stopSessionWatch();
    await deps.queries.close();
    await checkpointer?.stop();
    await publisher.stop();
    await outbound.close();
    await opened.close();
    await shared.close();
    lock?.release();
  };
  await listen(http, config).catch(async (err: unknown) => {
    await Promise.all([io.close(), followers.stop()]);
    await release();
    throw err;
  });
  const { port } = http.address() as AddressInfo;
  url = publicBaseUrl(config, port);
  recordServerUrl(config.dataDir, url);

  let demoCreated: DemoCredentials | undefined;
  if (config.demo && (await isEmpty(db))) {
    const file = demoCredentialsFile(config.dataDir);
    const demo = await createDemo(deps, {
      clock,
      encryptionKey: deps.keys.secrets,
      baseUrl: url,
      dataDir: config.dataDir,
    });
    log.info({ file, accountId: demo.accountId }, 'demo account created');
    demoCreated = demo;
  }
  if (config.outbox.enabled) {
    worker.start();
    sink.start();
    eventWebhooks.start();
  }
  ready = true;
  // spent idempotency keys and messages past their receipt timeout, swept once a minute
  const housekeeping = pollLoop(
    async () => {
      await pruneIdempotencyKeys(db, clock());
      return expireUndelivered(deps, clock());
    },
    { pollMs: HOUSEKEEPING_MS, log, name: 'housekeeping' },
  );
  housekeeping.start(HOUSEKEEPING_MS);
  const retention = retentionLoop({ db, clock, config, log });
  retention.start();

  return {
    url,
    port,
    deps,
    worker,
    http,
    io,
    checkpointer,
    retention,
    demoCreated,
    // on this machine only, the page is reached directly, not at a public URL through a proxy
    demoPageUrl:
      demo &&
      demoPageUrl(
        demo.anyHost ? url : publicBaseUrl({ ...config, publicUrl: undefined }, port),
        demo,
      ),
    async close() {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      // disconnects the sockets, then closes the http server
      const closed = io.close();
      http.closeIdleConnections();
      // a client that never finishes its request must not keep the process alive
      const cut = setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS);
      cut.unref();
      await Promise.all([
        closed.finally(() => clearTimeout(cut)),
        worker.stop(),
        housekeeping.stop(),
        retention.stop(),
        sink.stop(),
        eventWebhooks.stop(),
        followers.stop(),
      ]);
      await release();
    },
  };
}

/** Listens on PORT and HOST; a port taken or not allowed is a one-line StartupError. */
function listen(http: Server, config: Config): Promise<void> {
  return new Promise<void>((ok, fail) => {
    http.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'is already in use (another c2m or another program); stop it, or set PORT to a free port'
          : err.code === 'EACCES'
            ? 'needs privileges this process does not have; use a port above 1023'
            : err.code === 'EADDRNOTAVAIL'
              ? 'is not an address of this machine; check HOST'
              : undefined;
      if (!why) return fail(err);
      fail(new StartupError(`PORT ${config.port} on HOST ${config.host} ${why}`, { cause: err }));
    });
    http.listen(config.port, config.host, ok);
  });
}
