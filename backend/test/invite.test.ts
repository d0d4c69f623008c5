// POST /api/account/:accountId/invite?v=2.0 against a real c2m: the answer, each documented error,
// the overrides, and that an invite sends once however often it is repeated.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import type { IvrErrorBody } from '../contract/errors.js';
import { optOut } from '../src/modules/optouts/optouts.repo.js';
import {
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type ApiResponse,
  type TestC2m,
} from './helpers.js';

const MOBILE = '+14155550123';
const NOT_ON_WHATSAPP = '+14155550001';
const UNREACHABLE = '+14155550000';
const OPT_OUT_TEXT = 'Reply STOP to opt out.';

describe('invite', () => {
  let t: TestC2m;

  before(async () => {
    // the expiry test moves the clock past the TTL; keep OAuth 1.0a timestamps (real time) valid
    t = await startTestC2m({ C2M_OAUTH1_WINDOW_SECONDS: String(3 * 86_400) });
  });
  after(() => t?.close());

  async function setUp() {
    const account = await seedAccount(t);
    const ivr = ivrClient(t, account);
    /** An eligibility call that must succeed; returns its answer. */
    const eligibility = async (over: Record<string, unknown> = {}, headers = {}) => {
      const res = await ivr.eligibility(
        { skill: 'sales', consumerPhoneNumber: MOBILE, handoffId: account.handoffs.sms, ...over },
        headers,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as EligibilityResponse;
    };
    return { account, ivr, eligibility };
  }

  const db = () => t.c2m.deps.db;

  const transactionsOf = (callId: string) =>
    db().selectFrom('transactions').selectAll().where('call_id', '=', callId).execute();

  async function messagesOf(callId: string) {
    return db()
      .selectFrom('messages')
      .innerJoin('transactions', 'transactions.id', 'messages.transaction_id')
      .select([
        'messages.channel',
        'messages.body',
        'messages.status',
        'messages.to_address',
        'messages.transaction_id',
      ])
      .where('transactions.call_id', '=', callId)
      .execute();
  }

  const callsOf = (accountId: string) =>
    db().selectFrom('calls').select('id').where('account_id', '=', accountId).execute();

  async function sendJobsOf(transactionId: string) {
    const jobs = await db().selectFrom('outbox').selectAll().where('kind', '=', 'send').execute();
    return jobs.filter(
      (j) =>
        (JSON.parse(j.payload_json) as { transactionId: string }).transactionId === transactionId,
    );
  }

  /** The one message of this call, once the worker has stored it. */
  const sentMessage = (callId: string) =>
    waitFor(async () => (await messagesOf(callId))[0], `the message of call ${callId}`);

  function expectError(res: ApiResponse, status: number, errorCode: number, message?: RegExp) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    const body = res.body as IvrErrorBody;
    assert.equal(body.errorCode, errorCode, body.errorMessage);
    if (message) assert.match(body.errorMessage, message);
  }

  async function assertNothingSent(callId: string) {
    assert.deepEqual(await transactionsOf(callId), []);
    assert.deepEqual(await messagesOf(callId), []);
  }

  it('answers {callId} and records the transaction and a queued send in one go', async () => {
    const { account, ivr, eligibility } = await setUp();
    const { callId } = await eligibility({ ivrNumber: '+18005550100' });
    const res = await ivr.invite({ callId });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { callId });

    const [tx] = await transactionsOf(callId);
    assert.equal(tx.account_id, account.accountId);
    assert.equal(tx.handoff_id, account.handoffs.sms);
    assert.equal(tx.skill, 'sales');
    assert.equal(tx.channel, 'sms');
    assert.equal(tx.consumer_phone, MOBILE);
    assert.equal(tx.ivr_number, '+18005550100');
    assert.equal(tx.invited_at, t.clock.now());
    assert.deepEqual(JSON.parse(tx.consent_json), {
      source: 'ivr',
      callId,
      ivrNumber: '+18005550100',
      eligibilityAt: tx.eligible_at,
      invitedAt: tx.invited_at,
    });
    assert.equal((await sendJobsOf(tx.id)).length, 1);
  });

  it('does not know an unknown callId, nor another account’s', async () => {
    const { ivr } = await setUp();
    const other = await setUp();
    expectError(await ivr.invite({ callId: crypto.randomUUID() }), 404, 1004);

    const { callId } = await other.eligibility();
    const res = await ivr.invite({ callId });
    expectError(res, 404, 1004);
    assert.doesNotMatch(JSON.stringify(res.body), new RegExp(other.account.accountId));
    await assertNothingSent(callId);
  });

  it('refuses a call whose callId has expired', async () => {
    const { ivr, eligibility } = await setUp();
    const { callId } = await eligibility();
    t.clock.advance(3600 * 1000 + 1);
    expectError(await ivr.invite({ callId }), 400, 1401, /expired/);
    await assertNothingSent(callId);
  });

  it('refuses a call that was not eligible with 1400', async () => {
    const { ivr, eligibility } = await setUp();
    const { callId, eligible } = await eligibility({ consumerPhoneNumber: UNREACHABLE });
    assert.equal(eligible, false);
    expectError(await ivr.invite({ callId }), 400, 1400);
    await assertNothingSent(callId);
  });

  it('refuses a number that opted out after eligibility, and sends nothing', async () => {
    const { account, ivr, eligibility } = await setUp();
    const { callId, eligible } = await eligibility();
    assert.equal(eligible, true);
    await optOut(t.c2m.deps.uow, {
      accountId: account.accountId,
      phone: MOBILE,
      source: 'sms',
      keyword: 'STOP',
      now: t.clock.now(),
    });
    expectError(await ivr.invite({ callId }), 400, 1400, /opted out/);
    await assertNothingSent(callId);
  });

  it('holds the frequency cap for calls checked before it was reached', async () => {
    const { ivr, eligibility } = await setUp();
    const calls = [];
    for (let i = 0; i < 4; i++) calls.push(await eligibility());
    assert.ok(calls.every((c) => c.eligible));
    for (const { callId } of calls.slice(0, 3)) {
      assert.equal((await ivr.invite({ callId })).status, 200);
    }
    const fourth = calls[3].callId;
    expectError(await ivr.invite({ callId: fourth }), 400, 1400, /invites/);
    await assertNothingSent(fourth);
  });

  it('refuses an overrideChannel that is not available with 1900', async () => {
    const { account, ivr, eligibility } = await setUp();
    const smsOnly = await eligibility();
    expectError(await ivr.invite({ callId: smsOnly.callId, overrideChannel: 'wa' }), 400, 1900);
    const notOnWa = await eligibility({
      handoffId: account.handoffs.waSms,
      consumerPhoneNumber: NOT_ON_WHATSAPP,
    });
    expectError(await ivr.invite({ callId: notOnWa.callId, overrideChannel: 'wa' }), 400, 1900);
    await assertNothingSent(smsOnly.callId);
    await assertNothingSent(notOnWa.callId);
  });

  it("takes overrideChannel 'twilio' to mean SMS", async () => {
    const { account, ivr, eligibility } = await setUp();
    const { callId, recommendedChannelName } = await eligibility({
      handoffId: account.handoffs.waSms,
    });
    assert.equal(recommendedChannelName, 'wa');
    const res = await ivr.invite({ callId, overrideChannel: 'twilio' });
    assert.deepEqual(res.body, { callId });
    const message = await sentMessage(callId);
    assert.equal(message.channel, 'sms');
    assert.equal((await transactionsOf(callId))[0].channel, 'sms');
  });

  it('refuses an overrideSkill that is unknown or not routed with 1901, and takes a routed one', async () => {
    const { ivr, eligibility } = await setUp();
    const { callId } = await eligibility();
    expectError(await ivr.invite({ callId, overrideSkill: 'closed' }), 400, 1901, /closed/);
    expectError(await ivr.invite({ callId, overrideSkill: 'nope' }), 400, 1901, /nope/);
    await assertNothingSent(callId);

    assert.deepEqual((await ivr.invite({ callId, overrideSkill: 'billing' })).body, { callId });
    assert.equal((await transactionsOf(callId))[0].skill, 'billing');
  });

  it('sends the handoff message with {{1}} filled and the opt-out text appended', async () => {
    const { ivr, eligibility } = await setUp();
    const { callId } = await eligibility({ templateVariables: { '1': 'Ada' } });
    await ivr.invite({ callId });
    const message = await sentMessage(callId);
    assert.equal(message.body, `Hi Ada, reply here to chat with us. ${OPT_OUT_TEXT}`);
    assert.equal(message.to_address, MOBILE);
  });

  it('replaces the SMS text with overrideMessage, up to 1600 characters', async () => {
    const { account, ivr, eligibility } = await setUp();
    const tooLong = await eligibility();
    expectError(
      await ivr.invite({ callId: tooLong.callId, overrideMessage: 'x'.repeat(1601) }),
      400,
      1000,
      /^overrideMessage: /,
    );
    await assertNothingSent(tooLong.callId);

    const { callId } = await eligibility();
    const text = 'y'.repeat(1600);
    assert.deepEqual((await ivr.invite({ callId, overrideMessage: text })).body, { callId });
    assert.equal((await sentMessage(callId)).body, `${text} ${OPT_OUT_TEXT}`);

    const viaSms = await eligibility({ handoffId: account.handoffs.waSms });
    await ivr.invite({
      callId: viaSms.callId,
      overrideChannel: 'sms',
      overrideMessage: 'Press the link to chat: https://example.com/c',
    });
    const message = await sentMessage(viaSms.callId);
    assert.equal(message.channel, 'sms');
    assert.equal(message.body, `Press the link to chat: https://example.com/c ${OPT_OUT_TEXT}`);
  });

  it('keeps overrideMessage for SMS only: WhatsApp sends its own text, a fallback to SMS uses it', async () => {
    const { account, ivr, eligibility } = await setUp();
    const override = 'Your callback link: https://example.com/c';
    const onWhatsApp = await eligibility({
      handoffId: account.handoffs.waSms,
      templateVariables: { 1: 'Ada' },
    });
    const accepted = await ivr.invite({ callId: onWhatsApp.callId, overrideMessage: override });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const wa = await sentMessage(onWhatsApp.callId);
    assert.equal(wa.channel, 'wa');
    assert.equal(wa.body, 'Hi Ada, this is us on WhatsApp.');

    // …0002: WhatsApp refuses for good, the fallback goes by SMS and carries the override
    const fallsBack = await eligibility({
      handoffId: account.handoffs.waSms,
      consumerPhoneNumber: '+14155550002',
    });
    await ivr.invite({ callId: fallsBack.callId, overrideMessage: override });
    const sms = await waitFor(
      async () => (await messagesOf(fallsBack.callId)).find((m) => m.channel === 'sms'),
      'the SMS fallback',
    );
    assert.equal(sms.body, `${override} ${OPT_OUT_TEXT}`);
  });

  it('sends nothing new for a repeated invite and answers the same', async () => {
    const { ivr, eligibility } = await setUp();
    const { callId } = await eligibility();
    const first = await ivr.invite({ callId });
    await sentMessage(callId);
    const again = await ivr.invite({ callId });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);

    const txs = await transactionsOf(callId);
    assert.equal(txs.length, 1);
    assert.equal((await sendJobsOf(txs[0].id)).length, 1);
    assert.equal((await messagesOf(callId)).length, 1);
  });

  it('makes one transaction of two concurrent invites for one callId', async () => {
    const { ivr, eligibility } = await setUp();
    const { callId } = await eligibility();
    const answers = await Promise.all([ivr.invite({ callId }), ivr.invite({ callId })]);
    for (const res of answers) assert.deepEqual(res.body, { callId });
    const txs = await transactionsOf(callId);
    assert.equal(txs.length, 1);
    assert.equal((await sendJobsOf(txs[0].id)).length, 1);
    await sentMessage(callId);
    assert.equal((await messagesOf(callId)).length, 1);
  });

  describe('Idempotency-Key', () => {
    it('replays the stored eligibility answer for the same key and body', async () => {
      const { account, ivr } = await setUp();
      const key = { 'Idempotency-Key': 'ivr-call-0001-elig' };
      const body = { skill: 'sales', consumerPhoneNumber: MOBILE, handoffId: account.handoffs.sms };
      const first = await ivr.eligibility(body, key);
      const second = await ivr.eligibility(body, key);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('Idempotent-Replayed'), null);
      assert.equal(second.status, 200);
      assert.equal(second.headers.get('Idempotent-Replayed'), 'true');
      assert.deepEqual(second.body, first.body);
      const calls = await callsOf(account.accountId);
      assert.deepEqual(calls, [{ id: (first.body as EligibilityResponse).callId }]);
    });

    it('replays the stored invite answer for the same key and body', async () => {
      const { ivr, eligibility } = await setUp();
      const { callId } = await eligibility();
      const key = { 'Idempotency-Key': 'ivr-call-0002-invite' };
      const first = await ivr.invite({ callId }, key);
      const second = await ivr.invite({ callId }, key);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('Idempotent-Replayed'), null);
      assert.equal(second.status, 200);
      assert.equal(second.headers.get('Idempotent-Replayed'), 'true');
      assert.deepEqual(second.body, { callId });
      assert.equal((await transactionsOf(callId)).length, 1);
    });

    it('refuses the same key with another body with 422, on both routes', async () => {
      const { ivr, eligibility } = await setUp();
      const key = { 'Idempotency-Key': 'ivr-call-0003' };
      const { callId } = await eligibility({}, key);
      const reused = await ivr.eligibility(
        { skill: 'billing', consumerPhoneNumber: MOBILE, handoffId: 'H000000000000000' },
        key,
      );
      expectError(reused, 422, 1422);

      assert.equal((await ivr.invite({ callId }, key)).status, 200, 'keys are per route');
      expectError(await ivr.invite({ callId, overrideSkill: 'billing' }, key), 422, 1422);
      assert.equal((await transactionsOf(callId))[0].skill, 'sales');
    });

    it('runs two concurrent requests with one key once', async () => {
      const { account, ivr } = await setUp();
      const key = { 'Idempotency-Key': 'ivr-call-0004' };
      const body = { skill: 'sales', consumerPhoneNumber: MOBILE, handoffId: account.handoffs.sms };
      const answers = await Promise.all([ivr.eligibility(body, key), ivr.eligibility(body, key)]);
      const calls = await callsOf(account.accountId);
      assert.equal(calls.length, 1, JSON.stringify(answers.map((a) => [a.status, a.body])));
      for (const res of answers) {
        // the second either replays the first's answer or is told the first is still running
        if (res.status === 200) assert.equal((res.body as EligibilityResponse).callId, calls[0].id);
        else expectError(res, 409, 1409);
      }
    });
  });
});
