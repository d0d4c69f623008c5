import { z } from 'zod';
import type { SettingsOf } from '../../contract/providers.js';
import { twilioHttpFailure, twilioNetworkFailure } from './twilio-errors.js';
import type { AdapterContext, ChannelAdapter, SendInput, SendResult } from './types.js';

export { createTwilioWebhooks } from './twilio-webhooks.js';

export type TwilioSettings = SettingsOf<'twilio'>;

/** The part of Twilio's Message resource c2m reads from a create answer. */
const CreatedMessage = z.object({ sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/) });

/**
 * SMS through Twilio Programmable Messaging: one `Create Message` call per send, form-encoded, with
 * HTTP Basic auth (account SID : auth token).
 *
 * The Messages API takes no idempotency key, so a retry after a timeout may send a second SMS;
 * the outbox's retry budget bounds that. Our message id still reaches Twilio's status callbacks
 * through the StatusCallback URL the worker builds.
 */
export function createTwilioSmsAdapter(
  settings: TwilioSettings,
  ctx: AdapterContext,
): ChannelAdapter {
  const endpoint =
    `${settings.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/` +
    `${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const authorization =
    'Basic ' + Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64');

  return {
    provider: 'twilio',
    // a number's SMS capability is unknowable without a paid lookup; device check covers landlines
    reachable: () => Promise.resolve(true),

    async send(input: SendInput): Promise<SendResult> {
      const form = messageForm(settings, input);
      if (!form) {
        return {
          ok: false,
          retryable: false,
          errorSource: 'twilio',
          errorCode: 'no_sender',
          errorMessage: 'no sender: set a Messaging Service SID or a from number for SMS',
        };
      }
      let res: Response;
      try {
        res = await ctx.fetch(endpoint, {
          method: 'POST',
          headers: {
            authorization,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: form,
          signal: AbortSignal.timeout(ctx.timeoutMs),
        });
      } catch (err) {
        return { ok: false, ...twilioNetworkFailure(err, ctx.timeoutMs) };
      }
      const body = await readJson(res);
      if (!res.ok) return { ok: false, ...twilioHttpFailure(res.status, body) };
      const created = CreatedMessage.safeParse(body);
      if (!created.success) {
        // Twilio said yes but we cannot tell which message: retrying could send a duplicate SMS
        return {
          ok: false,
          retryable: false,
          errorSource: 'twilio',
          errorCode: 'bad_response',
          errorMessage: `Twilio answered HTTP ${res.status} without a message SID`,
        };
      }
      return { ok: true, providerMessageId: created.data.sid };
    },
  };
}

/**
 * The Create Message form. The handoff's own outbound number wins; otherwise the account's
 * Messaging Service (Twilio then picks a number from its pool), otherwise the account's number.
 */
function messageForm(settings: TwilioSettings, input: SendInput): URLSearchParams | undefined {
  const form = new URLSearchParams({ To: input.to, Body: input.body });
  if (input.from) form.set('From', input.from);
  else if (settings.messagingServiceSid)
    form.set('MessagingServiceSid', settings.messagingServiceSid);
  else if (settings.fromNumber) form.set('From', settings.fromNumber);
  else return undefined;
  // Twilio refuses a relative or malformed callback (21609) and with it the SMS; without a public
  // URL the message still goes, it only reports no receipts
  if (/^https?:\/\/[^/]/i.test(input.statusCallbackUrl)) {
    form.set('StatusCallback', input.statusCallbackUrl);
  }
  return form;
}

/**
 * The answer's JSON, or undefined when it is not JSON (a proxy's HTML 502). The fetch's timeout
 * signal also bounds reading the body.
 */
async function readJson(res: Response): Promise<unknown> {
  try {
    return JSON.parse(await res.text()) as unknown;
  } catch {
    return undefined;
  }
}
