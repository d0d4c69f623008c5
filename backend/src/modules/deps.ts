import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { ReadCache } from '../db/read-cache.js';
import type { Clock } from '../clock.js';
import type { NonceStore } from '../auth/oauth1.js';
import type { RateLimits } from '../http/rate-limit.js';
import type { ChannelRegistry } from './providers/channel-registry.js';
import type { AppUnitOfWork, DomainEvents } from './events/domain-events.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SessionGuard } from './sessions/session-guard.js';
import type { SignInThrottle } from './sessions/sign-in-throttle.js';
import type { OutboundGuard } from '../outbound/outbound-fetch.js';
import type { QueryPool } from './reporting/query-pool.js';

/** Everything the app is built from; main.ts makes the real ones, tests make fresh ones. */
export interface AppDeps {
  config: Config;
  db: Db;
  /** The memo of configuration reads (accounts, handoffs, skills); the repos' writes clear it. */
  reads: ReadCache;
  log: Logger;
  clock: Clock;
  /** Derived from the one secret: one key signs tokens, the other encrypts stored secrets. */
  keys: { tokens: Buffer; secrets: Buffer };
  nonces: NonceStore;
  /** Per-account request limits (in memory on one node; a shared store across nodes). */
  limiter: RateLimits;
  channels: ChannelRegistry;
  /** Wakes the outbox worker after a commit so a send does not wait for the next poll. */
  nudgeOutbox: () => void;
  /** False until start-up (migrations, the demo account) has finished: /readyz answers 503. */
  isReady: () => boolean;
  /** Wakes the conversation sink's dispatcher after an event was queued. */
  nudgeSink: () => void;
  /** Told after each commit that the agent widget shows live (realtime/publisher.ts listens). */
  domainEvents: DomainEvents;
  /** Runs a service's writes in one transaction and publishes their domain events after it. */
  uow: AppUnitOfWork;
  /** Sign-in failures per name+address and per address (POST /api/login). */
  signIn: SignInThrottle;
  /** Whether a session's credential and user still stand (revoke ends sessions). */
  sessions: SessionGuard;
  /** Heavy reports reads, on worker threads with a per-account share (query-pool.ts). */
  queries: QueryPool;
  /** This c2m's Prometheus registry and counters, served at /metrics. */
  metrics: Metrics;
  /** The check and the fetch for every URL a tenant gives c2m to call (outbound/outbound-fetch.ts). */
  outbound: OutboundGuard;
  /** Resolves when the state the nodes share (Redis, when configured) answers: for /readyz. */
  pingSharedState: () => Promise<void>;
}
