// Apple Messages for Business by SMS link: the SMS the local Twilio receives carries the message and
// a correctly encoded start-chat link; the SMS adapter's errors and reachability pass through.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TwilioSettings } from '../contract/providers.js';
import {
  APPLE_PREFILL_MAX,
  appleChatLink,
  createAppleLinkAdapter,
} from '../src/channels/apple-link.js';
import { createTwilioSmsAdapter } from '../src/channels/twilio-sms.js';
import type { CapabilityInput, ChannelAdapter, SendInput } from '../src/channels/types.js';
import { startTwilioFake, type TwilioFake } from './fakes/twilio-server.js';

const BUSINESS_ID = '22222222-dddd-4444-bbbb-777777777777';
const TO = '+14155550123';

function input(overrides: Partial<SendInput> = {}): SendInput {
  return {
    messageId: 'f7a3c1d2-0000-4000-8000-000000000001',
    accountId: '12345678',
    transactionId: 'b1c2d3e4-0000-4000-8000-000000000002',
    channel: 'apple',
    to: TO,
    from: undefined,
    body: 'Hi from Acme: tap the link to chat with us in Messages.',
    statusCallbackUrl: 'https://c2m.example.com/webhooks/twilio/12345678',
    ...overrides,
  };
}

/** The start-chat link at the end of an SMS, and its prefilled text decoded. */
function linkOf(sms: string): { url: URL; prefill: string | null } {
  const raw = sms.slice(sms.lastIndexOf('\n') + 1);
  const url = new URL(raw);
  return { url, prefill: url.searchParams.get('body') };
}

describe('Apple Messages for Business link', () => {
  let fake: TwilioFake;
  let apple: ChannelAdapter;

  before(async () => {
    fake = await startTwilioFake();
    apple = createAppleLinkAdapter(
      { provider: 'apple-link', businessId: BUSINESS_ID },
      twilioSms(),
    );
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  after(() => fake?.close());

  /** The real Twilio SMS adapter, pointed at the local Twilio. */
  function twilioSms(): ChannelAdapter {
    const settings = TwilioSettings.parse({
      provider: 'twilio',
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      fromNumber: '+14155550100',
      baseUrl: fake.baseUrl,
    });
    return createTwilioSmsAdapter(settings, { fetch, now: Date.now, timeoutMs: 2000 });
  }

  it('sends one SMS: the rendered message, then the link to the brand’s Apple chat', async () => {
    const result = await apple.send(input());
    assert.equal(apple.provider, 'apple-link');
    assert.equal(result.ok, true);
    assert.match((result as { providerMessageId: string }).providerMessageId, /^SM/);
    assert.equal(fake.requests.length, 1);
    const form = fake.requests[0].form;
    assert.equal(form.get('To'), TO);
    assert.equal(form.get('StatusCallback'), input().statusCallbackUrl);
    const body = form.get('Body')!;
    assert.ok(body.startsWith(`${input().body}\n`), 'the message comes first');
    const { url, prefill } = linkOf(body);
    assert.equal(url.origin, 'https://bcrw.apple.com');
    assert.equal(url.pathname, `/urn:biz:${BUSINESS_ID}`);
    assert.deepEqual([...url.searchParams.keys()], ['body']);
    assert.equal(
      prefill,
      "Hi, I'd like to continue my call by message. Ref: b1c2d3e4-0000-4000-8000-000000000002",
    );
    assert.ok(url.search.includes('%20') && !url.search.includes('+'), 'spaces are %20, never +');
  });

  it('quotes the message id when there is no transaction', async () => {
    await apple.send(input({ transactionId: null }));
    const { prefill } = linkOf(fake.requests[0].form.get('Body')!);
    assert.match(prefill ?? '', /Ref: f7a3c1d2-0000-4000-8000-000000000001$/);
  });

  it('percent-encodes every character a link detector could stop at', () => {
    const text = "Billing? 50% off & more (card) isn't +1 #2 👋";
    const link = appleChatLink(BUSINESS_ID, text);
    const query = link.slice(link.indexOf('?') + 1);
    assert.match(query, /^body=[A-Za-z0-9%._~-]+$/, 'only unreserved characters and escapes');
    assert.ok(query.includes('%20') && query.includes('%2B') && query.includes('%29'));
    assert.equal(new URL(link).searchParams.get('body'), text);
  });

  it('cuts a long prefill at a whole character, and drops an empty one', () => {
    const long = appleChatLink(BUSINESS_ID, '👋'.repeat(APPLE_PREFILL_MAX + 10));
    assert.equal(Array.from(new URL(long).searchParams.get('body')!).length, APPLE_PREFILL_MAX);
    assert.equal(
      appleChatLink(BUSINESS_ID, '   '),
      `https://bcrw.apple.com/urn:biz:${BUSINESS_ID}`,
    );
  });

  it('takes a custom prefill', async () => {
    const custom = createAppleLinkAdapter(
      { provider: 'apple-link', businessId: BUSINESS_ID },
      twilioSms(),
      {
        prefill: (i) => `Order & billing – call ${i.accountId}`,
      },
    );
    await custom.send(input());
    const { prefill } = linkOf(fake.requests[0].form.get('Body')!);
    assert.equal(prefill, 'Order & billing – call 12345678');
  });

  it('passes the SMS provider’s refusal on unchanged', async () => {
    fake.script({
      status: 400,
      error: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });
    const refused = await apple.send(input());
    assert.deepEqual(refused, {
      ok: false,
      retryable: false,
      errorSource: 'twilio',
      errorCode: '21610',
      errorMessage: 'the recipient has opted out of messages from this sender (replied STOP)',
    });
    fake.script({ status: 503, error: 20503, message: 'Service Unavailable' });
    const unavailable = await apple.send(input());
    assert.equal(unavailable.ok === false && unavailable.retryable, true);
  });

  it('fails like the SMS would when the message and link exceed 1600 characters', async () => {
    const result = await apple.send(input({ body: 'x'.repeat(1550) }));
    assert.equal(result.ok === false && result.errorCode, '21617');
  });

  it('takes the SMS adapter lazily, as the registry provides it, and points its callback there', async () => {
    const lazy = createAppleLinkAdapter({ provider: 'apple-link', businessId: BUSINESS_ID }, () =>
      Promise.resolve(twilioSms()),
    );
    const result = await lazy.send(
      input({ statusCallbackUrl: 'https://c2m.example.com/webhooks/apple-link/12345678' }),
    );
    assert.equal(result.ok, true);
    const form = fake.requests[0].form;
    assert.equal(form.get('StatusCallback'), 'https://c2m.example.com/webhooks/twilio/12345678');
  });

  it('is reachable exactly when SMS is, asking the SMS adapter about SMS', async () => {
    const asked: CapabilityInput[] = [];
    const sms: ChannelAdapter = {
      provider: 'stub-sms',
      reachable: (i) => {
        asked.push(i);
        return Promise.resolve(i.phone !== '+14155550000');
      },
      send: () => Promise.reject(new Error('not used')),
    };
    const adapter = createAppleLinkAdapter(
      { provider: 'apple-link', businessId: BUSINESS_ID },
      sms,
    );
    const base = { accountId: '12345678', channel: 'apple' as const, consumerId: undefined };
    assert.equal(await adapter.reachable({ ...base, phone: TO }), true);
    assert.equal(await adapter.reachable({ ...base, phone: '+14155550000' }), false);
    assert.deepEqual(
      asked.map((a) => a.channel),
      ['sms', 'sms'],
    );
  });
});
