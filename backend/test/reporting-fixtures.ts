// Shared set-up of the reporting API tests (reporting-*.test.ts): a c2m whose dataset is played through
// the real IVR API and the sandbox phone over three days, so every count of the funnel and every
// record's status is known in advance; and signed clients of the reporting API.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AnalyticsResponse,
  AnalyticsRow,
  TransactionsResponse,
} from '../contract/reporting.js';
import type { EligibilityResponse } from '../contract/deflection.js';
import {
  call,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  TestClock,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { accountApi, freshPhone, sandboxPhone, transactionOf } from './sandbox-phone.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
// three whole UTC days, the first starting at 09:00
export const DAY1 = Date.UTC(2026, 10, 2);
export const START = DAY1 + 9 * HOUR_MS;
export const IVR_A = '+18005550100';
export const IVR_B = '+18005550199';

export interface Played {
  account: SeededAccount;
  other: SeededAccount;
  calls: Record<string, string>;
}

// The suite's c2m and dataset. node:test runs each test file in a process of its own, so these belong
// to the one file that called useReportingFixture(); they are set before its first test.
export let t: TestC2m;
export let played: Played;

/** Starts c2m on the first day's morning and plays the dataset. */
export function useReportingFixture(): void {
  before(async () => {
    t = await startTestC2m(
      {
        // the clock starts three weeks back while oauth-1.0a signs with the real time
        C2M_OAUTH1_WINDOW_SECONDS: String(60 * 86_400),
        // receipts come when the test moves the clock, not on their own
        C2M_SANDBOX_RECEIPT_MS: String(MINUTE_MS),
        C2M_REPORTING_RATE_LIMIT: '0',
      },
      { clock: new TestClock(START) },
    );
    played = await play(t);
  });
  after(() => t?.close());
}

/** Signed clients of the reporting API, as `account` (this suite's account unless said). */
export const reporting = (account = played.account) => {
  const base = `${t.url}/api/account/${account.accountId}/app/c2m`;
  const request = (method: string, path: string, body?: unknown) => {
    const url = `${base}${path}`;
    return call(url, { method, body, authorization: oauth1Header(account.oauth1, method, url) });
  };
  return {
    analytics: (from: number, to: number, filters?: unknown) =>
      request(
        filters === undefined ? 'GET' : 'POST',
        `/analytics?attemptedStartTime=${from}&attemptedEndTime=${to}`,
        filters,
      ),
    transactions: (from: number, to: number, body: unknown = {}, version = '2.0') =>
      request(
        'POST',
        `/transactions?v=${version}&attemptedStartTime=${from}&attemptedEndTime=${to}`,
        body,
      ),
    exportFile: async (name: string, from: number, to: number) => {
      const url = `${base}/exports/${name}?attemptedStartTime=${from}&attemptedEndTime=${to}`;
      const res = await fetch(url, {
        headers: { Authorization: oauth1Header(account.oauth1, 'GET', url) },
      });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        text: await res.text(),
      };
    },
  };
};

export const rowsOf = async (from: number, to: number, filters?: unknown) => {
  const res = await reporting().analytics(from, to, filters);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as AnalyticsResponse).analytics;
};
export const recordsOf = async (from: number, to: number, body?: unknown) => {
  const res = await reporting().transactions(from, to, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as TransactionsResponse;
};

export function row(
  channel: string,
  skill: string,
  transactionday: string,
  counts: Partial<AnalyticsRow>,
): AnalyticsRow {
  return {
    channel,
    skill,
    transactionday,
    attempted: 0,
    eligible: 0,
    invited: 0,
    skipped: 0,
    sent: 0,
    failed: 0,
    delivered: 0,
    read: 0,
    conversationscreated: 0,
    conversationsclosed: 0,
    error_aggregation: {},
    ...counts,
  };
}

/**
 * The dataset. Day 1 (sms handoff, skill sales, IVR A unless said): three invites delivered — one
 * read, one replied to (its conversation closes on day 2) — one number reachable on no channel
 * (no IVR number), one eligible but never invited, one refused by the carrier (…0004). Day 2
 * (WhatsApp-then-SMS handoff, skill billing, IVR B): two invites delivered on WhatsApp, the day-1 replier while its conversation is open (c2m_1400), then after close and
 * STOP (skipped). Day 3: one invite whose send keeps failing for now (…0003), so still queued, and one on WhatsApp
 * that is sent (the clock never moves again, so no receipt comes).
 */
async function play(t: TestC2m): Promise<Played> {
  const account = await seedAccount(t, { permissions: ['ivr', 'reporting', 'conversations'] });
  const other = await seedAccount(t, { permissions: ['ivr', 'reporting'] });
  const api = accountApi(t, account);
  const ivr = ivrClient(t, account);
  const calls: Record<string, string> = {};

  const eligibility = async (
    name: string,
    phone: string,
    opts: { handoff?: string; skill?: string; ivrNumber?: string | null } = {},
  ) => {
    const res = await ivr.eligibility({
      skill: opts.skill ?? 'sales',
      consumerPhoneNumber: phone,
      handoffId: opts.handoff ?? account.handoffs.sms,
      ...(opts.ivrNumber !== null && { ivrNumber: opts.ivrNumber ?? IVR_A }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body as EligibilityResponse;
    calls[name] = body.callId;
    return body;
  };
  const invite = async (name: string) => {
    const res = await ivr.invite({ callId: calls[name] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const settled = (name: string, status: string) =>
    waitFor(
      async () => (await transactionOf(t, calls[name])).status === status,
      `${name} ${status}`,
    );

  // day 1, 09:00
  const phones = { delivered: freshPhone(), read: freshPhone(), replied: freshPhone() };
  for (const [name, phone] of Object.entries(phones)) {
    await eligibility(name, phone);
    await invite(name);
    await settled(name, 'sent');
  }
  assert.equal(
    (await eligibility('unreachable', '+14155550000', { ivrNumber: null })).eligible,
    false,
  );
  await eligibility('offered', freshPhone());
  await eligibility('carrierOptOut', '+14155550004');
  await invite('carrierOptOut');
  await settled('carrierOptOut', 'failed');
  t.clock.advance(MINUTE_MS); // 09:01: the sandbox's receipts are due
  for (const name of Object.keys(phones)) await settled(name, 'delivered');
  const readPhone = sandboxPhone(api, phones.read);
  const [readMessage] = await readPhone.received();
  assert.equal(await readPhone.report(readMessage.id, 'read'), 'applied');
  t.clock.advance(MINUTE_MS); // 09:02: the reply opens a conversation
  const replier = sandboxPhone(api, phones.replied);
  assert.equal(await replier.send('I have a question'), 'conversation');
  await settled('replied', 'replied');

  // the other account: one call, eligible
  const otherRes = await ivrClient(t, other).eligibility({
    skill: 'sales',
    consumerPhoneNumber: freshPhone(),
    handoffId: other.handoffs.sms,
  });
  assert.equal(otherRes.status, 200);

  // day 2, 09:00
  t.clock.ms = DAY1 + DAY_MS + 9 * HOUR_MS;
  const waOpts = { handoff: account.handoffs.waSms, skill: 'billing', ivrNumber: IVR_B };
  await eligibility('waDelivered', freshPhone(), waOpts);
  await invite('waDelivered');
  await settled('waDelivered', 'sent');
  t.clock.advance(MINUTE_MS);
  await settled('waDelivered', 'delivered');
  await eligibility('waLate', freshPhone(), waOpts);
  await invite('waLate');
  await settled('waLate', 'sent');
  const open = await eligibility('openConversation', phones.replied, waOpts);
  assert.deepEqual(
    open.channels?.map((c) => c.reason),
    ['open_conversation', 'open_conversation'],
  );
  // 10:00 the agent closes the conversation; 11:00 the consumer sends STOP
  t.clock.ms = DAY1 + DAY_MS + 10 * HOUR_MS;
  const [conversation] = (
    (await api.get('/conversations?status=open')).body as { conversations: { id: string }[] }
  ).conversations;
  assert.equal((await api.post(`/conversations/${conversation.id}/close`)).status, 200);
  t.clock.ms = DAY1 + DAY_MS + 11 * HOUR_MS;
  assert.equal(await replier.send('STOP'), 'opted_out');
  const stopped = await eligibility('optedOut', phones.replied, waOpts);
  assert.equal(stopped.eligible, false);

  // day 3, 09:00: the send fails and is retried later (the clock does not move again)
  t.clock.ms = DAY1 + 2 * DAY_MS + 9 * HOUR_MS;
  await eligibility('queued', '+14155550003');
  await invite('queued');
  await waitFor(
    async () =>
      (await t.c2m.deps.db
        .selectFrom('outbox')
        .select('attempts')
        .where('kind', '=', 'send')
        .where('status', '=', 'pending')
        .where('attempts', '>=', 1)
        .executeTakeFirst()) !== undefined,
    'the first failed attempt',
  );
  await eligibility('waSent', freshPhone(), waOpts);
  await invite('waSent');
  await settled('waSent', 'sent');

  calls.repliedPhone = phones.replied;
  return { account, other, calls };
}
