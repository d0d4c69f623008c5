// A whole RCS deflection through c2m's real routes and pipeline, against a local stand-in for
// Google's RCS Business Messaging API and token endpoint: the capability check that makes RCS the
// recommended channel (or not), the agent message keyed by our message id, RBM's signed receipts
// and user messages, its one-time webhook verification, forged deliveries refused, and the
// fallback to SMS when RBM no longer reaches the phone at send time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { EligibilityResponse } from '../contract/deflection.js';
import { newHandoffId } from '../src/ids.js';
import {
  DEFAULT_ACCOUNT_CHANNELS,
  updateAccountSettings,
} from '../src/modules/accounts/accounts.repo.js';
import { insertHandoff } from '../src/modules/handoffs/handoffs.repo.js';
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
import {
  newServiceAccountKey,
  rbmUserEvent,
  rbmUserMessage,
  startGoogleFake,
  type GoogleFake,
} from './fakes/google-server.js';

const AGENT = 'acme-support-agent@rbm.goog';
const EMAIL = 'rbm-sender@acme-rbm.iam.gserviceaccount.com';
const CLIENT_TOKEN = 'SJENCPGJESMGUFPY-acme';
const RCS_TEXT = 'Hi Ada, chat with us here on RCS.';
const SMS_TEXT = 'Hi Ada, reply here by SMS. Reply STOP to opt out.';

describe('RCS journey through RCS Business Messaging', () => {
  const key = newServiceAccountKey();
  let t: TestC2m;
  let google: GoogleFake;
  let account: SeededAccount;
  let handoffId: string;
  let webhookUrl: string;

  before(async () => {
    t = await startTestC2m({ C2M_OUTBOX_MAX_ATTEMPTS: '2' });
    google = await startGoogleFake({
      clientEmail: EMAIL,
      publicKey: key.publicKey,
      projectId: 'unused-project',
      agentId: AGENT,
      webhookClientToken: CLIENT_TOKEN,
      now: t.clock.now,
    });
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    // RCS is off for a new account: this brand has launched an RBM agent
    await updateAccountSettings(t.c2m.deps, account.accountId, {
      channels: DEFAULT_ACCOUNT_CHANNELS.map((c) =>
        c.name === 'rcs' ? { ...c, enabled: true } : c,
      ),
    });
    handoffId = newHandoffId();
    await insertHandoff(t.c2m.deps, {
      id: handoffId,
      accountId: account.accountId,
      title: 'RCS then SMS',
      active: true,
      lookbackMinutes: 60,
      now: t.clock.now(),
      channels: [
        {
          name: 'rcs',
          enabled: true,
          message: 'Hi {{1}}, chat with us here on RCS.',
          defaults: { '1': 'there' },
        },
        {
          name: 'sms',
          enabled: true,
          message: 'Hi {{1}}, reply here by SMS.',
          defaults: { '1': 'there' },
          outboundNumber: '+15005550006',
        },
      ],
    });
    const token = await bearerToken(t.url, account.oauth2);
    const put = await call(`${t.url}/api/account/${account.accountId}/providers/rcs`, {
      method: 'PUT',
      authorization: `Bearer ${token}`,
      body: {
        provider: 'rbm',
        agentId: AGENT,
        clientEmail: EMAIL,
        privateKey: key.privateKey,
        webhookClientToken: CLIENT_TOKEN,
        tokenUrl: google.tokenUrl,
        baseUrl: google.url,
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    webhookUrl = `${t.url}/webhooks/rbm/${account.accountId}`;
  });
  after(async () => {
    await t?.close();
    await google?.close();
  });

  const db = () => t.c2m.deps.db;
  const now = () => new Date(t.clock.now()).toISOString();

  async function eligibility(phone: string): Promise<EligibilityResponse> {
    const e = await ivrClient(t, account).eligibility({
      skill: 'billing',
      consumerPhoneNumber: phone,
      handoffId,
      templateVariables: { 1: 'Ada' },
      ivrNumber: '+18005550100',
    });
    assert.equal(e.status, 200, JSON.stringify(e.body));
    return e.body as EligibilityResponse;
  }
  async function invite(callId: string): Promise<void> {
    const i = await ivrClient(t, account).invite({ callId });
    assert.equal(i.status, 200, JSON.stringify(i.body));
  }

  const transactionOf = (callId: string) =>
    db()
      .selectFrom('transactions')
      .selectAll()
      .where('call_id', '=', callId)
      .executeTakeFirstOrThrow();
  const outboundOf = (transactionId: string) =>
    db()
      .selectFrom('messages')
      .selectAll()
      .where('transaction_id', '=', transactionId)
      .where('direction', '=', 'outbound')
      // the frozen clock stamps both sends alike: storage order is send order
      .orderBy(sql`rowid`)
      .execute();
  const event = (phone: string, eventType: string, messageId: string) => ({
    ...rbmUserEvent({ phone, eventType, messageId, agentId: AGENT }),
    sendTime: now(),
  });

  it("answers RBM's one-time verification with the secret, for our clientToken only", async () => {
    const ok = await google.sendRbmVerification(webhookUrl, '8675309');
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await ok.text(), '8675309');
    const other = await google.sendRbmVerification(webhookUrl, '8675309', 'SOMEONEELSESTOKEN');
    assert.equal(other.status, 401);
    assert.doesNotMatch(await other.text(), /8675309/);
  });

  it('recommends RCS for a capable phone and SMS for one RBM cannot reach', async () => {
    const capable = '+14155550191';
    const smsOnly = '+14155550192';
    google.rcsPhones.add(capable);

    const yes = await eligibility(capable);
    assert.equal(yes.eligible, true);
    assert.deepEqual(yes.availableChannels, ['rcs', 'sms']);
    assert.equal(yes.recommendedChannelName, 'rcs');
    assert.deepEqual(yes.channels, [
      { name: 'rcs', eligible: true, reason: 'eligible' },
      { name: 'sms', eligible: true, reason: 'eligible' },
    ]);
    const asked = google.requestsTo('capabilities').filter((r) => r.path.includes(capable));
    assert.equal(asked.length, 1);
    assert.equal(asked[0].query.get('agentId'), AGENT);

    const no = await eligibility(smsOnly);
    assert.equal(no.eligible, true);
    assert.deepEqual(no.availableChannels, ['sms']);
    assert.equal(no.recommendedChannelName, 'sms');
    assert.deepEqual(no.channels, [
      { name: 'rcs', eligible: false, reason: 'not_reachable' },
      { name: 'sms', eligible: true, reason: 'eligible' },
    ]);
  });

  it('sends the agent message, follows signed receipts, and routes the reply', async () => {
    const phone = '+14155550193';
    google.rcsPhones.add(phone);
    const e = await eligibility(phone);
    assert.equal(e.recommendedChannelName, 'rcs');
    await invite(e.callId);

    const tx = await waitFor(async () => {
      const row = await transactionOf(e.callId);
      return row.status === 'queued' ? undefined : row;
    }, 'the RCS send');
    assert.deepEqual([tx.status, tx.channel], ['sent', 'rcs']);
    const [message] = await outboundOf(tx.id);
    assert.equal(message.provider, 'rbm');
    // RBM keys the message by the id we give it, and its receipts name that id
    assert.equal(message.provider_message_id, message.id);
    const sends = google.requestsTo('agentMessages').filter((r) => r.path.includes(phone));
    assert.equal(sends.length, 1);
    assert.equal(sends[0].path, `/v1/phones/${phone}/agentMessages`);
    assert.equal(sends[0].query.get('messageId'), message.id);
    assert.equal(sends[0].query.get('agentId'), AGENT);
    assert.deepEqual(JSON.parse(sends[0].body), { contentMessage: { text: RCS_TEXT } });
    assert.ok(google.agentMessageIds.has(message.id));

    for (const [eventType, status] of [
      ['DELIVERED', 'delivered'],
      ['READ', 'read'],
    ] as const) {
      const res = await google.sendRbmWebhook(webhookUrl, event(phone, eventType, message.id));
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal((await transactionOf(e.callId)).status, status);
    }
    // RBM's typing indicator is no receipt of ours
    const typing = await google.sendRbmWebhook(webhookUrl, event(phone, 'IS_TYPING', message.id));
    assert.equal(typing.status, 200);
    const read = await transactionOf(e.callId);
    assert.equal(read.status, 'read');
    assert.ok(read.delivered_at !== null && read.read_at !== null);

    const reply = {
      ...rbmUserMessage({ phone, text: 'Hi, about my bill', agentId: AGENT }),
      sendTime: now(),
    };
    assert.equal((await google.sendRbmWebhook(webhookUrl, reply)).status, 200);
    assert.equal((await google.sendRbmWebhook(webhookUrl, reply)).status, 200); // redelivered
    const conversations = await db()
      .selectFrom('conversations')
      .selectAll()
      .where('account_id', '=', account.accountId)
      .where('consumer_phone', '=', phone)
      .execute();
    assert.equal(conversations.length, 1);
    const [conversation] = conversations;
    assert.equal(conversation.skill, 'billing');
    assert.equal(conversation.channel, 'rcs');
    assert.equal(conversation.deflection, 1);
    assert.equal(conversation.transaction_id, tx.id);
    const context = JSON.parse(conversation.context_json) as Record<string, unknown>;
    assert.equal(context.callId, e.callId);
    assert.equal(context.ivrNumber, '+18005550100');
    assert.equal((await transactionOf(e.callId)).status, 'replied');
    const inbound = await db()
      .selectFrom('messages')
      .select('body')
      .where('conversation_id', '=', conversation.id)
      .where('direction', '=', 'inbound')
      .execute();
    assert.deepEqual(inbound, [{ body: 'Hi, about my bill' }]);
  });

  it('refuses a forged or tampered delivery and stores nothing', async () => {
    const phone = '+14155550194';
    const receipts = async () =>
      (await db().selectFrom('webhook_receipts').select('event_id').execute()).length;
    const seen = await receipts();
    const stop = { ...rbmUserMessage({ phone, text: 'STOP', agentId: AGENT }), sendTime: now() };
    const forged = await google.sendRbmWebhook(webhookUrl, stop, {
      clientToken: 'NOTTHEAGENTSCLIENTTOKEN',
    });
    assert.equal(forged.status, 401);
    const tampered = await google.sendRbmWebhook(
      webhookUrl,
      { ...stop, text: 'hello' },
      {
        tamper: (envelope) => {
          envelope.message.data = Buffer.from(JSON.stringify(stop)).toString('base64');
        },
      },
    );
    assert.equal(tampered.status, 401);
    const unsigned = await google.sendRbmWebhook(webhookUrl, stop, { signature: null });
    assert.equal(unsigned.status, 401);
    assert.equal(await receipts(), seen);
    assert.deepEqual(
      await db().selectFrom('optouts').selectAll().where('phone', '=', phone).execute(),
      [],
    );
    assert.deepEqual(
      await db()
        .selectFrom('conversations')
        .select('id')
        .where('consumer_phone', '=', phone)
        .execute(),
      [],
    );
  });

  it('falls back to SMS when RBM no longer reaches the phone at send time (404)', async () => {
    const phone = '+14155550195';
    google.rcsPhones.add(phone);
    const e = await eligibility(phone);
    assert.equal(e.recommendedChannelName, 'rcs');
    // between the capability check and the send, the phone turned RCS off
    google.rcsPhones.delete(phone);
    await invite(e.callId);

    const tx = await waitFor(async () => {
      const row = await transactionOf(e.callId);
      return row.channel === 'sms' && row.status === 'delivered' ? row : undefined;
    }, 'the SMS fallback delivered');
    const messages = await outboundOf(tx.id);
    assert.deepEqual(
      messages.map((m) => [m.channel, m.provider, m.status, m.error_code]),
      [
        ['rcs', 'rbm', 'failed', 'NOT_FOUND'],
        ['sms', 'sandbox', 'delivered', null],
      ],
    );
    // the sandbox keeps what it "sent", for the phone simulator to show
    assert.equal(messages[1].body, SMS_TEXT);
    assert.equal(messages[1].to_address, phone);
    assert.equal(messages[1].from_address, '+15005550006');
    const sends = google.requestsTo('agentMessages').filter((r) => r.path.includes(phone));
    assert.equal(sends.length, 1, 'a 404 is final: not retried');
  });
});
