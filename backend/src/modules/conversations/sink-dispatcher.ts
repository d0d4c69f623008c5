import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { runLeased } from '../../db/leases.js';
import { backoffDelay, PollLoop } from '../../db/poll-loop.js';
import { postSignedWebhook } from '../../outbound/outbound-webhook.js';
import type { Metrics } from '../../metrics/metrics.js';
import { claimDueSinkDeliveries, loadSinkSettings, releaseSinkDeliveries } from './sink.js';
import { updateRows } from '../../db/rows.js';

const DAY_MS = 86_400_000;

export interface SinkDispatcherDeps {
  db: Db;
  key: Buffer;
  clock: Clock;
  log: Logger;
  fetch: typeof fetch;
  timeoutMs: number;
  pollMs: number;
  backoffMs: number;
  /** How long a claimed delivery is this node's alone (C2M_OUTBOX_LEASE_MS). */
  leaseMs: number;
  metrics: Pick<Metrics, 'webhookDeliveries'>;
}

/**
 * Delivers conversation events to the brand's contact center: signed, at least once, retried with
 * capped exponential backoff for up to 24 hours, and in order per conversation (an event waits
 * while an earlier one of the same conversation is still pending). Each delivery is leased to the
 * node attempting it, so several nodes send each once and keep the order.
 */
export class SinkDispatcher extends PollLoop {
  constructor(private readonly deps: SinkDispatcherDeps) {
    // a conversation's burst of commits (opened, the consumer's message) makes one round
    super({ pollMs: deps.pollMs, log: deps.log, name: 'sink delivery', coalesceMs: 5 });
  }

  protected override round(): Promise<number> {
    return this.runDue();
  }

  /**
   * Claims the deliveries that are due and first in their conversation, and attempts them;
   * returns how many it claimed. Those it does not start (stopping, or the lease half gone) go
   * back.
   */
  async runDue(): Promise<number> {
    const { db, clock, leaseMs } = this.deps;
    const claimedAt = clock();
    const due = await claimDueSinkDeliveries(db, { now: claimedAt, leaseMs, limit: 50 });
    const left = await runLeased(
      due,
      { clock, claimedAt, leaseMs, stopping: () => this.stopping },
      (d) => this.deliver(d),
    );
    await releaseSinkDeliveries(db, left);
    return due.length;
  }

  private async deliver(d: {
    id: string;
    account_id: string;
    body_json: string;
    attempts: number;
    created_at: number;
  }): Promise<void> {
    const { db, clock } = this.deps;
    const sink = await loadSinkSettings(db, this.deps.key, d.account_id);
    const error = sink
      ? await postSignedWebhook(this.deps, sink, { id: d.id, body: d.body_json })
      : 'no sink configured';
    const now = clock();
    if (error === undefined) {
      await db
        .updateTable('sink_deliveries')
        .set({ status: 'delivered', delivered_at: now, attempts: d.attempts + 1, last_error: null })
        .where('id', '=', d.id)
        .execute();
      this.deps.metrics.webhookDeliveries.inc({ kind: 'sink', result: 'delivered' });
      return;
    }
    const attempts = d.attempts + 1;
    const giveUp = now - d.created_at >= DAY_MS;
    await db
      .updateTable('sink_deliveries')
      .set({
        status: giveUp ? 'failed' : 'pending',
        attempts,
        last_error: error,
        next_attempt_at: now + backoffDelay(d.attempts, this.deps.backoffMs, 3_600_000),
        locked_until: null,
      })
      .where('id', '=', d.id)
      // delivered meanwhile by a node that took over this one's lapsed lease: it stays delivered
      .where('status', '=', 'pending')
      .execute();
    this.deps.metrics.webhookDeliveries.inc({
      kind: 'sink',
      result: giveUp ? 'failed' : 'retrying',
    });
    this.deps.log.warn({ deliveryId: d.id, attempts, error, giveUp }, 'sink delivery failed');
  }
}

/** Puts a failed (or any) delivery back in the queue, to be sent now. */
export async function replaySinkDelivery(
  db: Db,
  accountId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const replay = {
    status: 'pending',
    next_attempt_at: now,
    created_at: now,
    attempts: 0,
    locked_until: null,
  } as const;
  return (await updateRows(db, 'sink_deliveries', { account_id: accountId, id }, replay)) > 0;
}
