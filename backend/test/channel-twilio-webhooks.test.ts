// Twilio's status callbacks and incoming SMS: signatures made by Twilio's own helper library must
// verify and tampered ones must not; every status maps to ours; redeliveries keep their event id.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { twilioSignature } from '../src/channels/twilio-signature.js';
import { createTwilioWebhooks } from '../src/channels/twilio-sms.js';
import type { RawWebhook, WebhookReceiver, WebhookVerdict } from '../src/channels/types.js';
import {
  inboundParams,
  sid,
  startTwilioFake,
  statusParams,
  type TwilioFake,
} from './fakes/twilio-server.js';
import { TestClock } from './helpers.js';

const PUBLIC_URL = 'https://c2m.example.com/webhooks/twilio/12345678';

describe('Twilio webhooks', () => {
  let fake: TwilioFake;
  let receiver: WebhookReceiver;
  const clock = new TestClock(1_750_000_000_000);
  /** A real endpoint the fake posts to; it answers with the receiver's verdict. */
  let endpoint: Server;
  let endpointUrl: string;

  before(async () => {
    fake = await startTwilioFake();
    receiver = createTwilioWebhooks(fake, clock.now);
    endpoint = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const verdict = receiver.receive({
          method: req.method ?? '',
          url: `${endpointUrl.replace(/\/webhooks.*$/, '')}${req.url ?? ''}`,
          headers: req.headers as Record<string, string | undefined>,
          rawBody: Buffer.concat(chunks),
        });
        res.writeHead(verdict.ok ? 200 : verdict.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(verdict));
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const { port } = endpoint.address() as AddressInfo;
    endpointUrl = `http://127.0.0.1:${port}/webhooks/twilio/12345678`;
  });
  after(async () => {
    await fake?.close();
    endpoint?.closeAllConnections();
    await new Promise((resolve) => (endpoint ? endpoint.close(resolve) : resolve(null)));
  });

  /** A request exactly as Twilio would make it, signed by Twilio's helper library. */
  function signed(params: Record<string, string>, url = PUBLIC_URL, signUrl = url): RawWebhook {
    return {
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(fake.authToken, signUrl, params),
      },
      rawBody: Buffer.from(new URLSearchParams(params).toString()),
    };
  }

  function events(verdict: WebhookVerdict) {
    assert.ok(verdict.ok && 'events' in verdict, `expected events, got ${JSON.stringify(verdict)}`);
    return verdict.events;
  }

  function rejected(verdict: WebhookVerdict, status: number) {
    assert.ok(!verdict.ok, 'expected a rejection');
    assert.equal(verdict.status, status);
    return verdict.reason;
  }

  it('accepts a status callback the fake posts, signed by the Twilio library', async () => {
    const messageSid = sid('SM');
    const res = await fake.sendWebhook(endpointUrl, statusParams(fake, messageSid, 'delivered'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      ok: true,
      events: [
        {
          kind: 'status',
          eventId: `${messageSid}:delivered`,
          providerMessageId: messageSid,
          status: 'delivered',
          at: clock.ms,
        },
      ],
    });
  });

  it('answers 401 over HTTP to a forged, tampered or re-aimed request', async () => {
    const params = statusParams(fake, sid('SM'), 'delivered');
    for (const forgery of [
      { signWith: 'x'.repeat(32) },
      { signedParams: { ...params, MessageStatus: 'failed' } },
      { signedUrl: endpointUrl.replace('12345678', '87654321') },
    ]) {
      assert.equal((await fake.sendWebhook(endpointUrl, params, forgery)).status, 401);
    }
  });

  it('computes the very signature of Twilio’s library, for any characters', () => {
    const body = 'Ça va? 50% off & more +1 "quotes" 👋\nline two';
    // in reverse order: the signature sorts the names, the body need not
    const params = Object.fromEntries(Object.entries(inboundParams(fake, body)).reverse());
    const url = `${PUBLIC_URL}?messageId=a%20b&x=1`;
    const ours = twilioSignature(fake.authToken, url, new URLSearchParams(params));
    assert.equal(ours, twilio.getExpectedTwilioSignature(fake.authToken, url, params));
    assert.ok(twilio.validateRequest(fake.authToken, ours, url, params));
    assert.equal(events(receiver.receive(signed(params, url))).length, 1);
  });

  it('accepts the URL with or without the default port, and the header in any case', () => {
    const params = statusParams(fake, sid('SM'), 'sent');
    const withPort = PUBLIC_URL.replace('.com/', '.com:443/');
    assert.equal(events(receiver.receive(signed(params, withPort, PUBLIC_URL))).length, 1);
    assert.equal(events(receiver.receive(signed(params, PUBLIC_URL, withPort))).length, 1);
    const req = signed(params);
    const headers = { 'X-Twilio-Signature': req.headers['x-twilio-signature'] };
    assert.equal(events(receiver.receive({ ...req, headers })).length, 1);
  });

  it('refuses a tampered parameter, URL, missing or foreign signature with 401', () => {
    const params = statusParams(fake, sid('SM'), 'delivered');
    const good = signed(params);
    const tampered = new URLSearchParams({ ...params, MessageStatus: 'read' }).toString();
    rejected(receiver.receive({ ...good, rawBody: Buffer.from(tampered) }), 401);
    rejected(receiver.receive({ ...good, url: `${PUBLIC_URL}?x=1` }), 401);
    rejected(receiver.receive({ ...good, url: PUBLIC_URL.replace('https', 'http') }), 401);
    rejected(receiver.receive({ ...good, headers: {} }), 401);
    const other = twilio.getExpectedTwilioSignature('y'.repeat(32), PUBLIC_URL, params);
    rejected(receiver.receive({ ...good, headers: { 'x-twilio-signature': other } }), 401);
  });

  it('refuses a correctly signed callback of another Twilio account with 401', () => {
    const params = statusParams({ accountSid: sid('AC') }, sid('SM'), 'delivered');
    assert.match(rejected(receiver.receive(signed(params)), 401), /AccountSid/);
  });

  for (const status of ['queued', 'accepted', 'scheduled', 'sending', 'partially_delivered']) {
    it(`adds no event for Twilio's "${status}"`, () => {
      assert.deepEqual(events(receiver.receive(signed(statusParams(fake, sid('SM'), status)))), []);
    });
  }

  for (const status of ['sent', 'delivered', 'read'] as const) {
    it(`maps "${status}" to our ${status}`, () => {
      const messageSid = sid('SM');
      const [event] = events(receiver.receive(signed(statusParams(fake, messageSid, status))));
      assert.deepEqual(event, {
        kind: 'status',
        eventId: `${messageSid}:${status}`,
        providerMessageId: messageSid,
        status,
        at: clock.ms,
      });
    });
  }

  for (const [status, code, message] of [
    ['undelivered', '30003', 'unreachable destination handset (switched off or out of coverage)'],
    [
      'undelivered',
      '30005',
      'unknown destination handset: the number does not exist on the carrier',
    ],
    ['undelivered', '30006', 'landline or unreachable carrier: the number cannot receive SMS'],
    ['undelivered', '30007', 'message filtered by the carrier (spam or content rules)'],
    ['failed', '30008', 'unknown delivery error reported by the carrier'],
  ] as const) {
    it(`maps "${status}" with ${code} to failed with a readable reason`, () => {
      const params = statusParams(fake, sid('SM'), status, { ErrorCode: code });
      const [event] = events(receiver.receive(signed(params)));
      assert.ok(event?.kind === 'status' && event.status === 'failed');
      const error = { errorSource: 'twilio', errorCode: code, errorMessage: message };
      assert.deepEqual(event.error, { ...error, retryable: false });
    });
  }

  it('names an unknown code by number (not its ErrorMessage), and retries a queue overflow', () => {
    const news = { ErrorCode: '30999', ErrorMessage: 'New carrier error' };
    const unknown = statusParams(fake, sid('SM'), 'failed', news);
    const [a] = events(receiver.receive(signed(unknown)));
    assert.equal(a?.kind === 'status' && a.error?.errorMessage, 'Twilio error 30999');
    const overflow = statusParams(fake, sid('SM'), 'failed', { ErrorCode: '30001' });
    const [b] = events(receiver.receive(signed(overflow)));
    assert.equal(b?.kind === 'status' && b.error?.retryable, true);
    const bare = statusParams(fake, sid('SM'), 'failed');
    const [c] = events(receiver.receive(signed(bare)));
    assert.equal(c?.kind === 'status' && c.error?.errorCode, 'unknown');
  });

  it('gives a redelivered callback the same event id, and the next status a new one', () => {
    const messageSid = sid('SM');
    const delivered = signed(statusParams(fake, messageSid, 'delivered'));
    const first = events(receiver.receive(delivered));
    const again = events(receiver.receive(delivered));
    const read = events(receiver.receive(signed(statusParams(fake, messageSid, 'read'))));
    assert.equal(first[0]?.eventId, again[0]?.eventId);
    assert.notEqual(first[0]?.eventId, read[0]?.eventId);
  });

  it('turns an incoming SMS into an inbound event keyed by its MessageSid', async () => {
    const params = inboundParams(fake, '  STOP please ');
    const res = await fake.sendWebhook(endpointUrl, params);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      ok: true,
      events: [
        {
          kind: 'inbound',
          eventId: params.MessageSid,
          providerMessageId: params.MessageSid,
          from: params.From,
          to: params.To,
          text: '  STOP please ',
          at: clock.ms,
        },
      ],
    });
    const again = events(receiver.receive(signed(params)));
    assert.equal(again[0]?.eventId, params.MessageSid);
  });

  it('reads the SmsSid of an older-style incoming message, and an empty MMS body', () => {
    const { MessageSid, ...rest } = inboundParams(fake, '', { NumMedia: '1' });
    const [event] = events(receiver.receive(signed(rest)));
    assert.ok(event?.kind === 'inbound');
    assert.deepEqual([event.providerMessageId, event.text], [MessageSid, '']);
  });

  it('refuses a signed non-message or a GET with 400, naming the field', () => {
    const noSid = statusParams(fake, 'nope', 'delivered');
    assert.match(rejected(receiver.receive(signed(noSid)), 400), /^MessageSid: /);
    const badFrom = inboundParams(fake, 'hi', { From: 'not-a-number' });
    assert.match(rejected(receiver.receive(signed(badFrom)), 400), /^From: must be E.164/);
    assert.match(rejected(receiver.receive(signed({ AccountSid: fake.accountSid })), 400), /Sid/);
    const get = signed(statusParams(fake, sid('SM'), 'sent'));
    assert.match(rejected(receiver.receive({ ...get, method: 'GET' }), 400), /POST/);
  });
});
