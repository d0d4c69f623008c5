import { z } from 'zod';
import type { SettingsOf } from '../../contract/providers.js';
import type { Device, DeviceDirectory } from './devices.js';
import { googleCall, googleFailure, type ApiOutcome } from './google-api.js';
import { createAccessTokens, GOOGLE_SCOPES, type TokenPool } from './google-auth.js';
import type {
  AdapterContext,
  CapabilityInput,
  ChannelAdapter,
  SendInput,
  SendResult,
} from './types.js';

export type FcmSettings = SettingsOf<'fcm'>;

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';

/**
 * FCM's own error codes that may succeed later. QUOTA_EXCEEDED is a 429, UNAVAILABLE a 503 and
 * INTERNAL a 500, so the HTTP status says the same; naming them keeps that true if it ever
 * drifts. https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode
 */
const RETRYABLE_FCM_CODES = new Set(['QUOTA_EXCEEDED', 'UNAVAILABLE', 'INTERNAL']);

export interface FcmOptions {
  /** The notification's title (usually the brand's name); without it the OS shows the app's. */
  title?: string;
  /** Share access tokens across adapter instances (see TokenPool); else this adapter keeps its own. */
  tokens?: TokenPool;
}

const SendResponse = z.object({ name: z.string().min(1) });

/**
 * In-app messages as push notifications through FCM HTTP v1, one request per registered device
 * of the consumer (`messages:send` takes one token). FCM reports no delivery or read receipts
 * to the sender, so this provider has no WebhookReceiver; the app may report opens itself.
 *
 * FCM takes no idempotency key: a retried send may notify a device twice. `data.c2mMessageId`
 * carries our message id so the app can drop the repeat.
 */
export function createFcmAdapter(
  settings: FcmSettings,
  ctx: AdapterContext,
  devices: DeviceDirectory,
  opts: FcmOptions = {},
): ChannelAdapter {
  const tokens =
    opts.tokens?.tokensFor(settings, GOOGLE_SCOPES.fcm, ctx) ??
    createAccessTokens(settings, GOOGLE_SCOPES.fcm, ctx);
  const base = settings.baseUrl.replace(/\/+$/, '');
  const sendUrl = `${base}/v1/projects/${encodeURIComponent(settings.projectId)}/messages:send`;

  async function sendTo(device: Device, input: SendInput): Promise<ApiOutcome> {
    return googleCall(ctx, tokens, {
      method: 'POST',
      url: sendUrl,
      json: {
        message: {
          token: device.token,
          notification: opts.title ? { title: opts.title, body: input.body } : { body: input.body },
          data: {
            c2mMessageId: input.messageId,
            accountId: input.accountId,
            consumerId: input.to,
            appId: device.appId,
          },
          android: { priority: 'high' },
          apns: { headers: { 'apns-priority': '10' } },
        },
      },
    });
  }

  return {
    provider: 'fcm',

    async reachable({ accountId, consumerId, apps }: CapabilityInput) {
      if (!consumerId || !apps?.length) return false;
      return (await devices.devicesFor(accountId, consumerId, apps)).length > 0;
    },

    async send(input: SendInput): Promise<SendResult> {
      const found = input.apps?.length
        ? await devices.devicesFor(input.accountId, input.to, input.apps)
        : [];
      if (found.length === 0) {
        return {
          ok: false,
          retryable: false,
          errorSource: 'fcm',
          errorCode: 'no_device',
          errorMessage: `consumer has no device registered for apps ${JSON.stringify(input.apps ?? [])}`,
        };
      }
      const outcomes = await Promise.all(found.map((d) => sendTo(d, input)));
      const names = outcomes.map(acceptedName);
      await forgetUnregistered(found, outcomes, (d) => devices.forget?.(input.accountId, d));

      const first = names.find((n) => n !== undefined);
      if (first) return { ok: true, providerMessageId: first };
      const failures = outcomes.map(fcmFailure);
      // one device's passing trouble is worth a retry even if another device is gone for good
      return { ok: false, ...(failures.find((f) => f.retryable) ?? failures[0]) };
    },
  };
}

function acceptedName(o: ApiOutcome): string | undefined {
  if (o.kind !== 'http' || o.status < 200 || o.status > 299) return undefined;
  return SendResponse.safeParse(o.body).data?.name;
}

function fcmFailure(o: ApiOutcome) {
  // a 2xx without a message name is FCM breaking its contract: treat as a passing fault
  if (o.kind === 'http' && o.status >= 200 && o.status <= 299) {
    return {
      retryable: true,
      errorSource: 'fcm',
      errorCode: 'bad_response',
      errorMessage: 'FCM accepted the message but returned no name',
    };
  }
  const failure = googleFailure(o, 'fcm', fcmErrorCode);
  return RETRYABLE_FCM_CODES.has(failure.errorCode) ? { ...failure, retryable: true } : failure;
}

function fcmErrorCode(body: { error: { details?: Record<string, unknown>[] } }) {
  const detail = body.error.details?.find((d) => d['@type'] === FCM_ERROR_TYPE);
  return typeof detail?.errorCode === 'string' ? detail.errorCode : undefined;
}

async function forgetUnregistered(
  found: Device[],
  outcomes: ApiOutcome[],
  forget: (d: Device) => Promise<void> | undefined,
): Promise<void> {
  const gone = found.filter((_, i) => fcmFailureCode(outcomes[i]) === 'UNREGISTERED');
  // pruning is housekeeping: a directory that cannot forget must not fail the send
  await Promise.all(gone.map((d) => Promise.resolve(forget(d)).catch(() => undefined)));
}

function fcmFailureCode(o: ApiOutcome): string | undefined {
  if (o.kind !== 'http' || o.status < 400) return undefined;
  return googleFailure(o, 'fcm', fcmErrorCode).errorCode;
}
