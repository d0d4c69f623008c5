import { z } from 'zod';
import type { SettingsOf } from '../../contract/providers.js';
import { PUSH_PROXY_HEADERS, signPushProxyPayload } from './push-proxy-signature.js';
import { refusedCall, sendFailure } from './refused.js';
import type {
  AdapterContext,
  CapabilityInput,
  ChannelAdapter,
  SendInput,
  SendResult,
} from './types.js';

export type PushProxySettings = SettingsOf<'push-proxy'>;

export {
  PUSH_PROXY_HEADERS,
  signPushProxyPayload,
  verifyPushProxySignature,
} from './push-proxy-signature.js';
export { createPushProxyWebhooks } from './push-proxy-webhooks.js';

/**
 * A brand's own push service. c2m POSTs one signed JSON request per in-app message to
 * `settings.url` (signing: push-proxy-signature.ts):
 *
 *   {"id": "<our message id>", "accountId": "…", "consumerId": "…", "apps": ["…"],
 *    "text": "…", "sentAt": "2025-01-01T00:00:00.000Z"}
 *
 * The proxy answers 2xx, optionally with `{"id": "<its own id>"}` (receipts may then name either
 * id). Any other status fails the send; the body may say why as `{"code": "…", "message": "…"}`:
 * a lowercase snake_case `code` is reported, the message is not (it is not shown to anyone).
 * 408, 429 and 5xx (and no answer in time) are retried with the same `id` and `X-C2M-Delivery`;
 * every other 4xx is final.
 *
 * Every request carries `Idempotency-Key: <our message id>`, the same on every attempt — also
 * after a crash of c2m between the request and its answer, when the job is taken over once its
 * lease expires. The proxy should keep the keys it has taken (at least a day) and answer a repeat
 * without notifying again: 2xx as the first time, or 409 (taken as "already accepted").
 */
export function createPushProxyAdapter(
  settings: PushProxySettings,
  ctx: AdapterContext,
): ChannelAdapter {
  return {
    provider: 'push-proxy',

    reachable({ consumerId }: CapabilityInput) {
      // the brand knows its devices, c2m does not: a consumer id is all we can require
      return Promise.resolve(Boolean(consumerId));
    },

    async send(input: SendInput): Promise<SendResult> {
      const body = JSON.stringify({
        id: input.messageId,
        accountId: input.accountId,
        consumerId: input.to,
        apps: input.apps ?? [],
        text: input.body,
        sentAt: new Date(ctx.now()).toISOString(),
      });
      const timestamp = Math.floor(ctx.now() / 1000);
      let res: Response;
      let text: string;
      try {
        res = await ctx.fetch(settings.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            [PUSH_PROXY_HEADERS.timestamp]: String(timestamp),
            [PUSH_PROXY_HEADERS.signature]: signPushProxyPayload(settings.secret, timestamp, body),
            [PUSH_PROXY_HEADERS.delivery]: input.messageId,
            'idempotency-key': input.messageId,
          },
          body,
          signal: AbortSignal.timeout(ctx.timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        const refused = refusedCall(err, 'push-proxy');
        if (refused) return { ok: false, ...refused };
        const timeout = err instanceof Error && err.name === 'TimeoutError';
        return fail(
          true,
          timeout ? 'timeout' : 'network_error',
          timeout ? `no answer within ${ctx.timeoutMs} ms` : 'push proxy unreachable',
        );
      }
      const json = parseJson(text);
      // 409: the proxy already took this Idempotency-Key (an earlier attempt whose answer was lost)
      if (res.ok || res.status === 409) {
        const own = Accepted.safeParse(json).data?.id;
        return { ok: true, providerMessageId: own ?? input.messageId };
      }
      // the proxy's code is kept when it is one (lowercase snake_case); its message never is
      const code = Refusal.safeParse(json).data?.code;
      return fail(
        res.status === 408 || res.status === 429 || res.status >= 500,
        code ?? `http_${res.status}`,
        `push proxy answered HTTP ${res.status}` + (code ? ` (${code})` : ''),
      );
    },
  };
}

const Accepted = z.object({ id: z.string().min(1).max(256).optional() });
const Refusal = z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/) });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const fail = sendFailure('push-proxy');
