import { describeIssue } from '../../contract/issues.js';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type {
  MessageStatus,
  RawWebhook,
  WebhookEvent,
  WebhookReceiver,
  WebhookVerdict,
} from './types.js';
import type { WhatsAppCloudSettings } from './whatsapp-cloud.js';
import { describeMetaError, MetaError } from './whatsapp-errors.js';
import { readWebhookJson } from './webhook-json.js';

const UnixSeconds = z
  .string()
  .regex(/^\d{1,12}$/, 'must be unix seconds')
  .transform((s) => Number(s) * 1000);

const Status = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: UnixSeconds,
  recipient_id: z.string().optional(),
  errors: z.array(MetaError).optional(),
});

const Reply = z.object({ id: z.string(), title: z.string() });
const Captioned = z.object({ caption: z.string().optional() }).optional();

const Message = z.object({
  from: z.string().regex(/^\d{5,20}$/, 'must be the sender’s phone digits'),
  id: z.string().min(1),
  timestamp: UnixSeconds,
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  interactive: z
    .object({ type: z.string(), button_reply: Reply.optional(), list_reply: Reply.optional() })
    .optional(),
  image: Captioned,
  video: Captioned,
  document: Captioned,
});
type Message = z.infer<typeof Message>;

/** `value` of a `messages` change: what Meta reports for one business phone number. */
const MessagesValue = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata: z.object({ display_phone_number: z.string(), phone_number_id: z.string() }),
  messages: z.array(Message).optional(),
  statuses: z.array(Status).optional(),
});
type MessagesValue = z.infer<typeof MessagesValue>;

/** The envelope every WhatsApp Business Account webhook shares; other fields' values are skipped. */
const Delivery = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

/** `value` of a `message_template_status_update` change: Meta's review of one template. */
const TemplateStatusValue = z.object({
  event: z.string().min(1),
  message_template_id: z.union([z.string(), z.number()]).transform(String),
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  reason: z.string().nullish(),
});

const STATUSES: ReadonlySet<string> = new Set<MessageStatus>([
  'sent',
  'delivered',
  'read',
  'failed',
]);

/**
 * Receives the Cloud API's `messages` webhook for one business phone number: the GET verification
 * handshake, then signed POST deliveries of statuses and consumer messages. Pure: nothing stored,
 * nothing thrown; de-duplication by eventId is the caller's job (Meta delivers at least once).
 */
export function createWhatsAppCloudWebhooks(settings: WhatsAppCloudSettings): WebhookReceiver {
  return {
    provider: 'whatsapp-cloud',
    receive(req: RawWebhook): WebhookVerdict {
      const method = req.method.toUpperCase();
      if (method === 'GET') return handshake(req.url, settings.verifyToken);
      if (method !== 'POST') return { ok: false, status: 400, reason: `method ${method} not used` };
      if (!signatureMatches(req, settings.appSecret)) {
        return { ok: false, status: 401, reason: 'X-Hub-Signature-256 missing or wrong' };
      }
      return parseDelivery(req.rawBody, settings.phoneNumberId);
    },
  };
}

/** Meta's subscription check: echo hub.challenge only to whoever knows our verify token. */
function handshake(url: string, verifyToken: string): WebhookVerdict {
  let query: URLSearchParams;
  try {
    query = new URL(url, 'http://localhost').searchParams;
  } catch {
    return { ok: false, status: 400, reason: 'url: not a URL' };
  }
  const token = query.get('hub.verify_token') ?? '';
  if (query.get('hub.mode') !== 'subscribe' || !sameSecret(token, verifyToken)) {
    return { ok: false, status: 403, reason: 'hub.mode or hub.verify_token does not match' };
  }
  const challenge = query.get('hub.challenge');
  if (!challenge) return { ok: false, status: 400, reason: 'hub.challenge: is required' };
  return { ok: true, reply: challenge };
}

/** `sha256=` + hex HMAC-SHA256 of the raw body bytes, keyed with the app secret. */
function signatureMatches(req: RawWebhook, appSecret: string): boolean {
  const header = headerValue(req.headers, 'x-hub-signature-256');
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(req.rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
}

function parseDelivery(rawBody: Buffer, phoneNumberId: string): WebhookVerdict {
  const body = readWebhookJson(rawBody, 'body: malformed JSON');
  if (!body.ok) return body;
  const delivery = Delivery.safeParse(body.json);
  if (!delivery.success) return invalid(delivery.error, []);
  const events: WebhookEvent[] = [];
  for (const [e, entry] of delivery.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      if (change.field === 'message_template_status_update') {
        // an update without Meta's template id cannot be matched to one of ours: nothing to do
        const update = TemplateStatusValue.safeParse(change.value);
        if (!update.success) continue;
        const { message_template_id: id, event, reason } = update.data;
        events.push({
          kind: 'template_status',
          eventId: `template:${id}:${event}`,
          providerTemplateId: id,
          status: event,
          reason: reason && reason !== 'NONE' ? reason : null,
          at: Date.now(),
        });
        continue;
      }
      if (change.field !== 'messages') continue;
      const value = MessagesValue.safeParse(change.value);
      if (!value.success) return invalid(value.error, ['entry', e, 'changes', c, 'value']);
      // one app may serve several numbers; this receiver speaks for one of them only
      if (value.data.metadata.phone_number_id !== phoneNumberId) continue;
      events.push(...statusEvents(value.data), ...inboundEvents(value.data));
    }
  }
  return { ok: true, events };
}

function statusEvents(value: MessagesValue): WebhookEvent[] {
  return (value.statuses ?? []).flatMap((s): WebhookEvent[] => {
    // other statuses (e.g. `deleted`, `played`) say nothing reporting counts
    if (!STATUSES.has(s.status)) return [];
    const status = s.status as MessageStatus;
    const first = status === 'failed' ? s.errors?.[0] : undefined;
    return [
      {
        kind: 'status',
        eventId: `${s.id}:${status}`,
        providerMessageId: s.id,
        status,
        at: s.timestamp,
        ...(first && { error: describeMetaError(first) }),
      },
    ];
  });
}

function inboundEvents(value: MessagesValue): WebhookEvent[] {
  const to = `+${value.metadata.display_phone_number.replace(/\D/g, '')}`;
  return (value.messages ?? []).flatMap((m): WebhookEvent[] => {
    const text = messageText(m);
    if (text === undefined) return [];
    return [
      {
        kind: 'inbound',
        eventId: m.id,
        providerMessageId: m.id,
        from: `+${m.from}`,
        to,
        text,
        at: m.timestamp,
      },
    ];
  });
}

/**
 * The consumer's words, or a placeholder such as `[image]` for what has none, so any reply still
 * opens a conversation. `system` notices (e.g. the user changed number) are not replies.
 */
function messageText(m: Message): string | undefined {
  switch (m.type) {
    case 'text':
      return m.text?.body ?? '';
    case 'button':
      return m.button?.text ?? '[button]';
    case 'interactive':
      return (
        m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? '[interactive]'
      );
    case 'system':
      return undefined;
    default: {
      const caption =
        m.type === 'image' || m.type === 'video' || m.type === 'document'
          ? m[m.type]?.caption
          : undefined;
      return caption ? `[${m.type}] ${caption}` : `[${m.type}]`;
    }
  }
}

function invalid(error: z.ZodError, prefix: (string | number)[]): WebhookVerdict {
  return { ok: false, status: 400, reason: describeIssue(error, 'body', prefix) };
}

function headerValue(headers: RawWebhook['headers'], name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Constant-time equality for strings of any length: compare their digests. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
