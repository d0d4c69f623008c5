import { randomUUID } from 'node:crypto';
import type { SettingsOf } from '../../contract/providers.js';
import { isE164 } from '../../contract/phone.js';
import { GoogleErrorBody, googleCall, googleFailure } from './google-api.js';
import { createAccessTokens, GOOGLE_SCOPES, type TokenPool } from './google-auth.js';
import type {
  AdapterContext,
  CapabilityInput,
  ChannelAdapter,
  SendInput,
  SendResult,
} from './types.js';

export type RbmSettings = SettingsOf<'rbm'>;

export { createRbmWebhooks } from './rbm-webhooks.js';

/**
 * RCS through Google's RCS Business Messaging API: a capability check for eligibility and text
 * agent messages. RBM keys a message by the id the agent gives it, so our message id is both the
 * idempotency key and the provider message id its receipts name.
 * https://developers.google.com/business-communications/rcs-business-messaging/reference/rest
 */
export function createRbmAdapter(
  settings: RbmSettings,
  ctx: AdapterContext,
  opts: { tokens?: TokenPool } = {},
): ChannelAdapter {
  const tokens =
    opts.tokens?.tokensFor(settings, GOOGLE_SCOPES.rbm, ctx) ??
    createAccessTokens(settings, GOOGLE_SCOPES.rbm, ctx);
  const base = settings.baseUrl.replace(/\/+$/, '');
  // the phone goes into the path as E.164 with its `+`, as RBM documents; it is checked first
  const phoneUrl = (phone: string, leaf: string, query: Record<string, string>) =>
    `${base}/v1/phones/${phone}/${leaf}?${new URLSearchParams(query).toString()}`;

  return {
    provider: 'rbm',

    async reachable({ phone }: CapabilityInput) {
      if (!isE164(phone)) return false;
      const outcome = await googleCall(ctx, tokens, {
        method: 'GET',
        // RBM ignores a request whose requestId it has seen, so every check gets a new one
        url: phoneUrl(phone, 'capabilities', {
          requestId: randomUUID(),
          agentId: settings.agentId,
        }),
      });
      // 200 lists the features: RCS-capable. 404 is RBM's documented "cannot be reached" (no RCS,
      // RCS off, carrier not launched, not a tester of an unlaunched agent). Anything else, from
      // a quota error to a timeout, also answers false: eligibility must answer the waiting IVR
      // now, and a channel we could not confirm would become an invite that fails; the next
      // eligibility check asks again.
      return outcome.kind === 'http' && outcome.status === 200;
    },

    async send(input: SendInput): Promise<SendResult> {
      if (!isE164(input.to)) {
        return {
          ok: false,
          retryable: false,
          errorSource: 'rbm',
          errorCode: 'invalid_number',
          errorMessage: 'recipient is not an E.164 phone number',
        };
      }
      const outcome = await googleCall(ctx, tokens, {
        method: 'POST',
        url: phoneUrl(input.to, 'agentMessages', {
          messageId: input.messageId,
          agentId: settings.agentId,
        }),
        json: { contentMessage: { text: input.body } },
      });
      if (outcome.kind === 'http' && outcome.status >= 200 && outcome.status <= 299) {
        return { ok: true, providerMessageId: input.messageId };
      }
      if (outcome.kind === 'http' && outcome.status === 409 && isAlreadyExists(outcome.body)) {
        // a retry of a send RBM already took (the first answer was lost): it is sent
        return { ok: true, providerMessageId: input.messageId };
      }
      return { ok: false, ...googleFailure(outcome, 'rbm') };
    },
  };
}

function isAlreadyExists(body: unknown): boolean {
  return GoogleErrorBody.safeParse(body).data?.error.status === 'ALREADY_EXISTS';
}
