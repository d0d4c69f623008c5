import { createHmac } from 'node:crypto';
import { safeEqual } from './secrets.js';

/**
 * How c2m signs what it sends (conversation sink, event webhooks, push proxy):
 * `X-C2M-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` with the Unix-seconds
 * `X-C2M-Timestamp`. Signing the timestamp lets a receiver refuse replays of old deliveries.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function verifyWebhookSignature(
  secret: string,
  header: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowMs: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(header.timestamp);
  if (!header.signature || !Number.isInteger(ts)) return false;
  if (Math.abs(nowMs / 1000 - ts) > toleranceSeconds) return false;
  return safeEqual(signWebhook(secret, ts, body), header.signature);
}
