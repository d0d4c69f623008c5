// A whole WhatsApp deflection through c2m's real route and pipeline, against a local stand-in for
// Meta's Cloud API: template send, signed status webhooks (duplicated and out of order), the
// consumer's reply opening a conversation on the call's skill, an agent's free-text answer, and
// the fallback to SMS when WhatsApp refuses at send time or later.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import { newHandoffId } from '../src/ids.js';
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
  NUMBER,
  SECRETS,
  TEMPLATES,
  startMeta,
  whatsAppSettings,
} from './fakes/whatsapp-fixtures.js';
import { delivery, message, messagesValue, status, text } from './fakes/whatsapp-payloads.js';
import type { FakeWhatsApp } from './fakes/whatsapp-server.js';

describe('WhatsApp journey through the Cloud API', () => {
  let t: TestC2m;
  let meta: FakeWhatsApp;
  let account: SeededAccount;
  let handoffId: string;
  let webhookUrl: string;
  let token: string;

  before(async () => {
    meta = await startMeta(TEMPLATES);
    t = await startTestC2m({ C2M_OUTBOX_MAX_ATTEMPTS: '2' });
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    handoffId = newHandoffId();
    await insertHandoff(t.c2m.deps, {
      id: handoffId,
      accountId: account.accountId,
      title: 'WhatsApp then SMS',
      active: true,
      lookbackMinutes: 24 * 60,
      now: t.clock.now(),
      channels: [
        {
          name: 'wa',
          enabled: true,
          message: 'Hi {{1}}, {{2}} here on WhatsApp.',
          templateName: 'call_followup',
          templateLanguage: 'en_US',
        },
        {
          name: 'sms',
          enabled: true,
          message: 'Hi {{1}}, {{2}} here by SMS.',
          defaults: { '1': 'there', '2': 'Acme' },
        },
      ],
    });
    token = await bearerToken(t.url, account.oauth2);
    const put = await call(`${t.url}/api/account/${account.accountId}/providers/wa`, {
      method: 'PUT',
      authorization: `Bearer ${token}`,
      body: whatsAppSettings(meta.url),
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    webhookUrl = `${t.url}/webhooks/whatsapp-cloud/${account.accountId}`;
  });
  after(async () => {
    await t?.close();
    await meta?.close();
  });

  const db = () => t.c2m.deps.db;

  async function deflect(phone: string): Promise<string> {
    const ivr = ivrClient(t, account);
    const e = await ivr.eligibility({
      skill: 'billing',
      consumerPhoneNumber: phone,
      handoffId,
      templateVariables: { 1: 'Ada', 2: 'Acme' },
      ivrNumber: '+18005550100',
    });
    assert.equal(e.status, 200, JSON.stringify(e.body));
    const { callId, availableChannels } = e.body as EligibilityResponse;
    assert.deepEqual(availableChannels, ['wa', 'sms']);
    const i = await ivr.invite({ callId });
    assert.equal(i.status, 200, JSON.stringify(i.body));
    return callId;
  }

  const transactionOf = (callId: string) =>
    db()
      .selectFrom('transactions')
      .selectAll()
      .where('call_id', '=', callId)
      .executeTakeFirstOrThrow();

  const statusDelivery = (wamid: string, state: 'sent' | 'delivered' | 'read', digits: string) =>
    delivery(NUMBER.wabaId, [
      messagesValue(NUMBER, { statuses: [status(wamid, state, digits, Date.now())] }),
    ]);

  it('refuses a webhook body nested deeper than 32 levels, naming the field', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"object":"whatsapp_business_account","entry":${deep}}`,
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /entry: nested deeper than 32 levels/);
  });

  it('answers the subscription handshake with the challenge, and refuses a wrong token', async () => {
    const ok = await meta.handshake(webhookUrl, SECRETS.verifyToken);
    assert.equal(ok.status, 200);
    assert.equal(ok.body, ok.challenge);
    const wrong = await meta.handshake(webhookUrl, 'not-the-token');
    assert.equal(wrong.status, 403);
  });

  it('sends the template, follows signed statuses forward only, and routes the reply', async () => {
    const phone = '+14155550142';
    const digits = phone.slice(1);
    const callId = await deflect(phone);
    const sent = await waitFor(() => meta.sent.find((m) => m.to === digits), 'the template send');
    assert.equal(sent.template, 'call_followup');
    assert.equal(sent.language, 'en_US');
    assert.deepEqual(sent.parameters, ['Ada', 'Acme']);
    const wamid = await waitFor(async () => {
      const m = await db()
        .selectFrom('messages')
        .select('provider_message_id')
        .where('provider', '=', 'whatsapp-cloud')
        .where('to_address', '=', phone)
        .executeTakeFirst();
      return m?.provider_message_id ?? undefined;
    }, 'the stored wamid');
    assert.equal((await transactionOf(callId)).status, 'sent');

    for (const state of ['delivered', 'read'] as const) {
      const res = await meta.deliver(webhookUrl, statusDelivery(wamid, state, digits));
      assert.equal(res.status, 200, res.body);
      assert.equal((await transactionOf(callId)).status, state);
    }
    // a late `delivered` and a duplicate `read` change nothing
    await meta.deliver(webhookUrl, statusDelivery(wamid, 'delivered', digits));
    await meta.deliver(webhookUrl, statusDelivery(wamid, 'read', digits));
    const afterLate = await transactionOf(callId);
    assert.equal(afterLate.status, 'read');
    assert.ok(afterLate.delivered_at !== null && afterLate.read_at !== null);

    const reply = delivery(NUMBER.wabaId, [
      messagesValue(NUMBER, {
        messages: [message(digits, 'wamid.INBOUND1', Date.now(), text('Hi, about my bill'))],
      }),
    ]);
    assert.equal((await meta.deliver(webhookUrl, reply)).status, 200);
    assert.equal((await meta.deliver(webhookUrl, reply)).status, 200); // redelivered by Meta
    const conversations = await db()
      .selectFrom('conversations')
      .selectAll()
      .where('consumer_phone', '=', phone)
      .execute();
    assert.equal(conversations.length, 1);
    const [conversation] = conversations;
    assert.equal(conversation.skill, 'billing');
    assert.equal(conversation.channel, 'wa');
    assert.equal(conversation.deflection, 1);
    const context = JSON.parse(conversation.context_json) as Record<string, unknown>;
    assert.equal(context.callId, callId);
    assert.equal(context.ivrNumber, '+18005550100');
    assert.equal((await transactionOf(callId)).status, 'replied');
    const inbound = await db()
      .selectFrom('messages')
      .select('body')
      .where('conversation_id', '=', conversation.id)
      .where('direction', '=', 'inbound')
      .execute();
    assert.deepEqual(inbound, [{ body: 'Hi, about my bill' }]);

    // the agent answers in free text, inside the window the reply opened
    const agent = await call(
      `${t.url}/api/account/${account.accountId}/conversations/${conversation.id}/messages`,
      { authorization: `Bearer ${token}`, body: { text: 'Hello Ada, let me look.' } },
    );
    assert.equal(agent.status, 202, JSON.stringify(agent.body));
    const answer = await waitFor(
      () => meta.sent.find((m) => m.to === digits && m.text === 'Hello Ada, let me look.'),
      'the agent message at Meta',
    );
    assert.equal(answer.template, '');
  });

  it('refuses a delivery with a bad signature and stores nothing', async () => {
    const before = await db().selectFrom('webhook_receipts').select('event_id').execute();
    const forged = delivery(NUMBER.wabaId, [
      messagesValue(NUMBER, {
        messages: [message('14155550143', 'wamid.FORGED', Date.now(), text('STOP'))],
      }),
    ]);
    const res = await meta.deliver(webhookUrl, forged, { secret: 'not-the-app-secret' });
    assert.equal(res.status, 401);
    const afterForged = await db().selectFrom('webhook_receipts').select('event_id').execute();
    assert.equal(afterForged.length, before.length);
    const optouts = await db().selectFrom('optouts').selectAll().execute();
    assert.deepEqual(optouts, []);
  });

  it('falls back to SMS when WhatsApp refuses the send (131026)', async () => {
    const phone = '+14155550144';
    meta.script(phone.slice(1), 'not_on_whatsapp');
    const callId = await deflect(phone);
    const tx = await waitFor(async () => {
      const row = await transactionOf(callId);
      return row.channel === 'sms' && row.status === 'delivered' ? row : undefined;
    }, 'the SMS fallback delivered');
    const messages = await db()
      .selectFrom('messages')
      .select(['channel', 'status', 'error_code', 'body'])
      .where('transaction_id', '=', tx.id)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      messages.map((m) => [m.channel, m.status, m.error_code]),
      [
        ['wa', 'failed', '131026'],
        ['sms', 'delivered', null],
      ],
    );
    assert.match(messages[1].body, /^Hi Ada, Acme here by SMS\./);
  });

  it('falls back to SMS when a failed status arrives after the send', async () => {
    const phone = '+14155550145';
    const digits = phone.slice(1);
    const callId = await deflect(phone);
    const wamid = await waitFor(async () => {
      const m = await db()
        .selectFrom('messages')
        .select('provider_message_id')
        .where('to_address', '=', phone)
        .where('channel', '=', 'wa')
        .executeTakeFirst();
      return m?.provider_message_id ?? undefined;
    }, 'the wamid');
    const failed = delivery(NUMBER.wabaId, [
      messagesValue(NUMBER, {
        statuses: [
          status(wamid, 'failed', digits, Date.now(), {
            code: 131026,
            title: 'Message undeliverable',
            details: 'Message Undeliverable.',
          }),
        ],
      }),
    ]);
    assert.equal((await meta.deliver(webhookUrl, failed)).status, 200);
    const tx = await waitFor(async () => {
      const row = await transactionOf(callId);
      return row.channel === 'sms' && row.status === 'delivered' ? row : undefined;
    }, 'the SMS fallback after the async failure');
    assert.equal(tx.error_code, null);
  });

  it('fills the template from the values the handoff was saved with when the IVR gives none', async () => {
    const now = t.clock.now();
    await db()
      .insertInto('templates')
      .values({
        id: 'tpl-followup',
        account_id: account.accountId,
        name: 'call_followup',
        category: 'UTILITY',
        language: 'en_US',
        waba_id: NUMBER.wabaId,
        phone_number: '+15550783881',
        body: 'Hi {{1}}, {{2}} here on WhatsApp.',
        examples_json: JSON.stringify(['Ada', 'Acme']),
        status: 'approved',
        status_reason: null,
        provider_template_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const saved = newHandoffId();
    await insertHandoff(t.c2m.deps, {
      id: saved,
      accountId: account.accountId,
      title: 'WhatsApp with saved values',
      active: true,
      lookbackMinutes: 60,
      now,
      channels: [
        {
          name: 'wa',
          enabled: true,
          message: 'Hi Grace, Initech here on WhatsApp.',
          templateName: 'call_followup',
          templateLanguage: 'en_US',
        },
      ],
    });
    const phone = '+14155550146';
    const ivr = ivrClient(t, account);
    const e = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: saved,
    });
    const { callId } = e.body as EligibilityResponse;
    assert.equal((await ivr.invite({ callId })).status, 200);
    const sent = await waitFor(() => meta.sent.find((m) => m.to === phone.slice(1)), 'the send');
    assert.deepEqual(sent.parameters, ['Grace', 'Initech']);
  });
});
