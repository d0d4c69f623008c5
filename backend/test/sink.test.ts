// The conversation sink: signed deliveries to the brand's contact center, in order per
// conversation, retried with backoff, given up after 24 h (visible and replayable), never
// following a redirect — and a sink URL that could reach a private network is refused.
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IvrErrorBody } from '../contract/errors.js';
import { IvrErrorCode } from '../contract/errors.js';
import {
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  waitFor,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import {
  accountApi,
  conversationsApi,
  freshPhone,
  sandboxPhone,
  type AccountApi,
} from './sandbox-phone.js';
import { startSinkReceiver, type ReceivedDelivery, type SinkReceiver } from './sink-receiver.js';

const SECRET = 'sink-secret-0123456789abcdef';
const DAY_MS = 86_400_000;

interface DeliveryView {
  id: string;
  conversationId: string;
  sequence: number;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

async function deliveries(api: AccountApi, status: DeliveryView['status']) {
  const res = await api.get(`/sink/deliveries?status=${status}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { deliveries: DeliveryView[] }).deliveries;
}

function expectBadUrl(res: ApiResponse) {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  const body = res.body as IvrErrorBody;
  assert.equal(body.errorCode, IvrErrorCode.invalidRequest);
  assert.match(body.errorMessage, /^url: /);
}

/** Checks a delivery the way a receiver should: its own HMAC over `timestamp.rawBody`. */
function assertSigned(d: ReceivedDelivery, secret = SECRET) {
  const timestamp = String(d.headers['x-c2m-timestamp']);
  assert.match(timestamp, /^\d{10}$/);
  const expected =
    'v1=' + createHmac('sha256', secret).update(`${timestamp}.${d.rawBody}`).digest('hex');
  assert.equal(d.headers['x-c2m-signature'], expected);
  assert.equal(d.headers['x-c2m-delivery'], d.event?.id);
}

/** Opens an ordinary conversation by a consumer's message; returns its id and the phone. */
async function openConversation(t: TestC2m, api: AccountApi, text = 'Hello?') {
  const phone = sandboxPhone(api, freshPhone());
  assert.equal(await phone.send(text), 'conversation');
  const open = await conversationsApi(api).list('open');
  const conversation = open.find((c) => c.consumerPhoneNumber === phone.address);
  assert.ok(conversation, `a conversation with ${phone.address}`);
  return { phone, conversationId: conversation.id };
}

describe('conversation sink', () => {
  let t: TestC2m;
  let receiver: SinkReceiver;
  let account: SeededAccount;
  let api: AccountApi;

  before(async () => {
    t = await startTestC2m({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1', C2M_OUTBOX_BACKOFF_MS: '5' });
  });
  after(() => t?.close());
  beforeEach(async () => {
    await receiver?.close();
    receiver = await startSinkReceiver();
    account = await seedAccount(t, { permissions: ['admin'] });
    api = accountApi(t, account);
    const res = await api.put('/sink', { url: receiver.url, secret: SECRET });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { url: receiver.url, secret: { set: true } });
  });
  after(() => receiver?.close());

  const eventsOf = (conversationId: string, from = receiver.accepted()) =>
    from.filter((d) => d.event?.conversationId === conversationId);

  it('delivers opened, consumer, agent and closed events, signed and in order', async () => {
    const { phone, conversationId } = await openConversation(t, api, 'I need help');
    const conversations = conversationsApi(api);
    const messageId = await conversations.post(conversationId, 'Happy to help.');
    await conversations.close(conversationId);

    const got = await waitFor(() => {
      const events = eventsOf(conversationId);
      return events.length >= 4 ? events : undefined;
    }, 'four sink events');
    assert.equal(got.length, 4);
    assert.deepEqual(
      got.map((d) => [d.event?.sequence, d.event?.type]),
      [
        [1, 'conversation.opened'],
        [2, 'conversation.consumer_message'],
        [3, 'conversation.agent_message'],
        [4, 'conversation.closed'],
      ],
    );
    for (const d of got) {
      assert.equal(d.method, 'POST');
      assert.equal(d.path, '/c2m/events');
      assert.match(String(d.headers['content-type']), /^application\/json/);
      assertSigned(d);
      assert.equal(d.headers['x-c2m-timestamp'], String(Math.floor(t.clock.now() / 1000)));
      assert.deepEqual(Object.keys(d.event!).sort(), [
        'accountId',
        'conversationId',
        'data',
        'id',
        'occurredAt',
        'sequence',
        'type',
      ]);
      assert.equal(d.event?.accountId, account.accountId);
      assert.equal(d.event?.occurredAt, new Date(t.clock.now()).toISOString());
    }
    assert.equal(new Set(got.map((d) => d.event?.id)).size, 4);
    assert.deepEqual(got[0].event?.data, {
      skill: 'default',
      channel: 'sms',
      deflection: false,
      consumer: phone.address,
      context: {},
    });
    assert.deepEqual(got[1].event?.data, {
      channel: 'sms',
      from: phone.address,
      text: 'I need help',
    });
    assert.deepEqual(got[2].event?.data, { messageId, text: 'Happy to help.' });
    assert.deepEqual(got[3].event?.data, {});

    const delivered = await deliveries(api, 'delivered');
    assert.deepEqual(delivered.map((d) => [d.sequence, d.attempts, d.lastError]).sort(), [
      [1, 1, null],
      [2, 1, null],
      [3, 1, null],
      [4, 1, null],
    ]);
    assert.deepEqual(await deliveries(api, 'failed'), []);
  });

  it('keeps each conversation’s own order when two are interleaved', async () => {
    const conversations = conversationsApi(api);
    const a = await openConversation(t, api, 'from a');
    const b = await openConversation(t, api, 'from b');
    await conversations.post(a.conversationId, 'to a');
    assert.equal(await b.phone.send('b again'), 'conversation');
    await conversations.close(a.conversationId);
    await conversations.post(b.conversationId, 'to b');

    await waitFor(
      () => eventsOf(a.conversationId).length >= 4 && eventsOf(b.conversationId).length >= 4,
      'both conversations’ events',
    );
    for (const id of [a.conversationId, b.conversationId]) {
      assert.deepEqual(
        eventsOf(id).map((d) => d.event?.sequence),
        [1, 2, 3, 4],
      );
    }
    assert.deepEqual(
      eventsOf(b.conversationId).map((d) => d.event?.type),
      [
        'conversation.opened',
        'conversation.consumer_message',
        'conversation.consumer_message',
        'conversation.agent_message',
      ],
    );
  });

  it('retries a failed delivery and holds the conversation’s later events behind it', async () => {
    receiver.respond = (d, attempt) =>
      d.event?.type === 'conversation.opened' && attempt <= 2 ? 500 : 200;
    const { conversationId } = await openConversation(t, api);

    // the TestClock stands still unless moved: move it so the backed-off retries fall due
    await waitFor(() => {
      t.clock.advance(10);
      return eventsOf(conversationId).length >= 2;
    }, 'both events accepted');
    const arrivals = eventsOf(conversationId, receiver.received).map((d) => [
      d.event?.type,
      d.status,
    ]);
    assert.deepEqual(arrivals, [
      ['conversation.opened', 500],
      ['conversation.opened', 500],
      ['conversation.opened', 200],
      ['conversation.consumer_message', 200],
    ]);
    // every attempt is the same delivery, signed anew
    const opened = eventsOf(conversationId, receiver.received).slice(0, 3);
    assert.equal(new Set(opened.map((d) => d.headers['x-c2m-delivery'])).size, 1);
    for (const d of opened) assertSigned(d);

    const delivered = await deliveries(api, 'delivered');
    const first = delivered.find((d) => d.type === 'conversation.opened');
    assert.equal(first?.attempts, 3);
    assert.equal(first.lastError, null);
  });

  it('counts a redirect as a failed attempt and does not follow it', async () => {
    receiver.respond = (_d, _attempt, res) => {
      res.setHeader('Location', `${receiver.origin}/elsewhere`);
      return 302;
    };
    const { conversationId } = await openConversation(t, api);

    const [pending] = await waitFor(async () => {
      const list = (await deliveries(api, 'pending')).filter(
        (d) => d.conversationId === conversationId && d.attempts >= 1,
      );
      return list.length > 0 ? list : undefined;
    }, 'a failed attempt');
    assert.equal(pending?.type, 'conversation.opened');
    assert.equal(pending.lastError, 'HTTP 302');
    assert.ok(receiver.received.length >= 1);
    assert.ok(receiver.received.every((d) => d.path === '/c2m/events' && d.method === 'POST'));
    assert.deepEqual(await deliveries(api, 'delivered'), []);
  });

  it('refuses private, non-https and malformed sink URLs even in development', async () => {
    for (const url of [
      'http://10.0.0.1/x',
      'https://192.168.1.10/x',
      'https://169.254.169.254/latest/meta-data',
      'file:///etc/passwd',
      'ftp://example.com/x',
      'https://user:pass@127.0.0.1/x',
      'not a url',
    ]) {
      const other = await seedAccount(t, { permissions: ['admin'] });
      const res = await accountApi(t, other).put('/sink', { url, secret: SECRET });
      expectBadUrl(res);
      const stored = await t.c2m.deps.db
        .selectFrom('sink_settings')
        .select('url')
        .where('account_id', '=', other.accountId)
        .execute();
      assert.deepEqual(stored, [], url);
    }
  });

  it('refuses a short secret, naming it', async () => {
    const res = await api.put('/sink', { url: receiver.url, secret: 'short' });
    assert.equal(res.status, 400);
    assert.match((res.body as IvrErrorBody).errorMessage, /^secret: /);
  });

  it('needs the admin permission, on the credential’s own account', async () => {
    const ivr = await seedAccount(t);
    const res = await accountApi(t, ivr).put('/sink', { url: receiver.url, secret: SECRET });
    assert.equal(res.status, 403);
    assert.equal((await accountApi(t, ivr).get('/sink/deliveries')).status, 403);

    const url = `${api.base}/sink`;
    const otherAdmin = await seedAccount(t, { permissions: ['admin'] });
    const cross = await call(url, {
      method: 'PUT',
      body: { url: 'https://example.com/steal', secret: SECRET },
      authorization: oauth1Header(otherAdmin.oauth1, 'PUT', url),
    });
    assert.equal(cross.status, 403);
    const [stored] = await t.c2m.deps.db
      .selectFrom('sink_settings')
      .select('url')
      .where('account_id', '=', account.accountId)
      .execute();
    assert.equal(stored?.url, receiver.url);
  });
});

describe('conversation sink without the development flag', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m({ C2M_ALLOW_LOOPBACK_URLS: '0' });
  });
  after(() => t?.close());

  it('refuses loopback, private and plain-http URLs with 400 naming url', async () => {
    const account = await seedAccount(t, { permissions: ['admin'] });
    const api = accountApi(t, account);
    for (const url of [
      'http://10.0.0.1/x',
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://0x7f000001/x',
      'https://localhost/x',
      'http://example.com/x',
      'file:///etc/passwd',
    ]) {
      expectBadUrl(await api.put('/sink', { url, secret: SECRET }));
    }
    const stored = await t.c2m.deps.db
      .selectFrom('sink_settings')
      .select('url')
      .where('account_id', '=', account.accountId)
      .execute();
    assert.deepEqual(stored, []);
  });
});

describe('conversation sink past 24 hours', () => {
  let t: TestC2m;
  let receiver: SinkReceiver;

  before(async () => {
    t = await startTestC2m({
      C2M_ALLOW_PRIVATE_WEBHOOKS: '1',
      C2M_OUTBOX_BACKOFF_MS: '5',
      // the TestClock moves a day ahead while oauth-1.0a signs with the real time
      C2M_OAUTH1_WINDOW_SECONDS: String(3 * 86_400),
    });
    receiver = await startSinkReceiver();
  });
  after(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('lists a delivery that kept failing for 24 h as failed, and replay delivers it', async () => {
    const account = await seedAccount(t, { permissions: ['admin'] });
    const api = accountApi(t, account);
    assert.equal((await api.put('/sink', { url: receiver.url, secret: SECRET })).status, 200);
    receiver.respond = () => 503;
    const { conversationId } = await openConversation(t, api);

    await waitFor(async () => {
      const pending = await deliveries(api, 'pending');
      return pending.some((d) => d.type === 'conversation.opened' && d.attempts >= 1);
    }, 'a first failed attempt');

    t.clock.advance(DAY_MS + 60_000);
    const failed = await waitFor(async () => {
      const list = await deliveries(api, 'failed');
      return list.length === 2 ? list : undefined;
    }, 'both deliveries given up');
    assert.deepEqual(failed.map((d) => [d.conversationId, d.type, d.lastError]).sort(), [
      [conversationId, 'conversation.consumer_message', 'HTTP 503'],
      [conversationId, 'conversation.opened', 'HTTP 503'],
    ]);
    assert.deepEqual(await deliveries(api, 'pending'), []);
    const opened = failed.find((d) => d.type === 'conversation.opened')!;
    assert.ok(opened.attempts >= 2);

    // the contact center is back: replay the opened event
    receiver.respond = () => 200;
    const res = await api.post(`/sink/deliveries/${opened.id}/replay`);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const replayed = await waitFor(
      () => receiver.accepted().find((d) => d.event?.id === opened.id),
      'the replayed delivery',
    );
    assertSigned(replayed);
    assert.equal(replayed.headers['x-c2m-timestamp'], String(Math.floor(t.clock.now() / 1000)));
    assert.equal(replayed.event?.sequence, 1);
    const delivered = await deliveries(api, 'delivered');
    assert.deepEqual(
      delivered.map((d) => d.id),
      [opened.id],
    );
    assert.deepEqual(
      (await deliveries(api, 'failed')).map((d) => d.type),
      ['conversation.consumer_message'],
    );
  });

  it('replays only the account’s own deliveries', async () => {
    const owner = await seedAccount(t, { permissions: ['admin'] });
    const ownerApi = accountApi(t, owner);
    assert.equal((await ownerApi.put('/sink', { url: receiver.url, secret: SECRET })).status, 200);
    receiver.respond = () => 500;
    await openConversation(t, ownerApi);
    const [pending] = await waitFor(async () => {
      const list = await deliveries(ownerApi, 'pending');
      return list.length > 0 ? list : undefined;
    }, 'a pending delivery');

    const stranger = accountApi(t, await seedAccount(t, { permissions: ['admin'] }));
    const res = await stranger.post(`/sink/deliveries/${pending.id}/replay`);
    assert.equal(res.status, 404);
    assert.equal((await ownerApi.post('/sink/deliveries/no-such-id/replay')).status, 404);
  });
});
