// The reporting API analytics: the funnel counts of the played dataset, exact windows, GET and POST,
// filters and groups, refused windows and filters, and counts current to the second.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyticsResponse } from '../contract/reporting.js';
import { call, ivrClient, oauth1Header } from './helpers.js';
import { freshPhone } from './sandbox-phone.js';
import {
  t,
  played,
  reporting,
  rowsOf,
  HOUR_MS,
  DAY_MS,
  DAY1,
  START,
  IVR_A,
  IVR_B,
  row,
  useReportingFixture,
} from './reporting-fixtures.js';

describe('reporting API', () => {
  useReportingFixture();

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
      // the zone whose days transactionday is of: the account's, UTC until set
      timezone: 'UTC',
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
