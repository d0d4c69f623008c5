import type { WebhookVerdict } from './types.js';

export type WebhookRefusal = Extract<WebhookVerdict, { ok: false }>;

/** Webhook bytes (a body, or a field of one) read as JSON; else a 400 with the receiver's reason. */
export function readWebhookJson(
  bytes: Buffer,
  reason: string,
): { ok: true; json: unknown } | WebhookRefusal {
  try {
    return { ok: true, json: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, reason };
  }
}
