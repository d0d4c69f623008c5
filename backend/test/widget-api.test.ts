// The widget's REST list (its first load and its catch-up after a reconnect): a widget role's
// session of the path's account only, the subject checked, newest first within `limit` and `days`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutboundMessageView } from '../contract/outbound.js';
import {
  adminSession,
  call,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { accountApi, deflect, freshPhone, transactionOf } from './sandbox-phone.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// the TestClock moves days ahead while oauth-1.0a signs with the real time
const LONG_OAUTH_WINDOW = { C2M_OAUTH1_WINDOW_SECONDS: String(30 * 86_400) };
const SDES = [{ type: 'ctmrinfo', info: { customerId: 'C-7' } }];

describe('widget outbound list', () => {
  let t: TestC2m;
  let a: SeededAccount;
  let b: SeededAccount;
  let tokenA: string;
  const phone = freshPhone();
  const callIds: string[] = [];

  /** `token` null: no Authorization header at all. */
  const list = (query: string, token: string | null = tokenA, accountId = a.accountId) =>
    call(`${t.url}/api/widget/account/${accountId}/outbound?${query}`, {
      method: 'GET',
      ...(token !== null && { authorization: `Bearer ${token}` }),
    });
  const items = (body: unknown) => (body as { items: OutboundMessageView[] }).items;

  before(async () => {
    t = await startTestC2m(LONG_OAUTH_WINDOW);
    a = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    b = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    // three invites to one phone: one 3 days ago, then two an hour apart
    for (const step of [3 * DAY_MS, HOUR_MS, 0]) {
      const { callId } = await deflect(t, a, phone, {
        eligibility: { sdes: SDES, ivrNumber: '+18005550100' },
      });
      callIds.push(callId);
      await waitFor(
        async () => (await transactionOf(t, callId)).status === 'delivered',
        'the sandbox receipt',
      );
      t.clock.advance(step);
    }
    // minted after the clock moved, so it has not expired
    tokenA = await adminSession(t, a, 'agent');
  });
  after(() => t?.close());

  it('lists the messages of a phone newest first, in the view the widget shows', async () => {
    const res = await list(`consumerPhoneNumber=${encodeURIComponent(phone)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = items(res.body);
    assert.deepEqual(
      got.map((m) => m.callId),
      [...callIds].reverse(),
    );
    for (const m of got) assert.doesNotThrow(() => OutboundMessageView.parse(m));
    const newest = got[0];
    assert.equal(newest.channel, 'sms');
    assert.equal(newest.status, 'delivered');
    assert.match(newest.text, /reply here to chat with us/);
    assert.equal(newest.handoffId, a.handoffs.sms);
    assert.equal(newest.handoffTitle, `sms ${a.accountId}`);
    assert.equal(newest.skill, 'sales');
    assert.equal(newest.ivrNumber, '+18005550100');
    assert.equal(newest.consumerPhoneNumber, phone);
    assert.deepEqual(newest.sdes, SDES);
    assert.equal(newest.failureReason, null);
    assert.notEqual(newest.sentAt, null);
    assert.deepEqual(
      newest.statusHistory.map((h) => h.status),
      ['queued', 'sent', 'delivered'],
    );
  });

  it('keeps to limit and days', async () => {
    const q = `consumerPhoneNumber=${encodeURIComponent(phone)}`;
    const one = items((await list(`${q}&limit=1`)).body);
    assert.deepEqual(
      one.map((m) => m.callId),
      [callIds[2]],
    );
    const recent = items((await list(`${q}&days=1`)).body);
    assert.deepEqual(
      recent.map((m) => m.callId),
      [callIds[2], callIds[1]],
    );
  });

  it('finds the message a conversation came from', async () => {
    const reply = await accountApi(t, a).post('/sandbox/inbound', {
      channel: 'sms',
      from: phone,
      text: 'Hello',
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const { conversationId } = await t.c2m.deps.db
      .selectFrom('conversations')
      .select('id as conversationId')
      .where('account_id', '=', a.accountId)
      .where('consumer_phone', '=', phone)
      .executeTakeFirstOrThrow();
    const got = items((await list(`conversationId=${conversationId}`)).body);
    assert.deepEqual(
      got.map((m) => [m.callId, m.status]),
      [[callIds[2], 'replied']],
    );
  });

  it("shows another account's agent nothing of this account", async () => {
    const tokenB = await adminSession(t, b, 'agent');
    const own = await list(`consumerPhoneNumber=${encodeURIComponent(phone)}`, tokenB, b.accountId);
    assert.equal(own.status, 200);
    assert.deepEqual(items(own.body), []);
    const theirs = await list(`consumerPhoneNumber=${encodeURIComponent(phone)}`, tokenB);
    assert.equal(theirs.status, 404);
  });

  it('answers 401 without a valid session and 403 for a role without the widget', async () => {
    const q = `consumerPhoneNumber=${encodeURIComponent(phone)}`;
    assert.equal((await list(q, null)).status, 401);
    assert.equal((await list(q, 'not-a-token')).status, 401);
    assert.equal((await list(q, await adminSession(t, a, 'read_only'))).status, 403);
    for (const role of ['agent_manager', 'admin', 'campaign_manager'] as const) {
      assert.equal((await list(q, await adminSession(t, a, role))).status, 200, role);
    }
  });

  it('answers 400 naming the field of a bad subject', async () => {
    const cases: [string, RegExp][] = [
      ['', /consumerPhoneNumber, consumerId or conversationId/],
      ['consumerPhoneNumber=0123', /^consumerPhoneNumber: /],
      ['consumerId=c-1&limit=0', /^limit: /],
      ['consumerId=c-1&limit=many', /^limit: /],
      ['consumerId=c-1&days=91', /^days: /],
    ];
    for (const [query, message] of cases) {
      const res = await list(query);
      assert.equal(res.status, 400, query);
      const body = res.body as { errorCode: string; errorMessage: string };
      assert.match(body.errorMessage, message, query);
    }
  });
});
