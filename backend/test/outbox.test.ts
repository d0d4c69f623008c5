// The outbox behind invite, on a real c2m with the sandbox channel: delivery, fallback to the next
// channel, retries then dead letter, no retry of a permanent refusal, and statuses that only move on.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import type { ChannelRegistry } from '../src/modules/providers/channel-registry.js';
import type { SendInput } from '../src/channels/types.js';
import {
  findTransaction,
  moveTransaction,
  type TransactionStatus,
} from '../src/modules/deflection/transactions.repo.js';
import {
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const MAX_ATTEMPTS = 3;
const MOBILE = '+14155550123';
const WHATSAPP_FAILS = '+14155550002';
const ALWAYS_UNAVAILABLE = '+14155550003';
const SMS_REFUSED = '+14155550004';

describe('outbox', () => {
  let t: TestC2m;
  let account: SeededAccount;
  /** Every send the worker hands to a channel adapter, in order. */
  let sends: SendInput[] = [];

  before(async () => {
    t = await startTestC2m({ C2M_OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
    account = await seedAccount(t);
    // watch the provider boundary: count the sends the worker makes, change nothing
    const registry: ChannelRegistry = t.c2m.deps.channels;
    const adapterFor = registry.adapterFor.bind(registry);
    registry.adapterFor = async (accountId, channel) => {
      const adapter = await adapterFor(accountId, channel);
      return {
        ...adapter,
        send: (input) => {
          sends.push(input);
          return adapter.send(input);
        },
      };
    };
  });
  beforeEach(() => {
    sends = [];
  });
  after(() => t?.close());

  const db = () => t.c2m.deps.db;

  /** Eligibility then invite; returns the transaction id. */
  async function invite(phone: string, handoff: 'sms' | 'waSms'): Promise<string> {
    const ivr = ivrClient(t, account);
    const elig = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: account.handoffs[handoff],
    });
    assert.equal(elig.status, 200, JSON.stringify(elig.body));
    const { callId, eligible } = elig.body as EligibilityResponse;
    assert.equal(eligible, true);
    const res = await ivr.invite({ callId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const tx = await db()
      .selectFrom('transactions')
      .select('id')
      .where('call_id', '=', callId)
      .executeTakeFirstOrThrow();
    return tx.id;
  }

  /** Waits for a final status; the clock moves on meanwhile so backed-off retries fall due. */
  const settled = (transactionId: string, status: TransactionStatus, stepMs = 0) =>
    waitFor(async () => {
      t.clock.advance(stepMs);
      const tx = await findTransaction(db(), transactionId);
      return tx?.status === status ? tx : undefined;
    }, `transaction ${transactionId} to be ${status}`);

  const messagesOf = (transactionId: string) =>
    db()
      .selectFrom('messages')
      .selectAll()
      .where('transaction_id', '=', transactionId)
      .orderBy('created_at')
      .execute();

  async function sendJobOf(transactionId: string) {
    const jobs = await db().selectFrom('outbox').selectAll().where('kind', '=', 'send').execute();
    const mine = jobs.filter(
      (j) =>
        (JSON.parse(j.payload_json) as { transactionId: string }).transactionId === transactionId,
    );
    assert.equal(mine.length, 1, 'one send job per transaction');
    return mine[0];
  }

  async function statusHistory(transactionId: string): Promise<string[]> {
    const events = await db()
      .selectFrom('events')
      .select(['type', 'payload_json'])
      .where('transaction_id', '=', transactionId)
      .orderBy('id')
      .execute();
    return events.map((e) =>
      e.type === 'transaction.status_changed'
        ? (JSON.parse(e.payload_json) as { status: string }).status
        : e.type,
    );
  }

  it('stores the sandbox message, and the transaction goes queued → sent → delivered', async () => {
    const id = await invite(MOBILE, 'sms');
    const tx = await settled(id, 'delivered');
    assert.equal(tx.channel, 'sms');
    assert.ok(tx.sent_at !== null && tx.delivered_at !== null);
    assert.ok(tx.sent_at <= tx.delivered_at);
    assert.deepEqual(await statusHistory(id), ['transaction.queued', 'sent', 'delivered']);

    const [message] = await messagesOf(id);
    assert.equal(message.channel, 'sms');
    assert.equal(message.provider, 'sandbox');
    assert.equal(message.direction, 'outbound');
    assert.equal(message.to_address, MOBILE);
    assert.equal(message.from_address, '+15005550006');
    assert.equal(message.body, 'Hi , reply here to chat with us. Reply STOP to opt out.');
    assert.equal(message.status, 'delivered');
    assert.match(message.provider_message_id ?? '', /^SB[0-9a-f]{32}$/);
    assert.equal(sends.length, 1);
    assert.equal((await sendJobOf(id)).status, 'done');
  });

  it('falls back to SMS when WhatsApp refuses for good', async () => {
    const id = await invite(WHATSAPP_FAILS, 'waSms');
    const tx = await settled(id, 'delivered');
    assert.equal(tx.channel, 'sms');
    assert.equal(tx.error_code, null);

    const messages = await messagesOf(id);
    assert.deepEqual(
      messages.map((m) => [m.channel, m.status, m.error_code]),
      [
        ['wa', 'failed', '131026'],
        ['sms', 'delivered', null],
      ],
    );
    assert.equal(messages[0].body, 'Hi , this is us on WhatsApp.');
    assert.deepEqual(
      sends.map((s) => s.channel),
      ['wa', 'sms'],
    );
    assert.deepEqual(await statusHistory(id), [
      'transaction.queued',
      'transaction.channel_failed',
      'sent',
      'delivered',
    ]);
    assert.equal((await sendJobOf(id)).status, 'done');
  });

  it(`retries a transient failure ${MAX_ATTEMPTS} times, then dead-letters and fails the transaction`, async () => {
    const id = await invite(ALWAYS_UNAVAILABLE, 'sms');
    const tx = await settled(id, 'failed', 1000);
    assert.equal(sends.length, MAX_ATTEMPTS);
    assert.ok(
      sends.every((s) => s.messageId === sends[0].messageId),
      'a retry reuses the id',
    );
    assert.equal(tx.error_source, 'sandbox');
    assert.equal(tx.error_code, '503');
    assert.ok(tx.failed_at !== null);

    const job = await sendJobOf(id);
    assert.equal(job.status, 'dead');
    assert.equal(job.attempts, MAX_ATTEMPTS - 1, 'every try but the last was rescheduled');
    assert.match(job.last_error ?? '', /503/);
    assert.deepEqual(
      (await messagesOf(id)).map((m) => [m.status, m.error_code]),
      [['failed', '503']],
    );
  });

  it('does not retry a permanent SMS refusal, and records its source and code', async () => {
    const id = await invite(SMS_REFUSED, 'sms');
    const tx = await settled(id, 'failed');
    assert.equal(sends.length, 1);
    assert.equal(tx.channel, 'sms');
    assert.equal(tx.error_source, 'sandbox');
    assert.equal(tx.error_code, '21610');
    assert.match(tx.error_message ?? '', /unsubscribed/);

    const job = await sendJobOf(id);
    assert.equal(job.status, 'dead');
    assert.equal(job.attempts, 0, 'never rescheduled');
    assert.deepEqual(await statusHistory(id), ['transaction.queued', 'failed']);
  });

  it('never moves a status backwards', async () => {
    const id = await invite(MOBILE, 'sms');
    const delivered = await settled(id, 'delivered');
    const readAt = t.clock.now() + 1;
    assert.equal(await moveTransaction(t.c2m.deps.uow, id, { status: 'read', at: readAt }), true);
    assert.equal(
      await moveTransaction(t.c2m.deps.uow, id, { status: 'delivered', at: readAt + 1 }),
      false,
    );
    assert.equal(
      await moveTransaction(t.c2m.deps.uow, id, { status: 'sent', at: readAt + 2 }),
      false,
    );
    assert.equal(
      await moveTransaction(t.c2m.deps.uow, id, { status: 'failed', at: readAt + 3 }),
      false,
    );
    assert.equal(
      await moveTransaction(t.c2m.deps.uow, id, { status: 'queued', at: readAt + 4 }),
      false,
    );

    const tx = await findTransaction(db(), id);
    assert.equal(tx?.status, 'read');
    assert.equal(tx?.read_at, readAt);
    assert.equal(tx?.delivered_at, delivered.delivered_at);
    assert.equal(tx?.failed_at, null);
    assert.deepEqual(await statusHistory(id), ['transaction.queued', 'sent', 'delivered', 'read']);
  });

  it('keeps a failed transaction failed', async () => {
    const id = await invite(SMS_REFUSED, 'sms');
    await settled(id, 'failed');
    for (const status of ['sent', 'delivered', 'read'] as const) {
      assert.equal(await moveTransaction(t.c2m.deps.uow, id, { status, at: t.clock.now() }), false);
    }
    assert.equal((await findTransaction(db(), id))?.status, 'failed');
  });
});
