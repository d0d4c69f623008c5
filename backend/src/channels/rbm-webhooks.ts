import { describeIssue } from '../../contract/issues.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { SettingsOf } from '../../contract/providers.js';
import type { RawWebhook, WebhookEvent, WebhookReceiver, WebhookVerdict } from './types.js';
import { readWebhookJson } from './webhook-json.js';

/**
 * RBM's webhook: a Pub/Sub push envelope whose `message.data` is the base64 of a user message or
 * user event. `X-Goog-Signature` is base64(HMAC-SHA512(clientToken, the *decoded* data bytes)),
 * as Google's verification sample computes it. When the webhook is configured, RBM first posts
 * `{clientToken, secret}` and expects the secret back as the body of a 200.
 * https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks
 */
const Verification = z.object({ clientToken: z.string(), secret: z.string().min(1) });

const Envelope = z.object({
  message: z.object({
    data: z.base64().min(1),
    messageId: z.string().optional(),
    publishTime: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
  }),
  subscription: z.string().optional(),
});

const rfc3339 = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time');

const UserEvent = z.object({
  senderPhoneNumber: z.string().min(1),
  eventType: z.string().min(1),
  eventId: z.string().min(1),
  messageId: z.string().min(1),
  sendTime: rfc3339,
  agentId: z.string().optional(),
});

const UserMessage = z.object({
  senderPhoneNumber: z.string().min(1),
  messageId: z.string().min(1),
  sendTime: rfc3339,
  agentId: z.string().optional(),
  text: z.string().optional(),
  /** A tapped suggested reply or action: its text is what the user "said". */
  suggestionResponse: z.object({ text: z.string().optional() }).optional(),
});

const STATUS_OF: Record<string, 'delivered' | 'read'> = { DELIVERED: 'delivered', READ: 'read' };

export function createRbmWebhooks(settings: SettingsOf<'rbm'>): WebhookReceiver {
  const key = settings.webhookClientToken;
  return {
    provider: 'rbm',
    receive(req: RawWebhook): WebhookVerdict {
      if (req.method !== 'POST')
        return { ok: false, status: 400, reason: 'RBM posts its webhooks' };
      const body = readWebhookJson(req.rawBody, 'body is not JSON');
      if (!body.ok) return body;
      const json = body.json;
      const envelope = Envelope.safeParse(json);
      if (!envelope.success) {
        const verification = Verification.safeParse(json);
        if (!verification.success) return { ok: false, status: 400, reason: 'not an RBM webhook' };
        return sameText(verification.data.clientToken, key)
          ? { ok: true, reply: verification.data.secret }
          : { ok: false, status: 401, reason: 'clientToken does not match' };
      }
      const data = Buffer.from(envelope.data.message.data, 'base64');
      const expected = createHmac('sha512', key).update(data).digest('base64');
      const given = header(req, 'x-goog-signature');
      if (!given || !sameText(given.trim(), expected)) {
        return { ok: false, status: 401, reason: 'X-Goog-Signature does not match' };
      }
      return parsePayload(data, settings.agentId);
    },
  };
}

function parsePayload(data: Buffer, agentId: string): WebhookVerdict {
  const read = readWebhookJson(data, 'message.data is not JSON');
  if (!read.ok) return read;
  const payload = read.json;
  const forAgent = (p: { agentId?: string | undefined }) => !p.agentId || p.agentId === agentId;
  if (typeof payload === 'object' && payload !== null && 'eventType' in payload) {
    const event = UserEvent.safeParse(payload);
    if (!event.success) return { ok: false, status: 400, reason: issue(event.error) };
    const status = STATUS_OF[event.data.eventType];
    // IS_TYPING and event types added later carry no status of ours
    if (!status || !forAgent(event.data)) return { ok: true, events: [] };
    const e: WebhookEvent = {
      kind: 'status',
      eventId: event.data.eventId,
      providerMessageId: event.data.messageId,
      status,
      at: Date.parse(event.data.sendTime),
    };
    return { ok: true, events: [e] };
  }
  const message = UserMessage.safeParse(payload);
  if (!message.success) return { ok: false, status: 400, reason: issue(message.error) };
  const m = message.data;
  const text = m.text ?? m.suggestionResponse?.text;
  // a partner webhook carries every agent of the partner; locations and files are not text
  if (text === undefined || !forAgent(m)) return { ok: true, events: [] };
  const e: WebhookEvent = {
    kind: 'inbound',
    eventId: m.messageId,
    providerMessageId: m.messageId,
    from: m.senderPhoneNumber,
    to: m.agentId ?? agentId,
    text,
    at: Date.parse(m.sendTime),
  };
  return { ok: true, events: [e] };
}

function issue(err: z.ZodError): string {
  return describeIssue(err, 'data');
}

function header(req: RawWebhook, name: string): string | undefined {
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : req.headers[key];
}

/** Constant-time comparison of two strings (a length mismatch alone is not secret). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
