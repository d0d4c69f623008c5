import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { runLeased } from '../../db/leases.js';
import { backoffDelay, PollLoop } from '../../db/poll-loop.js';
import { postSignedWebhook, type WebhookTransport } from '../../outbound/outbound-webhook.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { DomainEvents, DomainEventMap } from '../events/domain-events.js';
import {
  claimDueDeliveries,
  markAttemptFailed,
  markDelivered,
  releaseDeliveries,
  type DeliveryRow,
} from './deliveries.repo.js';
import {
  anyEnabledSubscription,
  FAN_OUT_BATCH,
  fanOutEvents,
  skipUnwantedEvents,
} from './fan-out.js';
import { loadSigningTarget } from './subscriptions.repo.js';

export interface EventWebhookDispatcherDeps extends WebhookTransport {
  db: Db;
  /** Decrypts the subscriptions' signing secrets. */
  key: Buffer;
  log: Logger;
  pollMs: number;
  backoffMs: number;
  /** The longest wait between two attempts. */
  backoffMaxMs: number;
  /** How long a claimed delivery is this node's alone (C2M_OUTBOX_LEASE_MS). */
  leaseMs: number;
  metrics: Pick<Metrics, 'webhookDeliveries'>;
  /** When given, a committed change wakes the dispatcher instead of waiting for the next poll. */
  domainEvents?: DomainEvents;
}

/** A burst of commits (each invite makes several) wakes the dispatcher once, this much later. */
const COALESCE_MS = 5;
/** How many deliveries one round attempts. */
const DUE_LIMIT = 50;

const WAKING_EVENTS: (keyof DomainEventMap)[] = [
  'transaction-created',
  'transaction-changed',
  'conversation-opened',
  'conversation-closed',
];

/**
 * Delivers the events table to the brands' webhook subscriptions: fans each new event out to the
 * subscriptions that want it, then sends what is due, signed, at least once, retried with capped
 * exponential backoff for 24 hours, and in order per transaction or conversation. On several
 * nodes, one fans out at a time (the cursor is locked) and each delivery is leased to the node
 * attempting it (deliveries.repo.ts).
 *
 * A burst of domain events wakes one round a few milliseconds later. Each round first asks the
 * database whether any subscription is enabled (an index seek, so one that another request or
 * process enabled is seen at once); while none is (the common case), that is all, and once per
 * poll the cursor moves past the events nobody wants. Otherwise the due deliveries are looked up
 * only when there may be some: deliveries were queued or attempted, or a poll's time has passed
 * (retries come due with time).
 */
export class EventWebhookDispatcher extends PollLoop {
  /** Whether the last round attempted or queued deliveries, so more may be due now. */
  private mayBeDue = true;
  /** When due deliveries were last looked up (real time: a test's clock may stand still). */
  private dueCheckedAt = -Infinity;
  /** When the cursor was last moved past unwanted events (real time). */
  private skippedAt = -Infinity;

  private readonly wake = () => this.nudge();

  constructor(private readonly deps: EventWebhookDispatcherDeps) {
    super({
      pollMs: deps.pollMs,
      log: deps.log,
      name: 'event webhook',
      coalesceMs: COALESCE_MS,
    });
  }

  override start(): void {
    for (const name of WAKING_EVENTS) this.deps.domainEvents?.on(name, this.wake);
    super.start();
  }

  override async stop(): Promise<void> {
    for (const name of WAKING_EVENTS) this.deps.domainEvents?.off(name, this.wake);
    await super.stop();
  }

  protected override round(): Promise<number> {
    return this.runOnce();
  }

  /**
   * One round: new events fanned out, due deliveries attempted. Returns how much is left for a
   * next round at once: a full batch of events read, or deliveries attempted (the next of their
   * order key may be due now).
   */
  async runOnce(): Promise<number> {
    const { db, clock, pollMs } = this.deps;
    if (!(await anyEnabledSubscription(db))) {
      if (performance.now() - this.skippedAt >= pollMs) {
        this.skippedAt = performance.now();
        await skipUnwantedEvents(db);
      }
      return 0;
    }
    const { read, queued } = await fanOutEvents(db, clock());
    const polled = performance.now() - this.dueCheckedAt >= pollMs;
    const attempted = queued > 0 || this.mayBeDue || polled ? await this.runDue() : 0;
    this.mayBeDue = attempted > 0;
    return (read === FAN_OUT_BATCH ? read : 0) + attempted;
  }

  /**
   * Claims the deliveries that are due and first of their order key, and attempts them; returns
   * how many it claimed. Those it does not start (stopping, or the lease half gone) go back.
   */
  async runDue(): Promise<number> {
    const { db, clock, leaseMs } = this.deps;
    this.dueCheckedAt = performance.now();
    const claimedAt = clock();
    const due = await claimDueDeliveries(db, { now: claimedAt, leaseMs, limit: DUE_LIMIT });
    const left = await runLeased(
      due,
      { clock, claimedAt, leaseMs, stopping: () => this.stopping },
      (d) => this.deliver(d),
    );
    await releaseDeliveries(db, left);
    return due.length;
  }

  private async deliver(d: DeliveryRow): Promise<void> {
    const { db, key, clock } = this.deps;
    const target = await loadSigningTarget(db, key, d.subscription_id);
    // deleted meanwhile: its deliveries went with it, so there is nothing left to update
    if (!target) return;
    const error = await postSignedWebhook(this.deps, target, {
      id: d.id,
      body: d.body_json,
      headers: { 'X-C2M-Event': d.type },
    });
    const now = clock();
    if (error === undefined) {
      await markDelivered(db, d, now);
      this.deps.metrics.webhookDeliveries.inc({ kind: 'events', result: 'delivered' });
      return;
    }
    const retryAt = now + backoffDelay(d.attempts, this.deps.backoffMs, this.deps.backoffMaxMs);
    const status = await markAttemptFailed(db, d, { error, now, retryAt });
    this.deps.metrics.webhookDeliveries.inc({
      kind: 'events',
      result: status === 'pending' ? 'retrying' : 'failed',
    });
    this.deps.log.warn(
      {
        deliveryId: d.id,
        subscriptionId: d.subscription_id,
        attempts: d.attempts + 1,
        error,
        status,
      },
      'event webhook delivery failed',
    );
  }
}
