import { describeIssue } from '../../contract/issues.js';
import { z } from 'zod';
import type { SettingsOf } from '../../contract/providers.js';
import { PUSH_PROXY_HEADERS, verifyPushProxySignature } from './push-proxy-signature.js';
import type { RawWebhook, WebhookEvent, WebhookReceiver, WebhookVerdict } from './types.js';
import { readWebhookJson } from './webhook-json.js';

/**
 * What a brand's push proxy reports back, signed like c2m's own requests (X-C2M-Timestamp,
 * X-C2M-Signature):
 *
 *   {"events": [
 *     {"type": "delivered" | "read", "id": "<message id>", "eventId": "…", "at": "<ISO 8601>"},
 *     {"type": "failed", "id": "…", "eventId": "…", "at": "…",
 *      "error": {"code": "…", "message": "…"}},
 *     {"type": "reply", "id": "…", "eventId": "…", "at": "…", "consumerId": "…", "text": "…",
 *      "appId": "…"}
 *   ]}
 *
 * `id` is the message the event is about: ours, or the proxy's own id if it returned one.
 * `eventId` is unique per event and the same on every retry, so c2m can drop repeats.
 */
const base = {
  id: z.string().min(1).max(256),
  eventId: z.string().min(1).max(256),
  at: z.iso.datetime({ offset: true }),
};
const ProxyEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delivered'), ...base }),
  z.object({ type: z.literal('read'), ...base }),
  z.object({
    type: z.literal('failed'),
    ...base,
    error: z.object({ code: z.string().min(1).max(64), message: z.string().max(500) }).optional(),
  }),
  z.object({
    type: z.literal('reply'),
    ...base,
    consumerId: z.string().min(1).max(256),
    text: z.string().min(1).max(4096),
    appId: z.string().min(1).max(128).optional(),
  }),
]);
export const PushProxyReport = z.object({ events: z.array(ProxyEvent).min(1).max(100) });
export type PushProxyReport = z.infer<typeof PushProxyReport>;

export interface PushProxyWebhookOptions {
  /** The clock the timestamp is checked against. */
  now?: () => number;
}

export function createPushProxyWebhooks(
  settings: SettingsOf<'push-proxy'>,
  opts: PushProxyWebhookOptions = {},
): WebhookReceiver {
  const now = opts.now ?? Date.now;
  return {
    provider: 'push-proxy',
    receive(req: RawWebhook): WebhookVerdict {
      if (req.method !== 'POST') return { ok: false, status: 400, reason: 'reports are POSTed' };
      const check = verifyPushProxySignature(
        settings.secret,
        {
          timestamp: header(req, PUSH_PROXY_HEADERS.timestamp),
          signature: header(req, PUSH_PROXY_HEADERS.signature),
        },
        req.rawBody,
        now(),
      );
      if (!check.ok) return { ok: false, status: 401, reason: check.reason };
      const body = readWebhookJson(req.rawBody, 'body is not JSON');
      if (!body.ok) return body;
      const report = PushProxyReport.safeParse(body.json);
      if (!report.success) {
        return { ok: false, status: 400, reason: describeIssue(report.error) };
      }
      return { ok: true, events: report.data.events.map(toEvent) };
    },
  };
}

function toEvent(e: z.infer<typeof ProxyEvent>): WebhookEvent {
  const at = Date.parse(e.at);
  if (e.type === 'reply') {
    return {
      kind: 'inbound',
      eventId: e.eventId,
      providerMessageId: e.id,
      from: e.consumerId,
      to: e.appId ?? '',
      text: e.text,
      at,
    };
  }
  return {
    kind: 'status',
    eventId: e.eventId,
    providerMessageId: e.id,
    status: e.type,
    at,
    ...(e.type === 'failed' && e.error
      ? {
          error: {
            errorSource: 'push-proxy',
            errorCode: e.error.code,
            errorMessage: e.error.message,
          },
        }
      : {}),
  };
}

function header(req: RawWebhook, name: string): string | undefined {
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : req.headers[key];
}
