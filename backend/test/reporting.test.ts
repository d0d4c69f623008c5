// The reporting API against a dataset played through the real IVR API and the sandbox phone over
// three days: every count of the funnel is known in advance, and so is every record's status.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AnalyticsResponse,
  AnalyticsRow,
  TransactionRecord,
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
import { jsonLine } from '../src/modules/reporting/exports.js';
import { iso } from '../src/modules/reporting/transactions.query.js';
import { accountApi, freshPhone, sandboxPhone, transactionOf } from './sandbox-phone.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
// three whole UTC days, the first starting at 09:00
const DAY1 = Date.UTC(2026, 10, 2);
const START = DAY1 + 9 * HOUR_MS;
const IVR_A = '+18005550100';
const IVR_B = '+18005550199';

interface Played {
  account: SeededAccount;
  other: SeededAccount;
  calls: Record<string, string>;
}

describe('reporting API', () => {
  let t: TestC2m;
  let played: Played;

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

  const reporting = (account = played.account) => {
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

  const rowsOf = async (from: number, to: number, filters?: unknown) => {
    const res = await reporting().analytics(from, to, filters);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as AnalyticsResponse).analytics;
  };
  const recordsOf = async (from: number, to: number, body?: unknown) => {
    const res = await reporting().transactions(from, to, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as TransactionsResponse;
  };

  it('counts the funnel of the played dataset exactly, per channel, skill and day', async () => {
    const rows = await rowsOf(DAY1, DAY1 + 3 * DAY_MS);
    assert.deepEqual(rows, [
      row('sms', 'sales', '11-02-2026', {
        attempted: 6,
        eligible: 5,
        invited: 4,
        sent: 3,
        delivered: 3,
        read: 1,
        failed: 2,
        conversationscreated: 1,
        conversationsclosed: 1,
        error_aggregation: { c2m_1001: 1, sandbox_21610: 1 },
      }),
      row('wa', 'billing', '11-03-2026', {
        attempted: 4,
        eligible: 2,
        invited: 2,
        sent: 2,
        delivered: 2,
        failed: 1,
        skipped: 1,
        error_aggregation: { c2m_1400: 1 },
      }),
      row('sms', 'sales', '11-04-2026', { attempted: 1, eligible: 1, invited: 1 }),
      row('wa', 'billing', '11-04-2026', { attempted: 1, eligible: 1, invited: 1, sent: 1 }),
    ]);
  });

  it('is exact to the millisecond for windows that start or end inside a day', async () => {
    // everything of day 1 was attempted at 09:00:00.000
    const atNine = await rowsOf(START, START + 1);
    assert.deepEqual(
      atNine.map((r) => [r.transactionday, r.attempted, r.failed]),
      [['11-02-2026', 6, 2]],
    );
    assert.deepEqual(await rowsOf(DAY1, START), []);
    assert.deepEqual(await rowsOf(START + 1, DAY1 + DAY_MS), []);
    // noon of day 1 to noon of day 2: day 2's four attempts (09:00–11:00), none of day 1
    const noonToNoon = await rowsOf(DAY1 + 12 * HOUR_MS, DAY1 + DAY_MS + 12 * HOUR_MS);
    assert.deepEqual(
      noonToNoon.map((r) => [r.transactionday, r.channel, r.attempted, r.skipped]),
      [['11-03-2026', 'wa', 4, 1]],
    );
    // 10:00–12:00 of day 2 holds only the call after STOP
    const lateMorning = await rowsOf(DAY1 + DAY_MS + 10 * HOUR_MS, DAY1 + DAY_MS + 12 * HOUR_MS);
    assert.deepEqual(
      lateMorning.map((r) => [r.attempted, r.eligible, r.skipped, r.error_aggregation]),
      [[1, 0, 1, {}]],
    );
    // a window of whole days plus parts of the days around them adds up to the same as days alone
    const spanning = await rowsOf(DAY1 + HOUR_MS, DAY1 + 2 * DAY_MS + 23 * HOUR_MS);
    assert.deepEqual(spanning, await rowsOf(DAY1, DAY1 + 3 * DAY_MS));
  });

  it('answers GET and POST alike, with the request metadata, and keeps accounts apart', async () => {
    const viaGet = await reporting().analytics(DAY1, DAY1 + DAY_MS);
    const viaPost = await reporting().analytics(DAY1, DAY1 + DAY_MS, {});
    assert.deepEqual(viaGet.body, viaPost.body);
    assert.deepEqual((viaGet.body as AnalyticsResponse).requestMetadata, {
      accountId: played.account.accountId,
      app: 'c2m',
      attemptedStartTime: DAY1,
      attemptedEndTime: DAY1 + DAY_MS,
    });
    // the other account played one call on day 1: it sees that one, never this account's
    const other = await reporting(played.other).analytics(DAY1, DAY1 + 3 * DAY_MS);
    assert.equal(other.status, 200);
    const otherRows = (other.body as AnalyticsResponse).analytics;
    assert.deepEqual(
      otherRows.map((r) => [r.attempted, r.eligible]),
      [[1, 1]],
    );
    // and a credential of one account cannot read the other's path
    const base = `${t.url}/api/account/${played.other.accountId}/app/c2m/analytics?attemptedStartTime=${DAY1}&attemptedEndTime=${DAY1 + DAY_MS}`;
    const crossed = await call(base, {
      method: 'GET',
      authorization: oauth1Header(played.account.oauth1, 'GET', base),
    });
    assert.equal(crossed.status, 403);
    assert.equal(JSON.stringify(crossed.body).includes('sales'), false);
  });

  it('filters by channel, skill, handoff, IVR number and source; the last three also group', async () => {
    const all = [DAY1, DAY1 + 3 * DAY_MS] as const;
    assert.deepEqual(
      (await rowsOf(...all, { channels: ['wa'] })).map((r) => r.transactionday),
      ['11-03-2026', '11-04-2026'],
    );
    assert.deepEqual(
      (await rowsOf(...all, { skills: ['sales'] })).map((r) => [r.transactionday, r.attempted]),
      [
        ['11-02-2026', 6],
        ['11-04-2026', 1],
      ],
    );
    const byHandoff = await rowsOf(...all, { handoffids: [played.account.handoffs.waSms] });
    assert.deepEqual(
      byHandoff.map((r) => [r.handoffid, r.attempted]),
      [
        [played.account.handoffs.waSms, 4],
        [played.account.handoffs.waSms, 1],
      ],
    );
    // the older text's wrapper is accepted too
    assert.deepEqual(
      await rowsOf(...all, { filters: { channels: ['wa'] } }),
      await rowsOf(...all, { channels: ['wa'] }),
    );

    const byIvr = await rowsOf(...all, { groupby: ['ivrnumber'] });
    assert.deepEqual(
      byIvr.map((r) => [r.transactionday, r.ivrnumber, r.attempted]),
      [
        ['11-02-2026', '', 1],
        ['11-02-2026', IVR_A, 5],
        ['11-03-2026', IVR_B, 4],
        ['11-04-2026', IVR_A, 1],
        ['11-04-2026', IVR_B, 1],
      ],
    );
    const oneIvr = await rowsOf(...all, { ivrnumbers: [IVR_B] });
    assert.deepEqual(
      oneIvr.map((r) => [r.ivrnumber, r.attempted, r.failed]),
      [
        [IVR_B, 4, 1],
        [IVR_B, 1, 0],
      ],
    );
    const bySource = await rowsOf(...all, { source: ['API'] });
    assert.deepEqual(
      bySource.map((r) => [r.source, r.attempted]),
      [
        ['API', 6],
        ['API', 4],
        ['API', 1],
        ['API', 1],
      ],
    );
    assert.deepEqual(await rowsOf(...all, { source: ['UI'] }), []);
  });

  it('refuses windows over the limits and bad filters with a message that names the field', async () => {
    const api = reporting();
    const tooLong = await api.analytics(DAY1, DAY1 + 60 * DAY_MS + 1);
    assert.equal(tooLong.status, 400);
    const body = tooLong.body as { code: number; requestTraceId: string; message: string };
    assert.equal(body.code, 400);
    assert.match(body.requestTraceId, /\S+/);
    assert.match(body.message, /attemptedEndTime: .*60 days/);
    assert.equal((await api.analytics(DAY1, DAY1 + 60 * DAY_MS)).status, 200);

    const backwards = await api.analytics(DAY1 + DAY_MS, DAY1);
    assert.match(
      (backwards.body as { message: string }).message,
      /attemptedEndTime: must be later/,
    );
    const missing = await call(
      `${t.url}/api/account/${played.account.accountId}/app/c2m/analytics`,
      {
        method: 'GET',
        authorization: oauth1Header(
          played.account.oauth1,
          'GET',
          `${t.url}/api/account/${played.account.accountId}/app/c2m/analytics`,
        ),
      },
    );
    assert.equal(missing.status, 400);
    assert.match((missing.body as { message: string }).message, /attemptedStartTime: is required/);
    const badChannel = await api.analytics(DAY1, DAY1 + DAY_MS, { channels: ['fax'] });
    assert.equal(badChannel.status, 400);
    assert.match((badChannel.body as { message: string }).message, /^channels\.0: /);

    const txTooLong = await api.transactions(DAY1, DAY1 + DAY_MS + 1);
    assert.equal(txTooLong.status, 400);
    assert.match((txTooLong.body as { message: string }).message, /24 hours/);
    const bigPage = await api.transactions(DAY1, DAY1 + DAY_MS, { limit: 5001 });
    assert.equal(bigPage.status, 400);
    assert.match((bigPage.body as { message: string }).message, /^limit: at most 5000/);
    const v1 = await api.transactions(DAY1, DAY1 + DAY_MS, {}, '1.0');
    assert.equal(v1.status, 400);
    assert.match((v1.body as { message: string }).message, /v=2\.0/);
    const badStatus = await api.transactions(DAY1, DAY1 + DAY_MS, {
      filters: { messagestatus: ['LOST'] },
    });
    assert.equal(badStatus.status, 400);
    assert.match((badStatus.body as { message: string }).message, /^filters\.messagestatus\.0: /);
  });

  it('lists every record of a window with its status and stage times', async () => {
    const day1 = await recordsOf(DAY1, DAY1 + DAY_MS, { limit: 100 });
    assert.equal(day1.page.count, 6);
    assert.deepEqual(day1.page, { count: 6, offset: 0, limit: 100 });
    const byCall = new Map(day1.transactions.map((r) => [r.callId, r]));
    const record = (name: string) => byCall.get(played.calls[name])!;

    const replied = record('replied');
    assert.equal(replied.messageStatus, 'RESPONDED');
    assert.equal(replied.channel, 'sms');
    assert.equal(replied.skill, 'sales');
    assert.equal(replied.handOffId, played.account.handoffs.sms);
    assert.equal(replied.ivrNumber, IVR_A);
    assert.equal(replied.attemptedTime, new Date(START).toISOString());
    assert.equal(replied.eligibleTime, replied.attemptedTime);
    assert.equal(replied.inviteTime, replied.attemptedTime);
    assert.equal(replied.sentTime, replied.attemptedTime);
    assert.equal(replied.deliveredTime, new Date(START + MINUTE_MS).toISOString());
    assert.equal(replied.conversationsCreatedTime, new Date(START + 2 * MINUTE_MS).toISOString());
    assert.equal(
      replied.conversationsClosedTime,
      new Date(DAY1 + DAY_MS + 10 * HOUR_MS).toISOString(),
    );
    assert.notEqual(replied.conversationId, null);
    assert.equal(replied.optOutsTime, new Date(DAY1 + DAY_MS + 11 * HOUR_MS).toISOString());
    assert.notEqual(replied.transactionId, replied.callId);

    assert.equal(record('read').messageStatus, 'READ');
    assert.notEqual(record('read').readTime, null);
    assert.equal(record('delivered').messageStatus, 'DELIVERED');
    assert.equal(record('delivered').readTime, null);

    const ineligible = record('unreachable');
    assert.equal(ineligible.messageStatus, 'FAILED');
    assert.deepEqual(
      [
        ineligible.errorSource,
        ineligible.errorCode,
        ineligible.inviteTime,
        ineligible.eligibleTime,
      ],
      ['c2m', '1001', null, null],
    );
    assert.equal(ineligible.transactionId, ineligible.callId);
    assert.equal(ineligible.ivrNumber, null);

    const refused = record('carrierOptOut');
    assert.equal(refused.messageStatus, 'FAILED');
    assert.deepEqual([refused.errorSource, refused.errorCode], ['sandbox', '21610']);
    assert.notEqual(refused.failedTime, null);
    assert.equal(refused.sentTime, null);

    assert.equal(record('offered').messageStatus, 'OFFERED');
    assert.equal(record('offered').inviteTime, null);

    const day2 = await recordsOf(DAY1 + DAY_MS, DAY1 + 2 * DAY_MS);
    const statuses = day2.transactions.map((r) => r.messageStatus).sort();
    assert.deepEqual(statuses, ['DELIVERED', 'DELIVERED', 'FAILED', 'SKIPPED']);
    const open = day2.transactions.find((r) => r.callId === played.calls.openConversation)!;
    assert.deepEqual([open.errorSource, open.errorCode], ['c2m', '1400']);
    const skipped = day2.transactions.find((r) => r.callId === played.calls.optedOut)!;
    assert.equal(skipped.skippedTime, skipped.attemptedTime);

    const day3 = await recordsOf(DAY1 + 2 * DAY_MS, DAY1 + 3 * DAY_MS);
    assert.deepEqual(
      // same attempt time (the clock stood still): the order between them is the ids'
      day3.transactions.map((r) => r.messageStatus).sort(),
      ['QUEUED', 'SENT'],
    );
  });

  it('filters records and pages through them', async () => {
    const window = [DAY1, DAY1 + DAY_MS] as const;
    const failed = await recordsOf(...window, { filters: { messagestatus: ['FAILED'] } });
    assert.deepEqual(
      failed.transactions.map((r) => r.callId).sort(),
      [played.calls.unreachable, played.calls.carrierOptOut].sort(),
    );
    assert.equal(failed.page.count, 2);
    const several = await recordsOf(...window, {
      filters: { messagestatus: ['READ', 'RESPONDED', 'OFFERED'] },
    });
    assert.equal(several.page.count, 3);

    const day2 = [DAY1 + DAY_MS, DAY1 + 2 * DAY_MS] as const;
    assert.equal((await recordsOf(...day2, { filters: { channels: ['sms'] } })).page.count, 0);
    assert.equal((await recordsOf(...day2, { filters: { skills: ['billing'] } })).page.count, 4);

    const one = (await recordsOf(...window)).transactions.find(
      (r) => r.callId === played.calls.read,
    )!;
    const byId = await recordsOf(...window, { filters: { transactionids: [one.transactionId] } });
    assert.deepEqual(byId.transactions, [one]);

    // pages of two: the same six records, in the same order, without overlap
    const pages: TransactionRecord[] = [];
    for (let offset = 0; offset < 6; offset += 2) {
      const page = await recordsOf(...window, { offset, limit: 2 });
      assert.deepEqual(page.page, { count: 6, offset, limit: 2 });
      pages.push(...page.transactions);
    }
    const whole = await recordsOf(...window);
    assert.deepEqual(pages, whole.transactions);
    assert.equal(new Set(pages.map((r) => r.callId)).size, 6);
    assert.deepEqual((await recordsOf(...window, { offset: 6 })).transactions, []);
  });

  it('exports any window as NDJSON and CSV with the same records as the API', async () => {
    const api = reporting();
    const whole = [DAY1, DAY1 + 3 * DAY_MS] as const; // longer than the 24 h the API allows
    const ndjson = await api.exportFile('transactions.ndjson', ...whole);
    assert.equal(ndjson.status, 200);
    assert.equal(ndjson.type, 'application/x-ndjson');
    const exported = ndjson.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as TransactionRecord);
    assert.equal(exported.length, 12);
    const viaApi = [
      ...(await recordsOf(DAY1, DAY1 + DAY_MS)).transactions,
      ...(await recordsOf(DAY1 + DAY_MS, DAY1 + 2 * DAY_MS)).transactions,
      ...(await recordsOf(DAY1 + 2 * DAY_MS, DAY1 + 3 * DAY_MS)).transactions,
    ];
    assert.deepEqual(exported, viaApi);

    const csv = await api.exportFile('transactions.csv', ...whole);
    assert.equal(csv.status, 200);
    assert.equal(csv.type, 'text/csv; charset=utf-8');
    const lines = csv.text.trimEnd().split('\r\n');
    assert.equal(lines.length, 13);
    const header = lines[0].split(',');
    assert.equal(header[0], 'transactionId');
    const statusColumn = header.indexOf('messageStatus');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[statusColumn]),
      viaApi.map((r) => r.messageStatus),
    );

    const bad = await api.exportFile('transactions.xlsx', ...whole);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /transactions\.csv/);
  });

  it('exports the opt-out ledger with source, keyword and time', async () => {
    const api = reporting();
    const csv = await api.exportFile('optouts.csv', DAY1, DAY1 + 3 * DAY_MS);
    assert.equal(csv.status, 200);
    const [header, ...rows] = csv.text.trimEnd().split('\r\n');
    assert.equal(header, 'phone,action,source,keyword,time');
    assert.equal(rows.length, 1);
    const [phone, action, source, keyword, time] = rows[0].split(',');
    assert.equal(phone, played.calls.repliedPhone);
    assert.deepEqual([action, source, keyword], ['opt_out', 'sms:sandbox', 'STOP']);
    assert.equal(time, new Date(DAY1 + DAY_MS + 11 * HOUR_MS).toISOString());

    const ndjson = await api.exportFile('optouts.ndjson', DAY1, DAY1 + 3 * DAY_MS);
    const [entry] = ndjson.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(entry.phone, played.calls.repliedPhone);
    // outside the window: nothing
    const before = await api.exportFile('optouts.ndjson', DAY1, DAY1 + DAY_MS);
    assert.equal(before.text, '');
  });

  it('is current to the second: a new eligibility answer counts at once', async () => {
    const from = DAY1 + 2 * DAY_MS;
    const to = from + DAY_MS;
    const before = await rowsOf(from, to);
    const ivr = ivrClient(t, played.account);
    const res = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: freshPhone(),
      handoffId: played.account.handoffs.sms,
    });
    assert.equal(res.status, 200);
    const afterRows = await rowsOf(from, to);
    assert.equal(afterRows[0].attempted, before[0].attempted + 1);
    assert.equal(afterRows[0].eligible, before[0].eligible + 1);
  });
});

describe('reporting times', () => {
  it('formats every time exactly as Date#toISOString does', () => {
    let ms = Date.UTC(1999, 11, 31, 23, 59, 59, 999);
    const samples = [0, 1, 999, 1000, 86_399_999, 86_400_000, Date.UTC(2028, 1, 29, 12)];
    for (let i = 0; i < 2000; i++) samples.push((ms += 7_777_777 + i * 13));
    for (const value of samples)
      assert.equal(iso(value), new Date(value).toISOString(), String(value));
    assert.equal(iso(null), null);
  });

  it('writes NDJSON lines exactly as JSON.stringify does', () => {
    const line = jsonLine<Record<string, unknown>>(['a', 'b "quoted"', 'c', 'd', 'e']);
    for (const row of [
      { a: 'x', 'b "quoted"': null, c: 3, d: true, e: 'multi\nline "é" \u2028 \\' },
      { a: '', 'b "quoted"': 0, c: -1.5, d: false, e: Number.NaN },
    ]) {
      assert.equal(line(row), `${JSON.stringify(row)}\n`);
    }
  });
});

describe('reporting API limits', () => {
  it('has its own rate limit per account, 429 with Retry-After', async () => {
    const t = await startTestC2m({ C2M_REPORTING_RATE_LIMIT: '2' });
    try {
      const account = await seedAccount(t, { permissions: ['reporting'] });
      const url = `${t.url}/api/account/${account.accountId}/app/c2m/analytics?attemptedStartTime=0&attemptedEndTime=1000`;
      const get = () =>
        call(url, { method: 'GET', authorization: oauth1Header(account.oauth1, 'GET', url) });
      assert.equal((await get()).status, 200);
      assert.equal((await get()).status, 200);
      const limited = await get();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.equal((limited.body as { code: number }).code, 429);
      t.clock.advance(1000);
      assert.equal((await get()).status, 200);
    } finally {
      await t.close();
    }
  });

  it('needs the reporting permission', async () => {
    const t = await startTestC2m();
    try {
      const account = await seedAccount(t, { permissions: ['ivr'] });
      const url = `${t.url}/api/account/${account.accountId}/app/c2m/analytics?attemptedStartTime=0&attemptedEndTime=1000`;
      const res = await call(url, {
        method: 'GET',
        authorization: oauth1Header(account.oauth1, 'GET', url),
      });
      assert.equal(res.status, 403);
      assert.equal((res.body as { code: number }).code, 403);
      const anonymous = await call(url, { method: 'GET' });
      assert.equal(anonymous.status, 401);
    } finally {
      await t.close();
    }
  });
});

function row(
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
