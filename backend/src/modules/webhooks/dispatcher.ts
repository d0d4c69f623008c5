import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { backoffDelay, PollLoop } from '../../db/poll-loop.js';
import { postSignedWebhook, type WebhookTransport } from '../../outbound/outbound-webhook.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { DomainEvents, DomainEventMap } from '../events/domain-events.js';
import {
  dueDeliveries,
  markAttemptFailed,
  markDelivered,
  type DeliveryRow,
} from './deliveries.repo.js';
import { fanOutEvents } from './fan-out.js';
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
  metrics: Pick<Metrics, 'webhookDeliveries'>;
  /** When given, a committed change wakes the dispatcher instead of waiting for the next poll. */
  domainEvents?: DomainEvents;
}

const WAKING_EVENTS: (keyof DomainEventMap)[] = [
  'transaction-created',
  'transaction-changed',
  'conversation-opened',
  'conversation-closed',
];

/**
 * Delivers the events table to the brands' webhook subscriptions: fans each new event out to the
 * subscriptions that want it, then sends what is due, signed, at least once, retried with capped
 * exponential backoff for 24 hours, and in order per transaction or conversation.
 */
export class EventWebhookDispatcher extends PollLoop {
  private readonly wake = () => this.nudge();

  constructor(private readonly deps: EventWebhookDispatcherDeps) {
    super({ pollMs: deps.pollMs, log: deps.log, name: 'event webhook' });
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

  /** One round: new events fanned out, due deliveries attempted; returns how much was done. */
  async runOnce(): Promise<number> {
    const read = await fanOutEvents(this.deps.db, this.deps.clock());
    return read + (await this.runDue());
  }

  /** Attempts every delivery that is due and first of its order key; returns how many. */
  async runDue(): Promise<number> {
    const due = await dueDeliveries(this.deps.db, this.deps.clock(), 50);
    for (const d of due) await this.deliver(d);
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
