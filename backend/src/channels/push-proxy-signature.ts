import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How c2m and a brand's push proxy sign what they send each other (both directions alike):
 *
 *   X-C2M-Timestamp: 1735689600                      (unix seconds when the request was made)
 *   X-C2M-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   X-C2M-Delivery:  <our message id>                (c2m → proxy only; the same on every retry)
 *
 * The receiver recomputes the HMAC over the exact bytes it received, compares in constant time,
 * and refuses a timestamp more than five minutes from its clock, so a captured request cannot be
 * replayed later. While a secret is being rotated the header may carry several comma-separated
 * `v1=` values; one match is enough.
 */
export const PUSH_PROXY_HEADERS = {
  timestamp: 'x-c2m-timestamp',
  signature: 'x-c2m-signature',
  delivery: 'x-c2m-delivery',
} as const;

export const PUSH_PROXY_TOLERANCE_S = 300;

/** The `X-C2M-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signPushProxyPayload(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyPushProxySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Buffer,
  nowMs: number,
  toleranceS = PUSH_PROXY_TOLERANCE_S,
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'X-C2M-Timestamp missing or not unix seconds' };
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceS) {
    return { ok: false, reason: 'X-C2M-Timestamp is outside the tolerance window' };
  }
  if (!signature) return { ok: false, reason: 'X-C2M-Signature missing' };
  const expected = Buffer.from(
    createHmac('sha256', secret)
      .update(Buffer.concat([Buffer.from(`${timestamp}.`), body]))
      .digest('hex'),
  );
  const matches = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return matches ? { ok: true } : { ok: false, reason: 'X-C2M-Signature does not match' };
}
