// A whole SMS deflection through c2m's real route and pipeline, against a local Twilio that checks
// requests the way Twilio documents them and signs its webhooks with Twilio's own helper library:
// send, status callbacks, the reply routed to the call's skill, STOP / HELP / START, provider
// errors retried or not, and forged callbacks refused.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
import {
  inboundParams,
  startTwilioFake,
  statusParams,
  type TwilioFake,
} from './fakes/twilio-server.js';

const OPT_OUT_TEXT = 'Reply STOP to opt out.';

describe('SMS journey through Twilio', () => {
  let t: TestC2m;
  let twilio: TwilioFake;
  let account: SeededAccount;
  let webhookUrl: string;

  before(async () => {
    twilio = await startTwilioFake();
    t = await startTestC2m({ C2M_OUTBOX_MAX_ATTEMPTS: '3', C2M_PROVIDER_TIMEOUT_MS: '300' });
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const token = await bearerToken(t.url, account.oauth2);
    const put = await call(`${t.url}/api/account/${account.accountId}/providers/sms`, {
      method: 'PUT',
      authorization: `Bearer ${token}`,
      body: {
        provider: 'twilio',
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        baseUrl: twilio.baseUrl,
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    webhookUrl = `${t.url}/webhooks/twilio/${account.accountId}`;
  });
  after(async () => {
    await t?.close();
    await twilio?.close();
  });
  beforeEach(() => {
    twilio.requests.length = 0;
  });

  const db = () => t.c2m.deps.db;
  const creates = () => twilio.requests.filter((r) => r.method === 'POST');

  async function deflect(
    phone: string,
    expectEligible = true,
    inviteToo = expectEligible,
  ): Promise<string> {
    const ivr = ivrClient(t, account);
    const e = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: account.handoffs.sms,
      templateVariables: { 1: 'Ada' },
    });
    assert.equal(e.status, 200, JSON.stringify(e.body));
    const body = e.body as EligibilityResponse;
    assert.equal(body.eligible, expectEligible, JSON.stringify(body));
    if (!inviteToo) return body.callId;
    const i = await ivr.invite({ callId: body.callId });
    assert.equal(i.status, 200, JSON.stringify(i.body));
    return body.callId;
  }

  const transactionOf = (callId: string) =>
    db()
      .selectFrom('transactions')
      .selectAll()
      .where('call_id', '=', callId)
      .executeTakeFirstOrThrow();

  const sidOf = (callId: string) =>
    waitFor(async () => {
      const row = await db()
        .selectFrom('messages')
        .innerJoin('transactions', 'transactions.id', 'messages.transaction_id')
        .select('messages.provider_message_id')
        .where('transactions.call_id', '=', callId)
        .where('messages.status', '!=', 'queued')
        .executeTakeFirst();
      return row?.provider_message_id ?? undefined;
    }, 'the Twilio message SID');

  it('sends through Twilio, follows signed callbacks forward only, and routes the reply', async () => {
    const phone = '+14155550161';
    const callId = await deflect(phone);
    const sid = await sidOf(callId);
    assert.match(sid, /^SM[0-9a-f]{32}$/);
    const [create] = creates();
    assert.equal(create.path, `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    assert.equal(create.form.get('To'), phone);
    assert.equal(create.form.get('From'), '+15005550006');
    assert.equal(create.form.get('Body'), `Hi Ada, reply here to chat with us. ${OPT_OUT_TEXT}`);
    assert.equal(create.form.get('StatusCallback'), webhookUrl);
    assert.equal((await transactionOf(callId)).status, 'sent');

    const callback = (status: string) =>
      twilio.sendWebhook(webhookUrl, statusParams(twilio, sid, status, { To: phone }));
    assert.equal((await callback('sent')).status, 200);
    assert.equal((await callback('delivered')).status, 200);
    assert.equal((await transactionOf(callId)).status, 'delivered');
    // Twilio retries a callback it thinks failed; a stale `sent` arrives late
    assert.equal((await callback('delivered')).status, 200);
    assert.equal((await callback('sent')).status, 200);
    assert.equal((await transactionOf(callId)).status, 'delivered');

    const reply = await twilio.sendWebhook(
      webhookUrl,
      inboundParams(twilio, 'Yes please, about my order', { From: phone }),
    );
    assert.equal(reply.status, 200);
    assert.match(await reply.text(), /<Response>/);
    const conversation = await db()
      .selectFrom('conversations')
      .selectAll()
      .where('consumer_phone', '=', phone)
      .executeTakeFirstOrThrow();
    assert.equal(conversation.skill, 'sales');
    assert.equal(conversation.channel, 'sms');
    assert.equal(conversation.deflection, 1);
    assert.equal((await transactionOf(callId)).status, 'replied');
  });

  it('refuses a callback signed with another token and stores nothing', async () => {
    const phone = '+14155550162';
    const forged = await twilio.sendWebhook(
      webhookUrl,
      inboundParams(twilio, 'STOP', { From: phone }),
      {
        signWith: 'f'.repeat(32),
      },
    );
    assert.equal(forged.status, 401);
    const tampered = await twilio.sendWebhook(
      webhookUrl,
      inboundParams(twilio, 'STOP', { From: phone }),
      { signedParams: inboundParams(twilio, 'hello', { From: phone }) },
    );
    assert.equal(tampered.status, 401);
    assert.deepEqual(
      await db().selectFrom('optouts').selectAll().where('phone', '=', phone).execute(),
      [],
    );
  });

  it('honours STOP, HELP and START sent by SMS, with one confirmation each', async () => {
    const phone = '+14155550163';
    const inbound = (text: string) =>
      twilio.sendWebhook(webhookUrl, inboundParams(twilio, text, { From: phone }));
    const sentTo = () => creates().filter((r) => r.form.get('To') === phone);

    assert.equal((await inbound('  Stop. ')).status, 200);
    await waitFor(() => sentTo().length === 1 || undefined, 'the opt-out confirmation');
    assert.match(sentTo()[0].form.get('Body') ?? '', /unsubscribed/);
    const refused = await deflect(phone, false);
    assert.ok(refused);

    assert.equal((await inbound('help')).status, 200);
    await waitFor(() => sentTo().length === 2 || undefined, 'the help text');
    assert.match(sentTo()[1].form.get('Body') ?? '', /^Account \d+: reply to this message/);

    assert.equal((await inbound('START')).status, 200);
    await waitFor(() => sentTo().length === 3 || undefined, 'the opt-in confirmation');
    assert.match(sentTo()[2].form.get('Body') ?? '', /subscribed again/);
    await deflect(phone, true, false);

    const ledger = await db()
      .selectFrom('optout_ledger')
      .select(['action', 'source'])
      .where('phone', '=', phone)
      .orderBy('id')
      .execute();
    assert.deepEqual(ledger, [
      { action: 'opt_out', source: 'sms:twilio' },
      { action: 'opt_in', source: 'sms:twilio' },
    ]);
  });

  it('retries Twilio 5xx and time-outs, then sends', async () => {
    twilio.script({ status: 500, raw: '<html>oops</html>' }, 'hang');
    const callId = await deflect('+14155550164');
    // the test clock stands still; move it so each backoff comes due
    const ticking = setInterval(() => t.clock.advance(1000), 20);
    await sidOf(callId).finally(() => clearInterval(ticking));
    assert.equal(creates().length, 3);
    assert.equal((await transactionOf(callId)).status, 'sent');
  });

  it('does not retry a Twilio 4xx and records its code on the transaction', async () => {
    twilio.script({
      error: 21610,
      status: 400,
      message: 'Attempt to send to unsubscribed recipient',
    });
    const callId = await deflect('+14155550165');
    const tx = await waitFor(async () => {
      const row = await transactionOf(callId);
      return row.status === 'failed' ? row : undefined;
    }, 'the failed transaction');
    assert.equal(creates().length, 1);
    assert.equal(tx.error_source, 'twilio');
    assert.equal(tx.error_code, '21610');
  });
});
