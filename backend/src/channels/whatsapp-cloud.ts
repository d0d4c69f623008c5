import { z } from 'zod';
import { isE164 } from '../../contract/phone.js';
import type { SettingsOf } from '../../contract/providers.js';
import type { AdapterContext, ChannelAdapter, SendInput, SendResult } from './types.js';
import { refusedCall } from './refused.js';
import { describeMetaError, MetaErrorBody } from './whatsapp-errors.js';

export type WhatsAppCloudSettings = SettingsOf<'whatsapp-cloud'>;

/** What the Cloud API answers when it accepts a message: the wamid is our providerMessageId. */
const SendResponse = z.object({
  messaging_product: z.literal('whatsapp'),
  contacts: z.array(z.object({ input: z.string(), wa_id: z.string() })).optional(),
  messages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

/**
 * Sends WhatsApp invites as approved template messages through Meta's WhatsApp Cloud API
 * (`POST /{api-version}/{phone-number-id}/messages`, Bearer token). A business may only open a
 * conversation with a template, so an invite without one is a configuration error, not a send.
 */
export function createWhatsAppCloudAdapter(
  settings: WhatsAppCloudSettings,
  ctx: AdapterContext,
): ChannelAdapter {
  const endpoint = `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}/${settings.phoneNumberId}/messages`;

  return {
    provider: 'whatsapp-cloud',

    /**
     * Always true: Meta's policy forbids checking whether a number is on WhatsApp before sending
     * (the imitated product answers true as well). A number that is not on WhatsApp fails the send
     * with 131026, which is not retryable, so the worker falls back to the handoff's next channel.
     */
    reachable() {
      return Promise.resolve(true);
    },

    async send(input: SendInput): Promise<SendResult> {
      const { template } = input;
      // a conversation message (no transaction) is free text, allowed inside the 24-hour window
      // the consumer's reply opened; Meta answers 131047 when that window is closed
      const conversational = !template && input.transactionId === null;
      if (!template && !conversational) {
        return c2mError(
          'template_required',
          'a WhatsApp invite must use an approved template: set the handoff’s WhatsApp template',
        );
      }
      if (!isE164(input.to)) {
        return c2mError('invalid_recipient', 'to: must be an E.164 phone number');
      }
      let response: Response;
      let text: string;
      try {
        response = await ctx.fetch(endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${settings.accessToken}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(template ? templateMessage(input, template) : textMessage(input)),
          signal: AbortSignal.timeout(ctx.timeoutMs),
        });
        text = await response.text();
      } catch (err) {
        return transportFailure(err, ctx.timeoutMs);
      }
      return response.ok ? accepted(text) : rejected(response.status, text);
    },
  };
}

/** Meta's free-form text message body, for agent replies inside the customer service window. */
export function textMessage(input: SendInput) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: input.to.replace(/^\+/, ''),
    type: 'text',
    text: { body: input.body, preview_url: false },
    biz_opaque_callback_data: input.messageId,
  };
}

/** Meta's template message body: parameters fill the template's body placeholders in order. */
export function templateMessage(input: SendInput, template: NonNullable<SendInput['template']>) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: input.to.replace(/^\+/, ''),
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      // a template without placeholders takes no body component at all
      ...(template.parameters.length > 0 && {
        components: [
          { type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) },
        ],
      }),
    },
    // The Cloud API takes no idempotency key. Meta echoes this string on the message's status
    // webhooks, so our message id travels with it for tracing (a retry after a timeout may still
    // reach the consumer twice).
    biz_opaque_callback_data: input.messageId,
  };
}

function accepted(text: string): SendResult {
  const parsed = SendResponse.safeParse(parseJson(text));
  if (parsed.success) return { ok: true, providerMessageId: parsed.data.messages[0].id };
  // Meta took the message but gave no id: retrying could send it twice, so report it instead
  return {
    ok: false,
    retryable: false,
    errorSource: 'wa',
    errorCode: 'invalid_response',
    errorMessage: 'WhatsApp accepted the request but answered without a message id',
  };
}

function rejected(status: number, text: string): SendResult {
  const transient = status >= 500 || status === 429;
  const parsed = MetaErrorBody.safeParse(parseJson(text));
  if (!parsed.success) {
    return {
      ok: false,
      retryable: transient,
      errorSource: 'wa',
      errorCode: `http_${status}`,
      errorMessage: `WhatsApp Cloud API answered HTTP ${status}`,
    };
  }
  const error = describeMetaError(parsed.data.error, status);
  return { ok: false, ...error, retryable: error.retryable || transient };
}

function transportFailure(err: unknown, timeoutMs: number): SendResult {
  const refused = refusedCall(err, 'wa');
  if (refused) return { ok: false, ...refused };
  const timedOut = err instanceof Error && err.name === 'TimeoutError';
  return {
    ok: false,
    retryable: true,
    errorSource: 'wa',
    errorCode: timedOut ? 'timeout' : 'network_error',
    // the cause may quote the request; only its kind is reported
    errorMessage: timedOut
      ? `WhatsApp Cloud API did not answer within ${timeoutMs} ms`
      : 'WhatsApp Cloud API could not be reached',
  };
}

function c2mError(errorCode: string, errorMessage: string): SendResult {
  return { ok: false, retryable: false, errorSource: 'c2m', errorCode, errorMessage };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
