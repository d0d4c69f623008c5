// What the conversation sink and event webhooks share: one signed POST to a brand's URL (through
// the outbound guard: checked again on each attempt, redirects refused), a timeout, the retry
// backoff, and the polling loop that drives their delivery queues.
import type { Logger } from 'pino';
import { signWebhook } from '../auth/webhook-signature.js';
import type { Clock } from '../clock.js';
import { refusalOf } from './outbound-url.js';
import { afterFailedRound } from '../db/busy.js';

export interface WebhookTransport {
  /** The outbound guard's fetch (outbound/outbound-fetch.ts). */
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs: number;
}

/**
 * POSTs `body` signed with `secret` (see signWebhook); undefined when the receiver took it (2xx),
 * else why not. The response body is never read: nothing of a receiver's answer is echoed.
 */
export async function postSignedWebhook(
  transport: WebhookTransport,
  target: { url: string; secret: string },
  delivery: { id: string; body: string; headers?: Record<string, string> },
): Promise<string | undefined> {
  const timestamp = Math.floor(transport.clock() / 1000);
  try {
    const res = await transport.fetch(target.url, {
      method: 'POST',
      signal: AbortSignal.timeout(transport.timeoutMs),
      headers: {
        ...delivery.headers,
        'Content-Type': 'application/json',
        'User-Agent': 'c2m-webhooks/1',
        'X-C2M-Delivery': delivery.id,
        'X-C2M-Timestamp': String(timestamp),
        'X-C2M-Signature': signWebhook(target.secret, timestamp, delivery.body),
      },
      body: delivery.body,
    });
    await res.body?.cancel();
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (err) {
    const refused = refusalOf(err);
    if (refused?.code === 'redirect') return `HTTP ${refused.status}`;
    if (refused) return `refused URL: ${refused.message}`;
    return err instanceof Error ? err.name + ': ' + err.message : String(err);
  }
}

/**
 * The wait before retry number `attempts` + 1: doubling from `baseMs`, capped at `maxMs`, with
 * jitter over its upper half so receivers that failed together do not all come back together.
 */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  const delay = Math.min(maxMs, baseMs * 2 ** attempts);
  return delay / 2 + Math.random() * (delay / 2);
}

/**
 * Runs `work` now, then every `pollMs` and at once when nudged, one run at a time. While `work`
 * reports progress (a count above 0) it runs again straight away, so a burst drains in consecutive
 * runs rather than one per poll.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private running = false;

  constructor(
    private readonly work: () => Promise<number>,
    private readonly opts: { pollMs: number; log: Logger; name: string },
  ) {}

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
    let nextMs = this.opts.pollMs;
    this.current = (async () => {
      // the event loop gets a turn between rounds: a backlog must not hold up the API's requests
      while (this.running && (await this.work()) > 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    })().catch((err: unknown) => {
      nextMs = afterFailedRound(this.opts.log, `${this.opts.name} tick`, err, this.opts.pollMs);
    });
    await this.current;
    this.current = undefined;
    if (this.running) this.schedule(nextMs);
  }
}
