// Event webhooks, delivered: a deflection's events reach the brand signed (checked by the
// receiver's own HMAC), in order per transaction, at least once (retried with backoff, kept across
// a restart), given up after 24 h and then replayable; redirects are never followed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebhookEvent } from '../contract/webhooks.js';
import type { Permission } from '../contract/policy.js';
import { seedAccount, startTestC2m, waitFor, type SeededAccount, type TestC2m } from './helpers.js';
import {
  accountApi,
  conversationsApi,
  deflect,
  freshPhone,
  sandboxPhone,
  transactionOf,
} from './sandbox-phone.js';
import { startSinkReceiver, type SinkReceiver } from './sink-receiver.js';
import {
  verifiedByReceiver,
  webhooksApi,
  type ReceivedEvent,
  type WebhooksApi,
} from './event-webhooks-client.js';

const SECRET = 'brand-webhook-secret-0123456789';
const DAY_MS = 86_400_000;
const ALL_TRANSACTION_EVENTS = [
  'transaction.queued',
  'transaction.sent',
  'transaction.delivered',
  'transaction.read',
  'transaction.replied',
  'transaction.failed',
  'transaction.skipped',
  'transaction.channel_failed',
  'conversation.opened',
  'conversation.closed',
];

const PERMISSIONS: { permissions: Permission[] } = {
  permissions: ['ivr', 'admin', 'conversations'],
};

/** The receiver's deliveries about one transaction, in arrival order. */
const about = (transactionId: string, list: ReceivedEvent[]) =>
  list.filter((d) => d.event?.data.transactionId === transactionId);

/** Deflects a fresh caller and waits for the invite to be delivered; returns ids and the phone. */
async function deflectDelivered(t: TestC2m, account: SeededAccount) {
  const phone = sandboxPhone(accountApi(t, account), freshPhone());
  const { callId } = await deflect(t, account, phone.address);
  const tx = await waitFor(async () => {
    const row = await transactionOf(t, callId);
    return row.status === 'delivered' ? row : undefined;
  }, 'the invite delivered');
  return { phone, callId, transactionId: tx.id };
}

describe('event webhooks', () => {
  let t: TestC2m;
  let receiver: SinkReceiver<WebhookEvent>;
  let account: SeededAccount;
  let api: WebhooksApi;

  before(async () => {
    t = await startTestC2m({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1' });
  });
  after(() => t?.close());
  beforeEach(async () => {
    await receiver?.close();
    receiver = await startSinkReceiver<WebhookEvent>('/hooks/c2m');
    account = await seedAccount(t, PERMISSIONS);
    api = webhooksApi(t, account);
  });
  after(() => receiver?.close());

  it('delivers a deflection’s events signed, in order, each with its own delivery id', async () => {
    // no secret given: c2m makes one and shows it this once
    const created = await api.create({ url: receiver.url, events: ALL_TRANSACTION_EVENTS });
    assert.match(created.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const { phone, callId, transactionId } = await deflectDelivered(t, account);
    assert.equal(await phone.send('Yes please'), 'conversation');
    const [conversation] = await conversationsApi(accountApi(t, account)).list('open');
    assert.ok(conversation);
    await conversationsApi(accountApi(t, account)).close(conversation.id);

    const got = await waitFor(() => {
      const list = about(transactionId, receiver.accepted());
      return list.length >= 6 ? list : undefined;
    }, 'six events');
    assert.deepEqual(
      got.map((d) => d.event?.type),
      [
        'transaction.queued',
        'transaction.sent',
        'transaction.delivered',
        'transaction.replied',
        'conversation.opened',
        'conversation.closed',
      ],
    );
    for (const d of got) {
      assert.equal(d.method, 'POST');
      assert.equal(d.path, '/hooks/c2m');
      assert.match(String(d.headers['content-type']), /^application\/json/);
      assert.ok(verifiedByReceiver(d, created.secret), `signature of ${d.event?.type}`);
      assert.equal(verifiedByReceiver(d, SECRET), false, 'another secret must not verify');
      assert.equal(d.headers['x-c2m-timestamp'], String(Math.floor(t.clock.now() / 1000)));
      assert.equal(d.headers['x-c2m-delivery'], d.event?.id);
      assert.equal(d.headers['x-c2m-event'], d.event?.type);
      assert.equal(d.event?.accountId, account.accountId);
      assert.equal(d.event?.occurredAt, new Date(t.clock.now()).toISOString());
      assert.equal(d.event?.data.callId, callId);
      assert.equal(d.event?.data.channel, 'sms');
      assert.equal(d.event?.data.skill, 'sales');
    }
    assert.equal(new Set(got.map((d) => d.event?.id)).size, 6);
    assert.deepEqual(
      got.map((d) => [d.event?.data.status, d.event?.data.previousStatus]),
      [
        ['queued', undefined],
        ['sent', 'queued'],
        ['delivered', 'sent'],
        ['replied', 'delivered'],
        ['open', undefined],
        ['closed', undefined],
      ],
    );
    assert.equal(got[0].event?.data.conversationId, null);
    assert.equal(got[4].event?.data.conversationId, conversation.id);
    assert.equal(got[4].event?.data.deflection, true);

    const delivered = await api.deliveries(created.id, 'delivered');
    assert.equal(delivered.length, 6);
    assert.ok(delivered.every((d) => d.attempts === 1 && d.lastError === null));
    assert.deepEqual(await api.deliveries(created.id, 'failed'), []);
  });

  it('sends each subscription only the event types it asked for, from its creation on', async () => {
    const earlier = await deflectDelivered(t, account);
    const onlyDelivered = await api.create({
      url: `${receiver.origin}/only-delivered`,
      events: ['transaction.delivered'],
      secret: SECRET,
    });
    const { transactionId } = await deflectDelivered(t, account);

    const [got] = await waitFor(() => {
      const list = receiver.accepted();
      return list.length > 0 ? list : undefined;
    }, 'the delivered event');
    assert.equal(got.path, '/only-delivered');
    assert.equal(got.event?.type, 'transaction.delivered');
    assert.equal(got.event?.data.transactionId, transactionId);
    assert.ok(verifiedByReceiver(got, SECRET));
    assert.equal(about(earlier.transactionId, receiver.received).length, 0);
    assert.equal((await api.deliveries(onlyDelivered.id)).length, 1);
  });

  it('tells a STOP and a START, in order, with the number, source and keyword', async () => {
    await api.create({
      url: `${receiver.origin}/consent`,
      events: ['consumer.opted_out', 'consumer.opted_in'],
      secret: SECRET,
    });
    const { phone } = await deflectDelivered(t, account);
    assert.equal(await phone.send('Stop'), 'opted_out');
    assert.equal(await phone.send('START'), 'opted_in');

    const got = await waitFor(() => {
      const list = receiver.accepted();
      return list.length >= 2 ? list : undefined;
    }, 'the opt-out and opt-in events');
    assert.deepEqual(
      got.map((d) => [d.event?.type, d.event?.data.status, d.event?.data.keyword]),
      [
        ['consumer.opted_out', 'opted_out', 'Stop'],
        ['consumer.opted_in', 'opted_in', 'START'],
      ],
    );
    for (const d of got) {
      assert.equal(d.event?.data.consumerPhoneNumber, phone.address);
      assert.equal(d.event?.data.source, 'sms:sandbox');
      assert.ok(verifiedByReceiver(d, SECRET));
    }
  });

  it('retries against a receiver that fails twice, holding the transaction’s later events', async () => {
    await api.create({ url: receiver.url, events: ALL_TRANSACTION_EVENTS, secret: SECRET });
    receiver.respond = (d, attempt) =>
      d.event?.type === 'transaction.queued' && attempt <= 2 ? 500 : 200;
    const { transactionId } = await deflectDelivered(t, account);

    // the TestClock stands still unless moved: move it so the backed-off retries fall due
    await waitFor(
      () => {
        t.clock.advance(10);
        return about(transactionId, receiver.accepted()).length >= 3;
      },
      'three events accepted',
      10_000,
    );
    assert.deepEqual(
      about(transactionId, receiver.received).map((d) => [d.event?.type, d.status]),
      [
        ['transaction.queued', 500],
        ['transaction.queued', 500],
        ['transaction.queued', 200],
        ['transaction.sent', 200],
        ['transaction.delivered', 200],
      ],
    );
    // every attempt is the same delivery and body, signed anew
    const queued = about(transactionId, receiver.received).slice(0, 3);
    assert.equal(new Set(queued.map((d) => d.headers['x-c2m-delivery'])).size, 1);
    assert.equal(new Set(queued.map((d) => d.rawBody)).size, 1);
    for (const d of queued) assert.ok(verifiedByReceiver(d, SECRET));

    const [subscription] = await api.list();
    const first = (await api.deliveries(subscription.id, 'delivered')).find(
      (d) => d.type === 'transaction.queued',
    );
    assert.equal(first?.attempts, 3);
    assert.equal(first.lastError, null);
  });

  it('keeps order per transaction without one failing transaction holding up another', async () => {
    await api.create({ url: receiver.url, events: ALL_TRANSACTION_EVENTS, secret: SECRET });
    // the receiver refuses everything until it knows a's call, then a's events until released
    let gate = true;
    let stuck: string | undefined;
    receiver.respond = (d) => (gate || d.event?.data.callId === stuck ? 503 : 200);
    const first = await deflect(t, account, freshPhone());
    stuck = first.callId;
    gate = false;
    const a = await transactionOf(t, first.callId);
    const b = await deflectDelivered(t, account);

    await waitFor(
      () => {
        t.clock.advance(10);
        return (
          about(b.transactionId, receiver.accepted()).length >= 3 &&
          about(a.id, receiver.received).length >= 2
        );
      },
      'b delivered while a keeps failing',
      10_000,
    );
    // a's later events wait behind its first: only the queued event was tried, again and again
    assert.ok(about(a.id, receiver.received).every((d) => d.event?.type === 'transaction.queued'));

    stuck = undefined;
    await waitFor(
      () => {
        t.clock.advance(1_000);
        return about(a.id, receiver.accepted()).length >= 3;
      },
      'a’s events after the receiver came back',
      10_000,
    );
    for (const id of [a.id, b.transactionId]) {
      assert.deepEqual(
        about(id, receiver.accepted()).map((d) => d.event?.type),
        ['transaction.queued', 'transaction.sent', 'transaction.delivered'],
      );
    }
  });

  it('counts a redirect as a failed attempt and does not follow it', async () => {
    const created = await api.create({ url: receiver.url, events: ['transaction.queued'] });
    receiver.respond = (_d, _attempt, res) => {
      res.setHeader('Location', `${receiver.origin}/elsewhere`);
      return 302;
    };
    await deflectDelivered(t, account);
    const [pending] = await waitFor(async () => {
      const list = (await api.deliveries(created.id, 'pending')).filter((d) => d.attempts >= 1);
      return list.length > 0 ? list : undefined;
    }, 'a failed attempt');
    assert.equal(pending?.lastError, 'HTTP 302');
    assert.ok(pending.nextAttemptAt !== null);
    assert.ok(receiver.received.every((d) => d.path === '/hooks/c2m'));
  });

  it('refuses at send time a URL that now points at a private address', async () => {
    const created = await api.create({ url: receiver.url, events: ['transaction.queued'] });
    // as if its DNS had changed since it was saved: the row is edited under the API
    await t.c2m.deps.db
      .updateTable('webhook_subscriptions')
      .set({ url: 'http://10.0.0.1/hooks' })
      .where('id', '=', created.id)
      .execute();
    await deflectDelivered(t, account);
    const [pending] = await waitFor(async () => {
      const list = (await api.deliveries(created.id, 'pending')).filter((d) => d.attempts >= 1);
      return list.length > 0 ? list : undefined;
    }, 'a refused attempt');
    assert.match(pending?.lastError ?? '', /^refused URL: host resolves to a private/);
    assert.equal(receiver.received.length, 0);
  });
});

describe('event webhooks past 24 hours and across restarts', () => {
  let receiver: SinkReceiver<WebhookEvent>;
  // the TestClock moves a day ahead while oauth-1.0a signs with the real time
  const env = { C2M_ALLOW_PRIVATE_WEBHOOKS: '1', C2M_OAUTH1_WINDOW_SECONDS: String(3 * 86_400) };

  before(async () => {
    receiver = await startSinkReceiver<WebhookEvent>();
  });
  after(() => receiver?.close());

  it('lists a delivery that failed for 24 h as failed, and replay delivers it', async () => {
    const t = await startTestC2m(env);
    try {
      const account = await seedAccount(t, PERMISSIONS);
      const api = webhooksApi(t, account);
      const created = await api.create({
        url: receiver.url,
        events: ['transaction.queued', 'transaction.sent'],
        secret: SECRET,
      });
      receiver.respond = () => 503;
      const { transactionId } = await deflectDelivered(t, account);
      // both queued (so their 24 h began) and the first tried once, before the day passes
      await waitFor(async () => {
        const pending = await api.deliveries(created.id, 'pending');
        return (
          pending.length === 2 &&
          pending.some((d) => d.type === 'transaction.queued' && d.attempts >= 1)
        );
      }, 'a first failed attempt');

      t.clock.advance(DAY_MS + 60_000);
      const failed = await waitFor(async () => {
        const list = await api.deliveries(created.id, 'failed');
        return list.length === 2 ? list : undefined;
      }, 'both deliveries given up');
      assert.deepEqual(failed.map((d) => [d.type, d.lastError, d.nextAttemptAt]).sort(), [
        ['transaction.queued', 'HTTP 503', null],
        ['transaction.sent', 'HTTP 503', null],
      ]);
      assert.deepEqual(await api.deliveries(created.id, 'pending'), []);
      const queued = failed.find((d) => d.type === 'transaction.queued')!;
      assert.ok(queued.attempts >= 2);
      assert.equal(queued.event.data.transactionId, transactionId);

      // the brand's endpoint is back: replay the queued event
      receiver.respond = () => 200;
      const res = await api.request('POST', `/deliveries/${queued.id}/replay`);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const replayed = await waitFor(
        () => receiver.accepted().find((d) => d.event?.id === queued.id),
        'the replayed delivery',
      );
      assert.ok(verifiedByReceiver(replayed, SECRET));
      assert.equal(replayed.headers['x-c2m-timestamp'], String(Math.floor(t.clock.now() / 1000)));
      assert.deepEqual(replayed.event, queued.event);
      assert.deepEqual(
        (await api.deliveries(created.id, 'delivered')).map((d) => d.id),
        [queued.id],
      );
      assert.deepEqual(
        (await api.deliveries(created.id, 'failed')).map((d) => d.type),
        ['transaction.sent'],
      );

      // replay reaches only the account's own deliveries
      const stranger = webhooksApi(t, await seedAccount(t, PERMISSIONS));
      const sent = failed.find((d) => d.type === 'transaction.sent')!;
      assert.equal((await stranger.request('POST', `/deliveries/${sent.id}/replay`)).status, 404);
      assert.equal((await api.request('POST', '/deliveries/no-such-id/replay')).status, 404);
      assert.equal((await api.deliveries(created.id, 'failed')).length, 1);
    } finally {
      await t.close();
    }
  });

  it('delivers events recorded while the dispatcher was down, after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'c2m-webhooks-'));
    try {
      receiver.respond = () => 200;
      // no worker: the invite is recorded (and its event), but nothing is sent or delivered
      const down = await startTestC2m({ ...env, C2M_OUTBOX_WORKER: '0' }, { dataDir });
      const account = await seedAccount(down, PERMISSIONS);
      const created = await webhooksApi(down, account).create({
        url: receiver.url,
        events: ['transaction.queued'],
        secret: SECRET,
      });
      const phone = freshPhone();
      const { callId } = await deflect(down, account, phone);
      await down.close();
      assert.equal(receiver.received.filter((d) => d.event?.data.callId === callId).length, 0);

      const up = await startTestC2m(env, { dataDir });
      try {
        const got = await waitFor(
          () => receiver.accepted().find((d) => d.event?.data.callId === callId),
          'the queued event after the restart',
        );
        assert.equal(got.event?.type, 'transaction.queued');
        assert.ok(verifiedByReceiver(got, SECRET));
        const delivered = await webhooksApi(up, account).deliveries(created.id, 'delivered');
        assert.deepEqual(
          delivered.map((d) => d.type),
          ['transaction.queued'],
        );
      } finally {
        await up.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
