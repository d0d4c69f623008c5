// Whole in-app deflections through c2m's real routes and pipeline, against local stand-ins for
// the two push gateways: a brand's signed push proxy (the push, signed receipts and replies back,
// replays and forgeries) and FCM HTTP v1 behind Google's token endpoint (devices registered
// through the API, reachability, the send, and tokens FCM no longer knows pruned).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { EligibilityResponse } from '../contract/deflection.js';
import {
  bearerToken,
  call,
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { newServiceAccountKey, startGoogleFake, type GoogleFake } from './fakes/google-server.js';
import { startPushProxyFake, type PushProxyFake } from './fakes/push-proxy-server.js';

const APP = 'com.example.app';
/** The seeded `inapp` handoff's message. */
const TEXT = 'Continue in the app.';

/** The account's in-app provider, through the admin API. */
async function putInappProvider(t: TestC2m, account: SeededAccount, settings: object) {
  const token = await bearerToken(t.url, account.oauth2);
  const put = await call(`${t.url}/api/account/${account.accountId}/providers/inapp`, {
    method: 'PUT',
    authorization: `Bearer ${token}`,
    body: settings,
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  return token;
}

/** Eligibility on the seeded in-app handoff, then (if eligible) the invite. */
async function deflect(
  t: TestC2m,
  account: SeededAccount,
  phone: string,
  consumerId: string | undefined,
): Promise<EligibilityResponse> {
  const ivr = ivrClient(t, account);
  const e = await ivr.eligibility({
    skill: 'billing',
    consumerPhoneNumber: phone,
    handoffId: account.handoffs.inapp,
    ivrNumber: '+18005550100',
    ...(consumerId !== undefined && { consumerId }),
  });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  const body = e.body as EligibilityResponse;
  if (body.eligible) {
    const i = await ivr.invite({ callId: body.callId });
    assert.equal(i.status, 200, JSON.stringify(i.body));
  }
  return body;
}

const transactionOf = (t: TestC2m, callId: string) =>
  t.c2m.deps.db
    .selectFrom('transactions')
    .selectAll()
    .where('call_id', '=', callId)
    .executeTakeFirstOrThrow();

/** The transaction once it has left `queued`. */
const settledTransaction = (t: TestC2m, callId: string) =>
  waitFor(async () => {
    const row = await transactionOf(t, callId);
    return row.status === 'queued' ? undefined : row;
  }, `the send of call ${callId}`);

/** The invite's stored message (our id, and the id the provider gave it). */
const inviteMessageOf = (t: TestC2m, transactionId: string) =>
  t.c2m.deps.db
    .selectFrom('messages')
    .selectAll()
    .where('transaction_id', '=', transactionId)
    .where('direction', '=', 'outbound')
    .executeTakeFirstOrThrow();

describe('in-app journey through a brand push proxy', () => {
  const SECRET = 'brand-proxy-secret-0123456789';
  let t: TestC2m;
  let proxy: PushProxyFake;
  let account: SeededAccount;
  let webhookUrl: string;

  before(async () => {
    t = await startTestC2m({ C2M_OUTBOX_MAX_ATTEMPTS: '2' });
    // the proxy checks and signs timestamps on c2m's (frozen) clock, as a synced server would
    proxy = await startPushProxyFake({ secret: SECRET, now: t.clock.now });
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    await putInappProvider(t, account, { provider: 'push-proxy', url: proxy.url, secret: SECRET });
    webhookUrl = `${t.url}/webhooks/push-proxy/${account.accountId}`;
  });
  after(async () => {
    await t?.close();
    await proxy?.close();
  });

  const db = () => t.c2m.deps.db;
  const at = () => new Date(t.clock.now()).toISOString();
  const receipts = async () =>
    (
      await db()
        .selectFrom('webhook_receipts')
        .select('event_id')
        .where('provider', '=', 'push-proxy')
        .execute()
    ).length;

  it('answers in-app not eligible without a consumerId, and pushes nothing', async () => {
    const pushes = proxy.requests.length;
    const body = await deflect(t, account, '+14155550170', undefined);
    assert.equal(body.eligible, false);
    assert.equal(body.recommendedChannelName, '');
    assert.deepEqual(body.channels, [
      { name: 'inapp', eligible: false, reason: 'consumer_id_required' },
    ]);
    assert.equal(proxy.requests.length, pushes);
  });

  it('pushes once through the proxy, follows signed receipts, and routes the reply', async () => {
    const consumerId = 'consumer-proxy-1';
    const e = await deflect(t, account, '+14155550171', consumerId);
    assert.equal(e.eligible, true, JSON.stringify(e));
    assert.deepEqual(e.availableChannels, ['inapp']);
    assert.equal(e.recommendedChannelName, 'inapp');
    assert.deepEqual(e.channels, [{ name: 'inapp', eligible: true, reason: 'eligible' }]);

    const tx = await settledTransaction(t, e.callId);
    assert.equal(tx.status, 'sent');
    assert.equal(tx.channel, 'inapp');
    const message = await inviteMessageOf(t, tx.id);
    assert.equal(message.provider, 'push-proxy');
    assert.equal(message.to_address, consumerId);

    const posts = proxy.requests.filter(
      (r) =>
        r.method === 'POST' &&
        (JSON.parse(r.body) as { consumerId?: string }).consumerId === consumerId,
    );
    assert.equal(posts.length, 1);
    const [post] = posts;
    const timestamp = String(post.headers['x-c2m-timestamp']);
    assert.equal(timestamp, String(Math.floor(t.clock.now() / 1000)));
    // computed here again: the proxy must be able to check c2m's signature with the shared secret
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${post.body}`).digest('hex');
    assert.equal(post.headers['x-c2m-signature'], `v1=${expected}`);
    assert.equal(post.headers['x-c2m-delivery'], message.id);
    assert.deepEqual(JSON.parse(post.body), {
      id: message.id,
      accountId: account.accountId,
      consumerId,
      apps: [APP],
      text: TEXT,
      sentAt: new Date(t.clock.now()).toISOString(),
    });
    assert.equal(proxy.delivered.filter((p) => p.consumerId === consumerId).length, 1);
    // the proxy answered with its own id; its receipts name that one
    const ppId = message.provider_message_id;
    assert.match(ppId ?? '', /^pp-\d+$/);

    const deliveredEvent = { type: 'delivered', id: ppId, eventId: `${ppId}-delivered`, at: at() };
    const readEvent = { type: 'read', id: ppId, eventId: `${ppId}-read`, at: at() };
    const res = await proxy.sendReport(webhookUrl, [deliveredEvent]);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 1 });
    assert.equal((await transactionOf(t, e.callId)).status, 'delivered');
    assert.equal((await proxy.sendReport(webhookUrl, [readEvent])).status, 200);
    const read = await transactionOf(t, e.callId);
    assert.equal(read.status, 'read');
    assert.ok(read.delivered_at !== null && read.read_at !== null);

    // the proxy retries a report it thinks was lost: the same event ids change nothing
    const seen = await receipts();
    const replay = await proxy.sendReport(webhookUrl, [deliveredEvent, readEvent]);
    assert.equal(replay.status, 200);
    assert.equal(await receipts(), seen);
    assert.deepEqual(await transactionOf(t, e.callId), read);
    assert.equal((await inviteMessageOf(t, tx.id)).status, 'read');

    const replyEvent = {
      type: 'reply',
      id: ppId,
      eventId: `${ppId}-reply-1`,
      at: at(),
      consumerId,
      text: 'Hi, about my bill',
      appId: APP,
    };
    assert.equal((await proxy.sendReport(webhookUrl, [replyEvent])).status, 200);
    assert.equal((await proxy.sendReport(webhookUrl, [replyEvent])).status, 200); // replayed
    const conversations = await db()
      .selectFrom('conversations')
      .selectAll()
      .where('account_id', '=', account.accountId)
      .where('consumer_id', '=', consumerId)
      .execute();
    assert.equal(conversations.length, 1);
    const [conversation] = conversations;
    assert.equal(conversation.skill, 'billing');
    assert.equal(conversation.channel, 'inapp');
    assert.equal(conversation.deflection, 1);
    assert.equal(conversation.transaction_id, tx.id);
    const context = JSON.parse(conversation.context_json) as Record<string, unknown>;
    assert.equal(context.callId, e.callId);
    assert.equal(context.ivrNumber, '+18005550100');
    assert.equal((await transactionOf(t, e.callId)).status, 'replied');
    const inbound = await db()
      .selectFrom('messages')
      .select(['body', 'from_address'])
      .where('conversation_id', '=', conversation.id)
      .where('direction', '=', 'inbound')
      .execute();
    assert.deepEqual(inbound, [{ body: 'Hi, about my bill', from_address: consumerId }]);
  });

  it('refuses a report signed with another secret, or too old, and stores nothing', async () => {
    const consumerId = 'consumer-proxy-forged';
    const seen = await receipts();
    const forgedReply = [
      {
        type: 'reply',
        id: 'pp-1',
        eventId: 'forged-reply-1',
        at: at(),
        consumerId,
        text: 'let me in',
        appId: APP,
      },
    ];
    const forged = await proxy.sendReport(webhookUrl, forgedReply, {
      secret: 'someone-elses-secret-000',
    });
    assert.equal(forged.status, 401);
    const stale = await proxy.sendReport(webhookUrl, forgedReply, {
      timestamp: Math.floor(t.clock.now() / 1000) - 301,
    });
    assert.equal(stale.status, 401);
    const { headers, body } = proxy.signedReport(forgedReply);
    const tampered = await fetch(webhookUrl, {
      method: 'POST',
      headers,
      body: body.replace('let me in', 'let me out'),
    });
    assert.equal(tampered.status, 401);
    assert.equal(await receipts(), seen);
    const conversations = await db()
      .selectFrom('conversations')
      .select('id')
      .where('consumer_id', '=', consumerId)
      .execute();
    assert.deepEqual(conversations, []);
  });
});

describe('in-app journey through FCM HTTP v1', () => {
  const PROJECT = 'c2m-journey-push';
  const EMAIL = 'c2m-sender@c2m-journey-push.iam.gserviceaccount.com';
  // registration tokens FCM knows; GONE_* are well-formed but answered UNREGISTERED
  const LIVE_1 = 'fcm-live-token-0001:APA91bJourney';
  const LIVE_2 = 'fcm-live-token-0002:APA91bJourney';
  const GONE_1 = 'fcm-gone-token-0003:APA91bUninstalled';
  const GONE_2 = 'fcm-gone-token-0004:APA91bUninstalled';
  const key = newServiceAccountKey();
  let t: TestC2m;
  let google: GoogleFake;
  let account: SeededAccount;
  let token: string;

  before(async () => {
    t = await startTestC2m({ C2M_OUTBOX_MAX_ATTEMPTS: '2' });
    google = await startGoogleFake({
      clientEmail: EMAIL,
      publicKey: key.publicKey,
      projectId: PROJECT,
      agentId: 'unused-agent',
      webhookClientToken: 'unused-client-token',
      now: t.clock.now,
    });
    google.fcmDevices.add(LIVE_1).add(LIVE_2);
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    token = await putInappProvider(t, account, {
      provider: 'fcm',
      projectId: PROJECT,
      clientEmail: EMAIL,
      privateKey: key.privateKey,
      tokenUrl: google.tokenUrl,
      baseUrl: google.url,
    });
  });
  after(async () => {
    await t?.close();
    await google?.close();
  });

  const db = () => t.c2m.deps.db;
  const register = async (consumerId: string, deviceToken: string) => {
    const res = await call(`${t.url}/api/account/${account.accountId}/devices`, {
      method: 'PUT',
      authorization: `Bearer ${token}`,
      body: { consumerId, appId: APP, platform: 'android', token: deviceToken },
    });
    assert.equal(res.status, 204, JSON.stringify(res.body));
  };
  const tokensOf = async (consumerId: string) =>
    (
      await db()
        .selectFrom('devices')
        .select('token')
        .where('account_id', '=', account.accountId)
        .where('consumer_id', '=', consumerId)
        .orderBy('token')
        .execute()
    ).map((d) => d.token);
  const sendsTo = (deviceToken: string) =>
    google
      .requestsTo('fcm')
      .filter(
        (r) => (JSON.parse(r.body) as { message: { token: string } }).message.token === deviceToken,
      );

  it('is not reachable before the app registers a device, then pushes to it', async () => {
    const consumerId = 'consumer-fcm-1';
    const before = await deflect(t, account, '+14155550181', consumerId);
    assert.equal(before.eligible, false);
    assert.deepEqual(before.channels, [
      { name: 'inapp', eligible: false, reason: 'not_reachable' },
    ]);

    await register(consumerId, LIVE_1);
    assert.deepEqual(await tokensOf(consumerId), [LIVE_1]);
    const e = await deflect(t, account, '+14155550181', consumerId);
    assert.equal(e.eligible, true, JSON.stringify(e));
    assert.equal(e.recommendedChannelName, 'inapp');

    const tx = await settledTransaction(t, e.callId);
    assert.equal(tx.status, 'sent', `${tx.error_code}: ${tx.error_message}`);
    const message = await inviteMessageOf(t, tx.id);
    assert.equal(message.provider, 'fcm');
    assert.match(message.provider_message_id ?? '', new RegExp(`^projects/${PROJECT}/messages/`));
    const sends = sendsTo(LIVE_1);
    assert.equal(sends.length, 1);
    const [send] = sends;
    assert.equal(send.path, `/v1/projects/${PROJECT}/messages:send`);
    assert.match(send.headers.authorization ?? '', /^Bearer ya29\./);
    const body = JSON.parse(send.body) as { message: Record<string, unknown> };
    assert.deepEqual(body.message.notification, { body: TEXT });
    assert.deepEqual(body.message.data, {
      c2mMessageId: message.id,
      accountId: account.accountId,
      consumerId,
      appId: APP,
    });
  });

  it('prunes a device FCM answers UNREGISTERED and still reaches the live one', async () => {
    const consumerId = 'consumer-fcm-2';
    await register(consumerId, LIVE_2);
    await register(consumerId, GONE_1);
    const e = await deflect(t, account, '+14155550182', consumerId);
    assert.equal(e.eligible, true, JSON.stringify(e));
    const tx = await settledTransaction(t, e.callId);
    assert.equal(tx.status, 'sent', `${tx.error_code}: ${tx.error_message}`);
    assert.equal(sendsTo(LIVE_2).length, 1);
    assert.equal(sendsTo(GONE_1).length, 1);
    assert.deepEqual(await tokensOf(consumerId), [LIVE_2]);
  });

  it('fails for good when the only device is gone, and the consumer is then unreachable', async () => {
    const consumerId = 'consumer-fcm-3';
    await register(consumerId, GONE_2);
    const e = await deflect(t, account, '+14155550183', consumerId);
    assert.equal(e.eligible, true, JSON.stringify(e));
    const tx = await settledTransaction(t, e.callId);
    assert.deepEqual(
      [tx.status, tx.error_source, tx.error_code],
      ['failed', 'fcm', 'UNREGISTERED'],
    );
    assert.equal(sendsTo(GONE_2).length, 1, 'a gone token is not retried');
    assert.deepEqual(await tokensOf(consumerId), []);
    const again = await deflect(t, account, '+14155550183', consumerId);
    assert.deepEqual(again.channels, [{ name: 'inapp', eligible: false, reason: 'not_reachable' }]);
  });
});
