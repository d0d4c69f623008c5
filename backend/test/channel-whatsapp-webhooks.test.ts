// The WhatsApp Cloud webhook receiver behind a stand-in route, called over real HTTP by the fake
// Meta: the verification handshake, X-Hub-Signature-256 on every delivery, bodies that break the
// contract, and a status tied back to the message the adapter sent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWhatsAppCloudAdapter } from '../src/channels/whatsapp-cloud.js';
import { createWhatsAppCloudWebhooks } from '../src/channels/whatsapp-cloud-webhooks.js';
import {
  NUMBER,
  SECRETS,
  startMeta,
  startWebhookRoute,
  whatsAppSettings,
  type WebhookRoute,
} from './fakes/whatsapp-fixtures.js';
import * as p from './fakes/whatsapp-payloads.js';
import type { FakeWhatsApp } from './fakes/whatsapp-server.js';

const CONSUMER = '16505551234';
const T0 = Date.UTC(2026, 0, 5, 9, 30, 0);
const receiver = createWhatsAppCloudWebhooks(whatsAppSettings());
const ours = (statuses: Record<string, unknown>[]) =>
  p.delivery(NUMBER.wabaId, [p.messagesValue(NUMBER, { statuses })]);
const empty = Buffer.alloc(0);

describe('WhatsApp Cloud webhooks: handshake and signatures', () => {
  let meta: FakeWhatsApp;
  let route: WebhookRoute;

  before(async () => {
    meta = await startMeta([{ name: 'call_followup', language: 'en_US', bodyParams: 1 }]);
    route = await startWebhookRoute(receiver);
  });
  after(async () => {
    await route?.close();
    await meta?.close();
  });

  describe('verification handshake', () => {
    it('echoes hub.challenge to whoever knows our verify token', async () => {
      const answer = await meta.handshake(route.url, SECRETS.verifyToken);
      assert.deepEqual([answer.status, answer.body], [200, answer.challenge]);
      assert.deepEqual(route.verdicts.at(-1), { ok: true, reply: answer.challenge });
    });

    it('answers 403 to a wrong verify token, a wrong mode or none at all', async () => {
      assert.equal((await meta.handshake(route.url, 'verify-token-abd')).status, 403);
      assert.equal(
        (await meta.handshake(route.url, SECRETS.verifyToken, 'unsubscribe')).status,
        403,
      );
      assert.equal((await fetch(route.url)).status, 403);
    });

    it('answers 400 when the challenge is missing', () => {
      const url = `${route.url}?hub.mode=subscribe&hub.verify_token=${SECRETS.verifyToken}`;
      assert.deepEqual(receiver.receive({ method: 'GET', url, headers: {}, rawBody: empty }), {
        ok: false,
        status: 400,
        reason: 'hub.challenge: is required',
      });
    });
  });

  describe('signatures', () => {
    const payload = ours([p.status('wamid.A', 'delivered', CONSUMER, T0)]);

    it('accepts a delivery signed with the app secret', async () => {
      const answer = await meta.deliver(route.url, payload);
      assert.deepEqual([answer.status, answer.body], [200, 'EVENT_RECEIVED']);
      const verdict = route.verdicts.at(-1);
      assert.ok(verdict?.ok && 'events' in verdict);
      assert.deepEqual(
        verdict.events.map((e) => e.eventId),
        ['wamid.A:delivered'],
      );
    });

    const refusals = [
      ['missing', { unsigned: true }],
      ['made with another secret', { secret: 'not-the-app-secret' }],
      ['over a tampered body', { tamper: (raw: string) => raw.replace('delivered', 'read') }],
    ] as const;
    for (const [name, opts] of refusals) {
      it(`refuses a signature ${name} with 401 and no events`, async () => {
        const answer = await meta.deliver(route.url, payload, opts);
        assert.equal(answer.status, 401);
        assert.equal(route.verdicts.at(-1)?.ok, false);
      });
    }

    it('refuses malformed signature headers, whatever their case', () => {
      const rawBody = Buffer.from(JSON.stringify(payload));
      const bad = ['sha1=abc', 'sha256=', `sha256=${'0'.repeat(63)}`, `sha256=${'z'.repeat(64)}`];
      for (const sig of bad) {
        const headers = { 'X-Hub-Signature-256': sig };
        const verdict = receiver.receive({ method: 'POST', url: route.url, headers, rawBody });
        assert.deepEqual(verdict.ok === false && verdict.status, 401, sig);
      }
    });

    it('answers 400 to correctly signed malformed JSON', async () => {
      const answer = await meta.deliver(route.url, '{"object":"whatsapp_business_account",');
      assert.deepEqual([answer.status, answer.body], [400, 'body: malformed JSON']);
    });

    it('answers 400 naming the field of a signed body that breaks the contract', async () => {
      const noId = await meta.deliver(route.url, ours([{ status: 'read', timestamp: '1700000' }]));
      assert.equal(noId.status, 400);
      assert.match(noId.body, /^entry\.0\.changes\.0\.value\.statuses\.0\.id: /);
      const page = await meta.deliver(route.url, { object: 'page', entry: [] });
      assert.equal(page.status, 400);
      assert.match(page.body, /^object: /);
    });

    it('answers 400 to a method Meta does not use', () => {
      const verdict = receiver.receive({
        method: 'PUT',
        url: route.url,
        headers: {},
        rawBody: empty,
      });
      assert.equal(verdict.ok === false && verdict.status, 400);
    });
  });

  it('ties a status to the message the adapter sent', async () => {
    const adapter = createWhatsAppCloudAdapter(whatsAppSettings(meta.url), {
      fetch,
      now: Date.now,
      timeoutMs: 1000,
    });
    const sent = await adapter.send({
      messageId: 'msg-journey',
      accountId: 'acc-1',
      transactionId: null,
      channel: 'wa',
      to: `+${CONSUMER}`,
      from: undefined,
      body: 'Hi Ada',
      template: { name: 'call_followup', language: 'en_US', parameters: ['Ada'] },
      statusCallbackUrl: route.url,
    });
    assert.ok(sent.ok);
    assert.equal(meta.sent.at(-1)?.callbackData, 'msg-journey');
    const answer = await meta.deliver(
      route.url,
      ours([p.status(sent.providerMessageId, 'delivered', CONSUMER, T0)]),
    );
    assert.equal(answer.status, 200);
    const verdict = route.verdicts.at(-1);
    assert.ok(verdict?.ok && 'events' in verdict);
    const [event] = verdict.events;
    assert.ok(event?.kind === 'status');
    assert.equal(event.providerMessageId, sent.providerMessageId);
  });
});
