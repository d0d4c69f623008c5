import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { backoffDelay, PollLoop } from '../../db/poll-loop.js';
import { postSignedWebhook } from '../../outbound/outbound-webhook.js';
import type { Metrics } from '../../metrics/metrics.js';
import { loadSinkSettings } from './sink.js';
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
  metrics: Pick<Metrics, 'webhookDeliveries'>;
}

/**
 * Delivers conversation events to the brand's contact center: signed, at least once, retried with
 * capped exponential backoff for up to 24 hours, and in order per conversation (an event waits
 * while an earlier one of the same conversation is still pending).
 */
export class SinkDispatcher extends PollLoop {
  constructor(private readonly deps: SinkDispatcherDeps) {
    // a conversation's burst of commits (opened, the consumer's message) makes one round
    super({ pollMs: deps.pollMs, log: deps.log, name: 'sink delivery', coalesceMs: 5 });
  }

  protected override round(): Promise<number> {
    return this.runDue();
  }

  /** Attempts every delivery that is due and first in its conversation; returns how many. */
  async runDue(): Promise<number> {
    const { db, clock } = this.deps;
    const due = await db
      .selectFrom('sink_deliveries as d')
      .selectAll()
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', clock())
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('sink_deliveries as e')
              .select('e.id')
              .whereRef('e.conversation_id', '=', 'd.conversation_id')
              .where('e.status', '=', 'pending')
              .whereRef('e.seq', '<', 'd.seq'),
          ),
        ),
      )
      .orderBy('d.created_at')
      .limit(50)
      .execute();
    for (const d of due) await this.deliver(d);
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
      })
      .where('id', '=', d.id)
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
  const replay = { status: 'pending', next_attempt_at: now, created_at: now, attempts: 0 } as const;
  return (await updateRows(db, 'sink_deliveries', { account_id: accountId, id }, replay)) > 0;
}
