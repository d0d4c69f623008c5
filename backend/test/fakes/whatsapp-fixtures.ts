import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WhatsAppCloudSettings } from '../../contract/providers.js';
import type {
  RawWebhook,
  SendInput,
  SendResult,
  WebhookReceiver,
  WebhookVerdict,
} from '../../src/channels/types.js';
import type { WhatsAppCloudSettings as Settings } from '../../src/channels/whatsapp-cloud.js';
import type { BusinessNumber } from './whatsapp-payloads.js';
import { startFakeWhatsApp, type FakeTemplate, type FakeWhatsApp } from './whatsapp-server.js';

/** One business number on one WhatsApp Business Account, with Meta's sample ids. */
export const NUMBER: BusinessNumber = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
};
/** A second number the same app serves: its traffic is not ours. */
export const OTHER_NUMBER: BusinessNumber = {
  ...NUMBER,
  phoneNumberId: '109999999999999',
  displayPhoneNumber: '15550000000',
};
export const SECRETS = {
  accessToken: 'EAAGtest0123456789abcdefghijklmnopqrstuvwxyz',
  appSecret: 'app-secret-0123456789',
  verifyToken: 'verify-token-abc',
};
export const API_VERSION = 'v21.0';

/** Settings through the contract's own schema, so its defaults and rules apply. */
export function whatsAppSettings(baseUrl?: string): Settings {
  return WhatsAppCloudSettings.parse({
    provider: 'whatsapp-cloud',
    phoneNumberId: NUMBER.phoneNumberId,
    wabaId: NUMBER.wabaId,
    ...SECRETS,
    apiVersion: API_VERSION,
    ...(baseUrl && { baseUrl }),
  });
}

/** Templates approved in the fake, with their placeholder counts. */
export const TEMPLATES: FakeTemplate[] = [
  { name: 'call_followup', language: 'en_US', bodyParams: 2 },
  { name: 'call_followup_plain', language: 'en_US', bodyParams: 0 },
  { name: 'paused_followup', language: 'en_US', bodyParams: 1, status: 'PAUSED' },
  { name: 'disabled_followup', language: 'en_US', bodyParams: 0, status: 'DISABLED' },
];

let seq = 0;
/** An invite as the outbox worker hands it over; `template: null` leaves the template out. */
export function invite(to: string, template?: SendInput['template'] | null): SendInput {
  seq += 1;
  return {
    messageId: `msg-${seq}`,
    accountId: 'acc-1',
    transactionId: `tx-${seq}`,
    channel: 'wa',
    to,
    from: undefined,
    body: 'Hi Ada, continue your call with Acme here.',
    template:
      template === null
        ? undefined
        : (template ?? { name: 'call_followup', language: 'en_US', parameters: ['Ada', 'Acme'] }),
    statusCallbackUrl: 'https://c2m.example/webhooks/whatsapp-cloud/acc-1',
  };
}

export function assertFailure(
  result: SendResult,
  expected: { retryable: boolean; errorSource?: string; errorCode: string; errorMessage?: RegExp },
): void {
  assert.equal(result.ok, false, 'expected a failed send');
  if (result.ok) return;
  assert.equal(result.retryable, expected.retryable, `retryable for ${result.errorCode}`);
  assert.equal(result.errorSource, expected.errorSource ?? 'wa');
  assert.equal(result.errorCode, expected.errorCode);
  if (expected.errorMessage) assert.match(result.errorMessage, expected.errorMessage);
  assert.ok(!result.errorMessage.includes(SECRETS.accessToken), 'the token never shows');
}

export function startMeta(templates: FakeTemplate[]): Promise<FakeWhatsApp> {
  return startFakeWhatsApp({ ...NUMBER, ...SECRETS, apiVersion: API_VERSION, templates });
}

export interface WebhookRoute {
  url: string;
  /** Every verdict the receiver gave, in order. */
  verdicts: WebhookVerdict[];
  close(): Promise<void>;
}

/**
 * A stand-in for c2m's webhook route (until the real one is wired): the request's raw bytes and
 * full URL go to the receiver, and its verdict comes back as HTTP, as Meta would see it.
 */
export async function startWebhookRoute(receiver: WebhookReceiver): Promise<WebhookRoute> {
  const verdicts: WebhookVerdict[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      );
      const raw: RawWebhook = {
        method: req.method ?? '',
        url: `http://${req.headers.host ?? ''}${req.url ?? '/'}`,
        headers,
        rawBody: Buffer.concat(chunks),
      };
      const verdict = receiver.receive(raw);
      verdicts.push(verdict);
      if (!verdict.ok) {
        res.writeHead(verdict.status).end(verdict.reason);
      } else {
        const body = 'reply' in verdict ? verdict.reply : 'EVENT_RECEIVED';
        res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp-cloud/acc-1`,
    verdicts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
