// The whole deflection journey on the sandbox provider, played from the consumer's phone: invite,
// receipts, the reply that opens a conversation on the right skill, agent messages, close, and
// replies after close and after the lookback. Then the webhook rules every provider shares:
// at-least-once (duplicates ignored), unordered (statuses only move forward), asynchronous
// failures fall back to the next channel, and no receipt within the timeout fails the message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expireUndelivered } from '../src/outbox/jobs/receipt-timeout.js';
import { applyStatus } from '../src/modules/messaging/status.service.js';
import { seedAccount, startTestC2m, waitFor, type SeededAccount, type TestC2m } from './helpers.js';
import {
  accountApi,
  conversationsApi,
  deflect,
  freshPhone,
  sandboxPhone,
  transactionOf,
  type PhoneMessage,
  type SandboxPhone,
} from './sandbox-phone.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const OPT_OUT_LINE = 'Reply STOP to opt out.';
const SDES = [
  { type: 'personal', info: { firstname: 'Ana', language: 'en-US' } },
  { type: 'ctmrinfo', info: { customerId: 'C-1042', cstatus: 'gold' } },
];
// the TestClock moves hours ahead while oauth-1.0a signs with the real time
const LONG_OAUTH_WINDOW = { C2M_OAUTH1_WINDOW_SECONDS: String(30 * 86_400) };

/** The one message c2m sent to this phone that `match` picks, once it is there. */
function arrived(phone: SandboxPhone, what: string, match: (m: PhoneMessage) => boolean) {
  return waitFor(async () => (await phone.received()).find(match), what);
}

describe('sandbox journey', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m(LONG_OAUTH_WINDOW);
  });
  after(() => t?.close());

  const setUp = async () => {
    const account = await seedAccount(t, { permissions: ['ivr', 'conversations'] });
    const api = accountApi(t, account);
    return { account, api, conversations: conversationsApi(api) };
  };

  it('goes from invite to a deflected conversation, agent messages, close and a new conversation', async () => {
    const { account, api, conversations } = await setUp();
    const phone = sandboxPhone(api, freshPhone());

    const { callId } = await deflect(t, account, phone.address, {
      eligibility: { sdes: SDES, templateVariables: { 1: 'Ana' }, ivrNumber: '+18005550100' },
    });

    // the phone shows the invite, filled in and with the opt-out line, delivered by the sandbox
    const invite = await arrived(phone, 'the delivered invite', (m) => m.status === 'delivered');
    assert.equal(invite.text, `Hi Ana, reply here to chat with us. ${OPT_OUT_LINE}`);
    assert.equal(invite.channel, 'sms');
    assert.equal(invite.to, phone.address);
    assert.equal((await phone.received()).length, 1);
    assert.equal((await transactionOf(t, callId)).status, 'delivered');

    assert.equal(await phone.report(invite.id, 'read'), 'applied');
    let tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'read');
    assert.equal(tx.read_at, t.clock.now());
    assert.equal((await phone.received())[0]?.status, 'read');

    t.clock.advance(5 * MINUTE_MS);
    assert.equal(await phone.send('Hi, I have a question about my bill'), 'conversation');

    const open = await conversations.list('open');
    assert.equal(open.length, 1);
    const first = open[0];
    assert.equal(first.skill, 'sales');
    assert.equal(first.deflection, true);
    assert.equal(first.channel, 'sms');
    assert.equal(first.consumerPhoneNumber, phone.address);
    assert.equal(first.handoffId, account.handoffs.sms);
    tx = await transactionOf(t, callId);
    assert.equal(first.transactionId, tx.id);
    assert.deepEqual(first.context, {
      callId,
      transactionId: tx.id,
      handoffId: account.handoffs.sms,
      handoffTitle: `sms ${account.accountId}`,
      ivrNumber: '+18005550100',
      sdes: SDES,
      firstMessage: { id: invite.id, text: invite.text, channel: 'sms', sentAt: invite.createdAt },
    });
    assert.equal(tx.status, 'replied');
    assert.equal(tx.replied_at, t.clock.now());

    let view = await conversations.get(first.id);
    assert.deepEqual(
      view.transcript.map((m) => [m.author, m.text]),
      [
        ['c2m', invite.text],
        ['consumer', 'Hi, I have a question about my bill'],
      ],
    );

    // an agent answers through the API: the phone gets it, the transcript shows it
    const agentMessageId = await conversations.post(first.id, 'Hello Ana, this is Sam.');
    const agentMessage = await arrived(phone, 'the agent message', (m) => m.id === agentMessageId);
    assert.equal(agentMessage.text, 'Hello Ana, this is Sam.');
    assert.equal(agentMessage.channel, 'sms');
    assert.equal(agentMessage.conversationId, first.id);

    assert.equal(await phone.send('Thanks Sam'), 'conversation');
    view = await conversations.get(first.id);
    assert.deepEqual(
      view.transcript.map((m) => [m.author, m.text]),
      [
        ['c2m', invite.text],
        ['consumer', 'Hi, I have a question about my bill'],
        ['agent', 'Hello Ana, this is Sam.'],
        ['consumer', 'Thanks Sam'],
      ],
    );
    assert.deepEqual(
      (await conversations.list('open')).map((c) => c.id),
      [first.id],
    );

    const closed = await conversations.close(first.id);
    assert.equal(closed.status, 'closed');
    assert.equal(closed.closedAt, new Date(t.clock.now()).toISOString());
    assert.deepEqual(await conversations.list('open'), []);
    assert.deepEqual(
      (await conversations.list('closed')).map((c) => c.id),
      [first.id],
    );

    // the same consumer, after close: a new conversation, no longer the deflection's
    t.clock.advance(MINUTE_MS);
    assert.equal(await phone.send('One more thing'), 'conversation');
    const [second] = await conversations.list('open');
    assert.ok(second);
    assert.notEqual(second.id, first.id);
    assert.equal(second.deflection, false);
    assert.equal(second.skill, 'default');
    assert.equal(second.transactionId, null);
    assert.deepEqual(second.context, {});
    assert.deepEqual(
      (await conversations.get(second.id)).transcript.map((m) => [m.author, m.text]),
      [['consumer', 'One more thing']],
    );
    assert.equal((await conversations.get(first.id)).transcript.length, 4);
  });

  it('routes the reply to the overrideSkill of the invite', async () => {
    const { account, api, conversations } = await setUp();
    const phone = sandboxPhone(api, freshPhone());
    const { callId } = await deflect(t, account, phone.address, {
      invite: { overrideSkill: 'billing' },
    });
    await arrived(phone, 'the invite', (m) => m.status === 'delivered');

    assert.equal(await phone.send('hello'), 'conversation');
    const [conversation] = await conversations.list('open');
    assert.equal(conversation?.skill, 'billing');
    assert.equal(conversation.deflection, true);
    assert.equal(conversation.context.callId, callId);
    assert.equal((await transactionOf(t, callId)).status, 'replied');
  });

  it('treats a reply within the lookback as the deflection’s, even near its end', async () => {
    const { account, api, conversations } = await setUp();
    const phone = sandboxPhone(api, freshPhone());
    const { callId } = await deflect(t, account, phone.address);
    await arrived(phone, 'the invite', (m) => m.status === 'delivered');

    t.clock.advance(59 * MINUTE_MS);
    assert.equal(await phone.send('sorry, only saw this now'), 'conversation');
    const [conversation] = await conversations.list('open');
    assert.equal(conversation?.deflection, true);
    assert.equal(conversation.skill, 'sales');
    assert.equal((await transactionOf(t, callId)).status, 'replied');
  });

  it('makes a reply after the lookback an ordinary conversation on the default skill', async () => {
    const { account, api, conversations } = await setUp();
    const phone = sandboxPhone(api, freshPhone());
    const { callId } = await deflect(t, account, phone.address);
    await arrived(phone, 'the invite', (m) => m.status === 'delivered');

    // seedAccount's handoffs look back 60 minutes
    t.clock.advance(61 * MINUTE_MS);
    assert.equal(await phone.send('is anyone there?'), 'conversation');
    const [conversation] = await conversations.list('open');
    assert.equal(conversation?.deflection, false);
    assert.equal(conversation.skill, 'default');
    assert.equal(conversation.transactionId, null);
    assert.equal(conversation.handoffId, null);
    assert.deepEqual(conversation.context, {});
    assert.deepEqual(
      (await conversations.get(conversation.id)).transcript.map((m) => m.author),
      ['consumer'],
    );

    const tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'delivered');
    assert.equal(tx.replied_at, null);
  });
});

describe('provider webhooks: at-least-once and unordered', () => {
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    // receipts come only when a test reports them, as a real phone's would
    t = await startTestC2m({ C2M_SANDBOX_RECEIPT_MS: String(365 * 24 * HOUR_MS) });
    account = await seedAccount(t);
  });
  after(() => t?.close());

  const db = () => t.c2m.deps.db;
  const messageRow = (id: string) =>
    db().selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** An SMS invite the sandbox has accepted (sent) and no receipt has reached yet. */
  async function sentInvite(handoff = account.handoffs.sms) {
    const phone = sandboxPhone(accountApi(t, account), freshPhone());
    const { callId } = await deflect(t, account, phone.address, {
      handoff,
      eligibility: { templateVariables: { 1: 'Ana' } },
    });
    const invite = await arrived(phone, 'the sent invite', (m) => m.status === 'sent');
    return { phone, callId, invite };
  }

  it('ignores a second delivery of the same event id', async () => {
    const { callId, invite } = await sentInvite();
    const { provider_message_id: providerMessageId } = await messageRow(invite.id);
    assert.ok(providerMessageId);
    const report = {
      accountId: account.accountId,
      provider: 'sandbox',
      eventId: `evt-${invite.id}`,
      providerMessageId,
      at: t.clock.now(),
    };

    assert.equal(await applyStatus(t.c2m.deps, { ...report, status: 'delivered' }), 'applied');
    // a retried webhook carries the same event id; what it says is not looked at again
    assert.equal(await applyStatus(t.c2m.deps, { ...report, status: 'read' }), 'duplicate');
    assert.equal((await messageRow(invite.id)).status, 'delivered');
    assert.equal((await transactionOf(t, callId)).status, 'delivered');

    const receipts = await db()
      .selectFrom('webhook_receipts')
      .select('event_id')
      .where('event_id', '=', report.eventId)
      .execute();
    assert.equal(receipts.length, 1);
  });

  it('does not know a provider message id of another account', async () => {
    const { invite } = await sentInvite();
    const other = await seedAccount(t);
    const { provider_message_id: providerMessageId } = await messageRow(invite.id);
    const outcome = await applyStatus(t.c2m.deps, {
      accountId: other.accountId,
      provider: 'sandbox',
      eventId: `evt-other-${invite.id}`,
      providerMessageId: providerMessageId!,
      status: 'read',
      at: t.clock.now(),
    });
    assert.equal(outcome, 'unknown');
    assert.equal((await messageRow(invite.id)).status, 'sent');
  });

  it('keeps read when a late delivered arrives, on the message and the transaction', async () => {
    const { phone, callId, invite } = await sentInvite();
    assert.equal(await phone.report(invite.id, 'delivered'), 'applied');
    const deliveredAt = t.clock.now();
    t.clock.advance(MINUTE_MS);
    assert.equal(await phone.report(invite.id, 'read'), 'applied');
    t.clock.advance(MINUTE_MS);
    assert.equal(await phone.report(invite.id, 'delivered'), 'stale');

    assert.equal((await messageRow(invite.id)).status, 'read');
    const tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'read');
    assert.equal(tx.delivered_at, deliveredAt);
    assert.equal(tx.read_at, deliveredAt + MINUTE_MS);
  });

  it('takes read before delivered (out of order) and then ignores the delivered', async () => {
    const { phone, callId, invite } = await sentInvite();
    assert.equal(await phone.report(invite.id, 'read'), 'applied');
    assert.equal(await phone.report(invite.id, 'delivered'), 'stale');
    assert.equal((await messageRow(invite.id)).status, 'read');
    assert.equal((await transactionOf(t, callId)).status, 'read');
  });

  it('ignores a failure reported after delivery', async () => {
    const { phone, callId, invite } = await sentInvite();
    assert.equal(await phone.report(invite.id, 'delivered'), 'applied');
    assert.equal(
      await phone.report(invite.id, 'failed', { errorCode: '30003', errorMessage: 'unreachable' }),
      'stale',
    );
    const message = await messageRow(invite.id);
    assert.equal(message.status, 'delivered');
    assert.equal(message.error_code, null);
    const tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'delivered');
    assert.equal(tx.error_code, null);
    assert.equal(tx.failed_at, null);
  });

  it('fails the transaction when the only channel fails after the send', async () => {
    const { phone, callId, invite } = await sentInvite();
    assert.equal(
      await phone.report(invite.id, 'failed', {
        errorCode: '30005',
        errorMessage: 'unknown handset',
      }),
      'applied',
    );
    const message = await messageRow(invite.id);
    assert.equal(message.status, 'failed');
    assert.equal(message.error_code, '30005');
    const tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'failed');
    assert.equal(tx.error_source, 'sandbox');
    assert.equal(tx.error_code, '30005');
    assert.equal(tx.error_message, 'unknown handset');
    assert.equal((await phone.received()).length, 1);
  });

  it('falls back to SMS when the WhatsApp message of a waSms invite fails later', async () => {
    const { phone, callId, invite } = await sentInvite(account.handoffs.waSms);
    assert.equal(invite.channel, 'wa');
    assert.equal((await transactionOf(t, callId)).channel, 'wa');

    assert.equal(
      await phone.report(invite.id, 'failed', {
        errorCode: '131026',
        errorMessage: 'Message undeliverable',
      }),
      'applied',
    );
    const sms = await arrived(phone, 'the SMS fallback', (m) => m.channel === 'sms');
    assert.equal(sms.status, 'sent');
    assert.equal(sms.text, `Hi Ana, reply here to chat with us. ${OPT_OUT_LINE}`);
    const wa = (await phone.received()).find((m) => m.id === invite.id);
    assert.equal(wa?.status, 'failed');
    assert.equal(wa.errorCode, '131026');

    let tx = await transactionOf(t, callId);
    assert.equal(tx.channel, 'sms');
    assert.equal(tx.status, 'sent');
    const [fallback] = await db()
      .selectFrom('events')
      .select('payload_json')
      .where('transaction_id', '=', tx.id)
      .where('type', '=', 'transaction.channel_failed')
      .execute();
    assert.deepEqual(
      (JSON.parse(fallback.payload_json) as { channel: string; next: string }).next,
      'sms',
    );

    // a late receipt of the failed WhatsApp message changes nothing; the SMS's own does
    assert.equal(await phone.report(invite.id, 'delivered'), 'stale');
    assert.equal(await phone.report(sms.id, 'delivered'), 'applied');
    tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'delivered');
    assert.equal(tx.channel, 'sms');
    assert.equal((await phone.received()).length, 2);
  });

  it('fails a message with no receipt within the account’s timeout, with the reason', async () => {
    const { callId, invite } = await sentInvite();
    const sentAt = (await messageRow(invite.id)).updated_at;

    await expireUndelivered(t.c2m.deps, sentAt + 71 * HOUR_MS);
    assert.equal((await messageRow(invite.id)).status, 'sent');
    assert.equal((await transactionOf(t, callId)).status, 'sent');

    const now = sentAt + 73 * HOUR_MS;
    await expireUndelivered(t.c2m.deps, now);
    const message = await messageRow(invite.id);
    assert.equal(message.status, 'failed');
    assert.equal(message.error_message, 'no delivery receipt within 72 h');
    const tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'failed');
    assert.equal(tx.error_source, 'c2m');
    assert.equal(tx.error_message, 'no delivery receipt within 72 h');
    assert.equal(tx.failed_at, now);
  });

  it('uses the account’s own receipt timeout when it has one', async () => {
    const { callId, invite } = await sentInvite();
    await db()
      .updateTable('accounts')
      .set({ receipt_timeout_hours: 2 })
      .where('id', '=', account.accountId)
      .execute();
    try {
      const sentAt = (await messageRow(invite.id)).updated_at;
      await expireUndelivered(t.c2m.deps, sentAt + 3 * HOUR_MS);
      const message = await messageRow(invite.id);
      assert.equal(message.status, 'failed');
      assert.equal(message.error_message, 'no delivery receipt within 2 h');
      assert.equal((await transactionOf(t, callId)).status, 'failed');
    } finally {
      await db()
        .updateTable('accounts')
        .set({ receipt_timeout_hours: 72 })
        .where('id', '=', account.accountId)
        .execute();
    }
  });
});

describe('sandbox numbers that fail every send', () => {
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    t = await startTestC2m(LONG_OAUTH_WINDOW);
    account = await seedAccount(t);
  });
  after(() => t?.close());

  it('never shows the phone a message the provider never took (…0003)', async () => {
    const phone = sandboxPhone(accountApi(t, account), '+14155550003');
    const { callId } = await deflect(t, account, phone.address);
    const seen: PhoneMessage[] = [];
    const tx = await waitFor(async () => {
      seen.push(...(await phone.all())); // while it is retried, too
      t.clock.advance(MINUTE_MS); // each retry's backoff is due
      const row = await transactionOf(t, callId);
      return row.status === 'failed' ? row : undefined;
    }, 'the transaction to fail after its retries');
    assert.equal(tx.error_code, '503');
    assert.deepEqual(seen, []);
    assert.deepEqual(await phone.all(), []);
    // the contact center still sees the attempt and why it failed
    const stored = await t.c2m.deps.db
      .selectFrom('messages')
      .select(['status', 'error_code'])
      .where('transaction_id', '=', tx.id)
      .execute();
    assert.deepEqual(stored, [{ status: 'failed', error_code: '503' }]);
  });
});
