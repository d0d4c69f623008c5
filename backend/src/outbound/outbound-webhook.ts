// What the conversation sink and event webhooks share: one signed POST to a brand's URL (through
// the outbound guard: checked again on each attempt, redirects refused) and a timeout. Their
// delivery queues run on the shared poll loop and backoff (db/poll-loop.ts).
import { signWebhook } from '../auth/webhook-signature.js';
import type { Clock } from '../clock.js';
import { refusalOf } from './outbound-url.js';

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
