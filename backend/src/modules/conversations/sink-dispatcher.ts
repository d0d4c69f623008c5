import type { Logger } from 'pino';
import { signWebhook } from '../../auth/webhook-signature.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { checkWebhookUrl } from '../../http/ssrf.js';
import { loadSinkSettings } from './sink.js';

const DAY_MS = 86_400_000;

export interface SinkDispatcherDeps {
  db: Db;
  key: Buffer;
  clock: Clock;
  log: Logger;
  fetch: typeof fetch;
  allowPrivate: boolean;
  timeoutMs: number;
  pollMs: number;
  backoffMs: number;
}

/**
 * Delivers conversation events to the brand's contact center: signed, at least once, retried with
 * capped exponential backoff for up to 24 hours, and in order per conversation (an event waits
 * while an earlier one of the same conversation is still pending).
 */
export class SinkDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private running = false;

  constructor(private readonly deps: SinkDispatcherDeps) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  nudge(): void {
    if (this.running && !this.current) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (!this.running || this.current) return;
    // keep going while deliveries are made: each run sends only the first pending event of a
    // conversation, so a burst drains in consecutive runs rather than one per poll
    this.current = (async () => {
      while (this.running && (await this.runDue()) > 0);
    })().catch((err: unknown) => this.deps.log.error({ err }, 'sink delivery tick failed'));
    await this.current;
    this.current = undefined;
    if (this.running) this.schedule(this.deps.pollMs);
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
    const error = sink ? await this.post(sink, d) : 'no sink configured';
    const now = clock();
    if (error === undefined) {
      await db
        .updateTable('sink_deliveries')
        .set({ status: 'delivered', delivered_at: now, attempts: d.attempts + 1, last_error: null })
        .where('id', '=', d.id)
        .execute();
      return;
    }
    const attempts = d.attempts + 1;
    const giveUp = now - d.created_at >= DAY_MS;
    const delay = Math.min(3_600_000, this.deps.backoffMs * 2 ** d.attempts);
    await db
      .updateTable('sink_deliveries')
      .set({
        status: giveUp ? 'failed' : 'pending',
        attempts,
        last_error: error,
        next_attempt_at: now + delay / 2 + Math.random() * (delay / 2),
      })
      .where('id', '=', d.id)
      .execute();
    this.deps.log.warn({ deliveryId: d.id, attempts, error, giveUp }, 'sink delivery failed');
  }

  /** One signed POST; undefined when the receiver took it (2xx), else why not. */
  private async post(
    sink: { url: string; secret: string },
    d: { id: string; body_json: string },
  ): Promise<string | undefined> {
    const check = await checkWebhookUrl(sink.url, this.deps.allowPrivate);
    if (!check.ok) return `refused URL: ${check.reason}`;
    const timestamp = Math.floor(this.deps.clock() / 1000);
    try {
      const res = await this.deps.fetch(sink.url, {
        method: 'POST',
        redirect: 'manual', // a redirect could lead anywhere: it counts as a failure
        signal: AbortSignal.timeout(this.deps.timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'c2m-webhooks/1',
          'X-C2M-Delivery': d.id,
          'X-C2M-Timestamp': String(timestamp),
          'X-C2M-Signature': signWebhook(sink.secret, timestamp, d.body_json),
        },
        body: d.body_json,
      });
      await res.body?.cancel();
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? err.name + ': ' + err.message : String(err);
    }
  }
}

/** Puts a failed (or any) delivery back in the queue, to be sent now. */
export async function replaySinkDelivery(
  db: Db,
  accountId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('sink_deliveries')
    .set({ status: 'pending', next_attempt_at: now, created_at: now, attempts: 0 })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
