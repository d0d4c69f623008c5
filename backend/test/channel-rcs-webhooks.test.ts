// RBM's webhooks as Google sends them, through a local HTTP endpoint standing in for c2m's route:
// the one-time verification handshake, X-Goog-Signature over the decoded data, user messages and
// receipts, redeliveries.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRbmWebhooks } from '../src/channels/rbm.js';
import type { WebhookReceiver, WebhookVerdict } from '../src/channels/types.js';
import {
  newServiceAccountKey,
  rbmUserEvent,
  rbmUserMessage,
  startGoogleFake,
  type GoogleFake,
} from './fakes/google-server.js';

const AGENT = 'acme-support-agent@rbm.goog';
const CLIENT_TOKEN = 'SJENCPGJESMGUFPY-acme';
const RCS_PHONE = '+14155550123';

describe('RBM webhooks', () => {
  let google: GoogleFake;
  let receiver: WebhookReceiver;
  const verdicts: WebhookVerdict[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers))
        headers[k] = Array.isArray(v) ? v.join(',') : v;
      const verdict = receiver.receive({
        method: req.method ?? 'GET',
        url: `${url}${req.url}`,
        headers,
        rawBody: Buffer.concat(chunks),
      });
      verdicts.push(verdict);
      res.writeHead(verdict.ok ? 200 : verdict.status).end('reply' in verdict ? verdict.reply : '');
    });
  });
  before(async () => {
    google = await startGoogleFake({
      clientEmail: 'rbm-sender@acme-rbm.iam.gserviceaccount.com',
      publicKey: newServiceAccountKey().publicKey,
      projectId: 'unused',
      agentId: AGENT,
      webhookClientToken: CLIENT_TOKEN,
    });
    receiver = createRbmWebhooks({
      provider: 'rbm',
      agentId: AGENT,
      clientEmail: 'rbm-sender@acme-rbm.iam.gserviceaccount.com',
      privateKey: 'unused: the receiver needs only the client token (PRIVATE KEY)',
      webhookClientToken: CLIENT_TOKEN,
      tokenUrl: google.tokenUrl,
      baseUrl: google.url,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/rbm/12345678`;
  });
  after(async () => {
    await google?.close();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const raw = (signed: { headers: Record<string, string>; body: string }, method = 'POST') =>
    receiver.receive({ method, url, headers: signed.headers, rawBody: Buffer.from(signed.body) });

  it('answers the one-time verification with the secret, only for our clientToken', async () => {
    const ok = await google.sendRbmVerification(url, '1234567890');
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '1234567890');
    assert.equal((await google.sendRbmVerification(url, '1234567890', 'SOMEONEELSE')).status, 401);
  });

  it('turns a signed user message into an inbound event', async () => {
    const message = rbmUserMessage({ phone: RCS_PHONE, text: 'Yes please', agentId: AGENT });
    const res = await google.sendRbmWebhook(url, message);
    assert.equal(res.status, 200);
    assert.deepEqual(verdicts.at(-1), {
      ok: true,
      events: [
        {
          kind: 'inbound',
          eventId: message.messageId,
          providerMessageId: message.messageId,
          from: RCS_PHONE,
          to: AGENT,
          text: 'Yes please',
          at: Date.parse('2025-03-01T10:00:00.123Z'),
        },
      ],
    });
  });

  it('takes the text of a tapped suggestion', () => {
    const tapped = {
      ...rbmUserMessage({ phone: RCS_PHONE, text: '', agentId: AGENT }),
      text: undefined,
      suggestionResponse: { postbackData: 'yes', text: 'Yes' },
    };
    const v = raw(google.rbmWebhook(tapped));
    assert.ok(v.ok && 'events' in v);
    assert.equal(v.events[0]?.kind === 'inbound' && v.events[0].text, 'Yes');
  });

  it('maps DELIVERED and READ to statuses of our message, and ignores IS_TYPING', () => {
    const messageId = '5f0c1d2e-3a4b-4c5d-8e6f-000000000001';
    const statuses = ['DELIVERED', 'READ'].map((eventType) => {
      const event = rbmUserEvent({ phone: RCS_PHONE, eventType, messageId, agentId: AGENT });
      const v = raw(google.rbmWebhook(event));
      assert.ok(v.ok && 'events' in v);
      assert.equal(v.events.length, 1);
      const e = v.events[0];
      assert.ok(e.kind === 'status');
      assert.equal(e.eventId, event.eventId);
      assert.equal(e.providerMessageId, messageId);
      assert.equal(e.at, Date.parse('2025-03-01T10:00:01.5Z'));
      return e.status;
    });
    assert.deepEqual(statuses, ['delivered', 'read']);
    const typing = raw(
      google.rbmWebhook(
        rbmUserEvent({ phone: RCS_PHONE, eventType: 'IS_TYPING', messageId, agentId: AGENT }),
      ),
    );
    assert.deepEqual(typing, { ok: true, events: [] });
  });

  it('a redelivered event carries the same eventId, for the pipeline to drop', async () => {
    const event = rbmUserEvent({
      phone: RCS_PHONE,
      eventType: 'READ',
      messageId: 'm-1',
      agentId: AGENT,
    });
    await google.sendRbmWebhook(url, event);
    await google.sendRbmWebhook(url, event);
    const [a, b] = verdicts.slice(-2);
    assert.deepEqual(a, b);
  });

  it('refuses a forged, tampered, missing or wrongly computed signature', async () => {
    const message = rbmUserMessage({ phone: RCS_PHONE, text: 'hi', agentId: AGENT });
    assert.equal(
      (await google.sendRbmWebhook(url, message, { clientToken: 'forger-token' })).status,
      401,
    );
    assert.equal((await google.sendRbmWebhook(url, message, { signature: null })).status, 401);
    const swapped = Buffer.from(JSON.stringify({ ...message, text: 'STOP' })).toString('base64');
    const tamper = (env: { message: { data: string } }) => void (env.message.data = swapped);
    assert.equal((await google.sendRbmWebhook(url, message, { tamper })).status, 401);
    // signing the base64 text instead of the decoded bytes is not what Google does
    const encoded = Buffer.from(JSON.stringify(message)).toString('base64');
    const wrongRule = createHmac('sha512', CLIENT_TOKEN).update(encoded).digest('base64');
    assert.equal((await google.sendRbmWebhook(url, message, { signature: wrongRule })).status, 401);
  });

  it('answers 400 to what is not an RBM webhook, and ignores other agents', () => {
    assert.equal(
      receiver.receive({ method: 'POST', url, headers: {}, rawBody: Buffer.from('nope') }).ok,
      false,
    );
    const notEnvelope = receiver.receive({
      method: 'POST',
      url,
      headers: {},
      rawBody: Buffer.from('{"hello":1}'),
    });
    assert.deepEqual(notEnvelope.ok ? 0 : notEnvelope.status, 400);
    const bad = raw(google.rbmWebhook({ senderPhoneNumber: RCS_PHONE, eventType: 'READ' }));
    assert.deepEqual(bad.ok ? 0 : bad.status, 400);
    assert.deepEqual(raw(google.rbmWebhook({ hi: 1 }), 'GET').ok, false);
    const other = rbmUserMessage({ phone: RCS_PHONE, text: 'hi', agentId: 'other@rbm.goog' });
    assert.deepEqual(raw(google.rbmWebhook(other)), { ok: true, events: [] });
  });
});
