import { describeIssue } from '../../contract/issues.js';
import { z } from 'zod';
import { E164 } from '../../contract/phone.js';
import type { SettingsOf } from '../../contract/providers.js';
import { isRetryableTwilioCode, twilioErrorMessage } from './twilio-errors.js';
import { verifyTwilioSignature } from './twilio-signature.js';
import type { MessageStatus, RawWebhook, WebhookEvent, WebhookReceiver } from './types.js';

const MessageSid = z
  .string()
  .regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must look like SM + 32 hex digits');

/**
 * Twilio's status callback for an outbound message. Twilio posts more parameters (SmsSid,
 * SmsStatus, ApiVersion, RawDlrDoneDate …); only these matter to c2m. The status stays a free
 * string: a status Twilio adds later is ignored rather than refused.
 */
export const TwilioStatusCallback = z.object({
  AccountSid: z.string(),
  MessageSid,
  MessageStatus: z.string().min(1),
  ErrorCode: z
    .string()
    .regex(/^\d*$/)
    .optional()
    .transform((code) => code || undefined),
  // ErrorMessage is not read: the stored text is ours (twilio-errors.ts)
  ErrorMessage: z.string().optional(),
  To: z.string().min(1),
  From: z.string().min(1).optional(),
});

/** Twilio's incoming-message webhook. Older integrations know the SID as SmsSid. */
export const TwilioInboundMessage = z.object({
  AccountSid: z.string(),
  MessageSid,
  From: E164,
  To: z.string().min(1),
  /** Empty for a picture-only MMS: the media (MediaUrl0 …) is not carried into c2m. */
  Body: z.string().max(10_000).default(''),
});

/** Our status for each Twilio status; the ones missing (queued, accepted, sending …) add nothing. */
const STATUS_MAP: Partial<Record<string, MessageStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/** Statuses of an incoming message, should its webhook carry a MessageStatus. */
const INBOUND_STATUSES = new Set(['received', 'receiving']);

/**
 * The receiving half of Twilio SMS: status callbacks and incoming messages both arrive as
 * form-encoded POSTs to the same URL, signed with `X-Twilio-Signature`. `now` stamps the events
 * (Twilio's callbacks carry no reliable time of their own).
 */
export function createTwilioWebhooks(
  settings: Pick<SettingsOf<'twilio'>, 'accountSid' | 'authToken'>,
  now: () => number = Date.now,
): WebhookReceiver {
  return {
    provider: 'twilio',
    receive(req: RawWebhook) {
      if (req.method.toUpperCase() !== 'POST') {
        return { ok: false, status: 400, reason: 'Twilio webhooks are POST requests' };
      }
      const params = new URLSearchParams(req.rawBody.toString('utf8'));
      const signature = header(req.headers, 'x-twilio-signature');
      if (!verifyTwilioSignature(settings.authToken, signature, req.url, params)) {
        return { ok: false, status: 401, reason: 'invalid X-Twilio-Signature' };
      }
      if (params.get('AccountSid') !== settings.accountSid) {
        return { ok: false, status: 401, reason: 'AccountSid is not this account' };
      }
      const fields = firstValues(params);
      const isStatusCallback =
        fields.MessageStatus !== undefined && !INBOUND_STATUSES.has(fields.MessageStatus);
      return isStatusCallback ? parseStatus(fields, now()) : parseInbound(fields, now());
    },
  };
}

function parseStatus(fields: Record<string, string>, at: number) {
  const parsed = TwilioStatusCallback.safeParse(fields);
  if (!parsed.success) return invalid(parsed.error);
  const { MessageSid: sid, MessageStatus: twilioStatus, ErrorCode } = parsed.data;
  const status = STATUS_MAP[twilioStatus];
  if (!status) return { ok: true as const, events: [] };
  const event: WebhookEvent = {
    kind: 'status',
    // a redelivery of the same callback dedupes, the next status of the message does not
    eventId: `${sid}:${twilioStatus}`,
    providerMessageId: sid,
    status,
    at,
  };
  if (status === 'failed') {
    const errorCode = ErrorCode ?? 'unknown';
    event.error = {
      errorSource: 'twilio',
      errorCode,
      errorMessage:
        ErrorCode === undefined ? `Twilio reported ${twilioStatus}` : twilioErrorMessage(errorCode),
      retryable: isRetryableTwilioCode(errorCode),
    };
  }
  return { ok: true as const, events: [event] };
}

function parseInbound(fields: Record<string, string>, at: number) {
  const parsed = TwilioInboundMessage.safeParse({
    ...fields,
    MessageSid: fields.MessageSid ?? fields.SmsSid,
  });
  if (!parsed.success) return invalid(parsed.error);
  const { MessageSid: sid, From, To, Body } = parsed.data;
  const event: WebhookEvent = {
    kind: 'inbound',
    eventId: sid,
    providerMessageId: sid,
    from: From,
    to: To,
    text: Body,
    at,
  };
  return { ok: true as const, events: [event] };
}

/** The first issue, naming its field: `MessageSid: must look like SM + 32 hex digits`. */
function invalid(error: z.ZodError) {
  return { ok: false as const, status: 400 as const, reason: describeIssue(error) };
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of params) fields[name] ??= value;
  return fields;
}

function header(headers: RawWebhook['headers'], name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
