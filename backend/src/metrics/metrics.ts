import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { countOutboxJobs, oldestDueAt } from '../outbox/outbox.repo.js';

/** Where the gauges read their value at scrape time. */
export interface MetricsSources {
  db: Db;
  clock: Clock;
  /** Sockets connected (and authenticated) right now. */
  connectedSockets: () => number;
}

/**
 * One c2m's Prometheus metrics, on a registry of its own: tests run several c2m in one process, and
 * prom-client's global registry would mix their counts (and refuse a second metric of one name).
 */
export interface Metrics {
  registry: Registry;
  /** Labels: method, route (the router's path template, or `unmatched`), status. */
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** One per channel decided: channel, reason (`eligible`, `opted_out`, `landline`, …). */
  eligibilityDecisions: Counter<'channel' | 'reason'>;
  /** One per provider send: channel, result `sent` | `retryable_error` | `error`. */
  sends: Counter<'channel' | 'result'>;
  /**
   * One per webhook POST attempt: kind (`sink`, `events`), result `delivered`, `retrying` (failed,
   * will be tried again) or `failed` (given up).
   */
  webhookDeliveries: Counter<'kind' | 'result'>;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'c2m_' });

  new Gauge({
    name: 'c2m_outbox_jobs',
    help: 'Outbox jobs by status: pending (due or waiting for a retry), running, dead',
    labelNames: ['status'],
    registers,
    async collect() {
      const jobs = await countOutboxJobs(sources.db);
      for (const [status, n] of Object.entries(jobs)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'c2m_outbox_oldest_due_age_seconds',
    help: 'How long the longest-waiting due outbox job has been due; 0 when none is',
    registers,
    async collect() {
      const now = sources.clock();
      const dueAt = await oldestDueAt(sources.db, now);
      this.set(dueAt === undefined ? 0 : (now - dueAt) / 1000);
    },
  });
  new Gauge({
    name: 'c2m_sockets_connected',
    help: 'Socket.IO connections of agent widgets',
    registers,
    collect() {
      this.set(sources.connectedSockets());
    },
  });

  return {
    registry,
    httpRequests: new Counter({
      name: 'c2m_http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'c2m_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    eligibilityDecisions: new Counter({
      name: 'c2m_eligibility_decisions_total',
      help: 'Eligibility decisions by channel and reason',
      labelNames: ['channel', 'reason'],
      registers,
    }),
    sends: new Counter({
      name: 'c2m_sends_total',
      help: 'Provider sends by channel and result (sent, retryable_error, error)',
      labelNames: ['channel', 'result'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'c2m_webhook_deliveries_total',
      help: 'Outbound webhook attempts by kind and result (delivered, retrying, failed)',
      labelNames: ['kind', 'result'],
      registers,
    }),
  };
}
