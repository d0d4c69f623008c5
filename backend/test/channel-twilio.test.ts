// The Twilio SMS adapter against a local Twilio: what it sends, how each answer is classified.
// The webhook half lives in channel-twilio-webhooks.test.ts.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwilioSettings, type SettingsOf } from '../contract/providers.js';
import { createTwilioSmsAdapter } from '../src/channels/twilio-sms.js';
import type {
  AdapterContext,
  ChannelAdapter,
  SendInput,
  SendResult,
} from '../src/channels/types.js';
import { sid, startTwilioFake, type TwilioFake } from './fakes/twilio-server.js';

const FROM = '+14155550100';
const HANDOFF_FROM = '+14155550199';
const TO = '+14155550123';
const CALLBACK = 'https://c2m.example.com/webhooks/twilio/12345678';
const TIMEOUT_MS = 250;

const ctx: AdapterContext = { fetch, now: Date.now, timeoutMs: TIMEOUT_MS };

function input(overrides: Partial<SendInput> = {}): SendInput {
  return {
    messageId: 'f7a3c1d2-0000-4000-8000-000000000001',
    accountId: '12345678',
    transactionId: 'b1c2d3e4-0000-4000-8000-000000000002',
    channel: 'sms',
    to: TO,
    from: undefined,
    body: 'Hi from Acme: reply here to chat with an agent.',
    statusCallbackUrl: CALLBACK,
    ...overrides,
  };
}

function failure(result: SendResult) {
  assert.equal(result.ok, false, 'expected the send to fail');
  return result;
}

describe('Twilio SMS adapter', () => {
  let fake: TwilioFake;
  let settings: SettingsOf<'twilio'>;
  let sms: ChannelAdapter;

  before(async () => {
    fake = await startTwilioFake();
    settings = TwilioSettings.parse({
      provider: 'twilio',
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      fromNumber: FROM,
      baseUrl: fake.baseUrl,
    });
    sms = createTwilioSmsAdapter(settings, ctx);
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  after(() => fake?.close());

  const lastForm = () => fake.requests.at(-1)!.form;

  it('creates a Message with Basic auth and the documented form, and returns its SID', async () => {
    const result = await sms.send(input());
    assert.equal(result.ok, true);
    assert.match((result as { providerMessageId: string }).providerMessageId, /^SM[0-9a-f]{32}$/);
    assert.equal(fake.requests.length, 1);
    const [req] = fake.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    const basic = Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64');
    assert.equal(req.headers.authorization, `Basic ${basic}`);
    assert.match(req.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.fromEntries(req.form), {
      To: TO,
      Body: input().body,
      From: FROM,
      StatusCallback: CALLBACK,
    });
  });

  it("sends from the handoff's own number when it has one", async () => {
    await sms.send(input({ from: HANDOFF_FROM }));
    assert.equal(lastForm().get('From'), HANDOFF_FROM);
    assert.equal(lastForm().has('MessagingServiceSid'), false);
  });

  it('prefers the Messaging Service over the account number, and never sends both', async () => {
    const service = sid('MG');
    const viaService = createTwilioSmsAdapter({ ...settings, messagingServiceSid: service }, ctx);
    const result = await viaService.send(input());
    assert.equal(result.ok, true);
    assert.equal(lastForm().get('MessagingServiceSid'), service);
    assert.equal(lastForm().has('From'), false);

    await viaService.send(input({ from: HANDOFF_FROM }));
    assert.equal(lastForm().get('From'), HANDOFF_FROM);
    assert.equal(lastForm().has('MessagingServiceSid'), false);
  });

  it('refuses for good, without calling Twilio, when no sender is configured', async () => {
    const noSender = { ...settings, fromNumber: undefined };
    const result = failure(await createTwilioSmsAdapter(noSender, ctx).send(input()));
    assert.equal(result.retryable, false);
    assert.equal(result.errorCode, 'no_sender');
    assert.equal(fake.requests.length, 0);
  });

  it('leaves out a status callback that is not an absolute URL, and still sends', async () => {
    const result = await sms.send(input({ statusCallbackUrl: '/webhooks/twilio/12345678' }));
    assert.equal(result.ok, true);
    assert.equal(lastForm().has('StatusCallback'), false);
  });

  it('passes Twilio’s refusal of a malformed number on, not retryable (21211)', async () => {
    const result = failure(await sms.send(input({ to: '+0123' })));
    assert.deepEqual(
      { ...result, errorMessage: undefined },
      {
        ok: false,
        retryable: false,
        errorSource: 'twilio',
        errorCode: '21211',
        errorMessage: undefined,
      },
    );
    assert.equal(result.errorMessage, "invalid 'To' phone number");
    assert.ok(!result.errorMessage.includes('+0123'), 'the number stays out of the message');
  });

  it('refuses a body over 1600 characters for good (21617)', async () => {
    const result = failure(await sms.send(input({ body: 'x'.repeat(1601) })));
    assert.equal(result.errorCode, '21617');
    assert.equal(result.retryable, false);
  });

  for (const [code, message] of [
    [21610, 'the recipient has opted out of messages from this sender (replied STOP)'],
    [21614, "the 'To' number is not a mobile number"],
    [21408, 'SMS to this region is not enabled in the Twilio geo permissions'],
    [21612, "Twilio cannot route a message between this 'To' and 'From'"],
    [21606, "the 'From' number cannot send SMS to this destination"],
  ] as const) {
    it(`maps 400 ${code} to a permanent twilio error`, async () => {
      fake.script({ status: 400, error: code, message: `Twilio says ${code} for ${TO}` });
      const result = failure(await sms.send(input()));
      assert.equal(result.retryable, false);
      assert.equal(result.errorSource, 'twilio');
      assert.equal(result.errorCode, String(code));
      assert.equal(result.errorMessage, message);
    });
  }

  it('reports a code it does not know by number and status, never the answer’s text', async () => {
    fake.script({ status: 400, error: 21999, message: 'Something new went wrong' });
    const result = failure(await sms.send(input()));
    assert.equal(result.errorCode, '21999');
    assert.equal(result.errorMessage, 'Twilio error 21999 (HTTP 400)');
    assert.equal(result.retryable, false);
  });

  it('retries a 429 Too Many Requests (20429)', async () => {
    fake.script({ status: 429, error: 20429, message: 'Too Many Requests' });
    const result = failure(await sms.send(input()));
    assert.equal(result.retryable, true);
    assert.equal(result.errorCode, '20429');
  });

  it('retries a 5xx, with Twilio’s JSON or a proxy’s HTML', async () => {
    fake.script(
      { status: 500, error: 20500, message: 'Internal Server Error' },
      { status: 502, raw: '<html>Bad Gateway</html>' },
    );
    const first = failure(await sms.send(input()));
    assert.equal(first.retryable, true);
    assert.equal(first.errorCode, '20500');
    const second = failure(await sms.send(input()));
    assert.equal(second.retryable, true);
    assert.equal(second.errorCode, 'http_502');
    assert.equal(second.errorMessage, 'Twilio answered HTTP 502');
  });

  // a timeout that never fired would leave the send (and this test) waiting: fail instead
  it(
    'gives up on a hung request after the timeout, retryable',
    { timeout: TIMEOUT_MS * 8 },
    async () => {
      fake.script('hang');
      const hungUp = fake.hung.nextHangUp();
      const result = failure(await sms.send(input()));
      assert.equal(result.retryable, true);
      assert.equal(result.errorCode, 'timeout');
      // the timeout bounds the wait: the adapter closed the request, Twilio saw it go
      await hungUp;
    },
  );

  it('retries when Twilio cannot be reached at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createTwilioSmsAdapter(
      { ...settings, baseUrl: `http://127.0.0.1:${port}` },
      ctx,
    );
    const result = failure(await offline.send(input()));
    assert.equal(result.retryable, true);
    assert.equal(result.errorCode, 'network');
    assert.match(result.errorMessage, /ECONNREFUSED/);
  });

  it('does not retry bad credentials, and never echoes the auth token', async () => {
    const wrong = createTwilioSmsAdapter({ ...settings, authToken: 'not-the-token-at-all' }, ctx);
    const result = failure(await wrong.send(input()));
    assert.equal(result.retryable, false);
    assert.equal(result.errorCode, '20003');
    assert.ok(!JSON.stringify(result).includes('not-the-token-at-all'));
    assert.ok(!JSON.stringify(result).includes(fake.authToken));
  });

  it('does not retry a 2xx without a message SID: the SMS may already be out', async () => {
    fake.script({ status: 201, raw: '{"status":"queued"}' });
    const result = failure(await sms.send(input()));
    assert.equal(result.retryable, false);
    assert.equal(result.errorCode, 'bad_response');
  });

  it('calls every number reachable: SMS capability is not knowable without a lookup', async () => {
    const reachable = await sms.reachable({
      accountId: '12345678',
      channel: 'sms',
      phone: TO,
      consumerId: undefined,
    });
    assert.equal(reachable, true);
    assert.equal(fake.requests.length, 0);
  });
});
