// Analytics days in the account's time zone (issue 15, item 10): the zone in the account's
// settings, or a `timezone` parameter; exact for half-hour offsets (Asia/Kolkata, +05:30) and on
// the days daylight saving starts (23 hours) and ends (25 hours) in America/New_York.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AnalyticsResponse } from '../contract/reporting.js';
import { DAY_MS } from '../contract/reporting.js';
import {
  adminApi,
  adminSession,
  call,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  TestClock,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { freshPhone } from './sandbox-phone.js';

const at = (iso: string) => Date.parse(iso);
/** Attempts, each at its instant (UTC). */
const ATTEMPTS = [
  // Kolkata: 23:59 on 2 Nov and 00:01 on 3 Nov (UTC: both 2 Nov)
  '2026-11-02T18:29:00Z',
  '2026-11-02T18:31:00Z',
  // New York, spring forward (8 Mar, 23 hours): 23:59 EDT on 8 Mar, 00:01 EDT on 9 Mar
  '2026-03-09T03:59:00Z',
  '2026-03-09T04:01:00Z',
  // New York, fall back (1 Nov, 25 hours): 00:30 EDT and 23:30 EST on 1 Nov, 00:30 EST on 2 Nov
  '2026-11-01T04:30:00Z',
  '2026-11-02T04:30:00Z',
  '2026-11-02T05:30:00Z',
];

describe('analytics in a time zone', { timeout: 60_000 }, () => {
  const clock = new TestClock(at(ATTEMPTS[0]));
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    t = await startTestC2m(
      { C2M_OAUTH1_WINDOW_SECONDS: String(400 * 86_400), C2M_REPORTING_RATE_LIMIT: '0' },
      { clock },
    );
    account = await seedAccount(t, { permissions: ['ivr', 'admin', 'reporting'] });
    const ivr = ivrClient(t, account);
    for (const iso of ATTEMPTS) {
      clock.ms = at(iso);
      const res = await ivr.eligibility({
        skill: 'sales',
        consumerPhoneNumber: freshPhone(),
        handoffId: account.handoffs.sms,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    clock.ms = at('2026-11-20T12:00:00Z');
  });
  after(() => t?.close());

  /** GET analytics: attempts per transactionday, and the zone the answer names. */
  async function perDay(from: string, to: string, timezone?: string) {
    const query = `attemptedStartTime=${at(from)}&attemptedEndTime=${at(to)}`;
    const url =
      `${t.url}/api/account/${account.accountId}/app/c2m/analytics?${query}` +
      (timezone ? `&timezone=${encodeURIComponent(timezone)}` : '');
    const res = await call(url, {
      method: 'GET',
      authorization: oauth1Header(account.oauth1, 'GET', url),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body as AnalyticsResponse;
    const days: Record<string, number> = {};
    for (const r of body.analytics)
      days[r.transactionday] = (days[r.transactionday] ?? 0) + r.attempted;
    return { days, zone: body.requestMetadata.timezone };
  }

  it('counts UTC days by default', async () => {
    const { days, zone } = await perDay('2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z');
    assert.equal(zone, 'UTC');
    assert.deepEqual(days, { '11-01-2026': 1, '11-02-2026': 4 });
  });

  it('is exact for a half-hour offset (Asia/Kolkata, +05:30)', async () => {
    // the Kolkata days 2 and 3 Nov: from 18:30 UTC the day before
    const { days, zone } = await perDay(
      '2026-11-01T18:30:00Z',
      '2026-11-03T18:30:00Z',
      'Asia/Kolkata',
    );
    assert.equal(zone, 'Asia/Kolkata');
    // 18:29Z is 23:59 on 2 Nov; 18:31Z is 00:01 on 3 Nov; 04:30Z and 05:30Z on 2 Nov are 2 Nov
    assert.equal(days['11-02-2026'], 3);
    assert.equal(days['11-03-2026'], 1);
  });

  it('follows daylight saving in America/New_York, March and November', async () => {
    const march = await perDay('2026-03-08T05:00:00Z', '2026-03-10T04:00:00Z', 'America/New_York');
    assert.deepEqual(march.days, { '03-08-2026': 1, '03-09-2026': 1 });
    // 1 Nov runs 04:00Z to 05:00Z on 2 Nov (25 hours); a fixed -04:00 would put 04:30Z in 2 Nov
    const november = await perDay(
      '2026-11-01T04:00:00Z',
      '2026-11-03T05:00:00Z',
      'America/New_York',
    );
    assert.deepEqual(november.days, { '11-01-2026': 2, '11-02-2026': 3 });
  });

  it("uses the account's zone from its settings, and the admin dashboard's too", async () => {
    const token = await adminSession(t, account, 'admin');
    const api = adminApi(t, account.accountId, token);
    const saved = await api.put('/settings', { timezone: 'Asia/Kolkata' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal((saved.body as { timezone: string }).timezone, 'Asia/Kolkata');
    const { days, zone } = await perDay('2026-11-01T18:30:00Z', '2026-11-03T18:30:00Z');
    assert.equal(zone, 'Asia/Kolkata');
    assert.equal(days['11-03-2026'], 1);
    const dashboard = await api.post('/reports/analytics', {
      attemptedStartTime: at('2026-11-02T18:30:00Z'),
      attemptedEndTime: at('2026-11-02T18:30:00Z') + DAY_MS,
    });
    assert.equal(dashboard.status, 200, JSON.stringify(dashboard.body));
    const body = dashboard.body as AnalyticsResponse;
    assert.equal(body.requestMetadata.timezone, 'Asia/Kolkata');
    assert.deepEqual(
      body.analytics.map((r) => [r.transactionday, r.attempted]),
      [['11-03-2026', 1]],
    );
    await api.put('/settings', { timezone: 'UTC' });
  });

  it('refuses an unknown zone with a 400 naming the field, and stores nothing', async () => {
    const token = await adminSession(t, account, 'admin');
    const api = adminApi(t, account.accountId, token);
    const bad = await api.put('/settings', { timezone: 'Mars/Olympus' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /timezone/);
    assert.match(JSON.stringify(bad.body), /IANA time zone/);
    assert.equal(((await api.get('/settings')).body as { timezone: string }).timezone, 'UTC');

    const url =
      `${t.url}/api/account/${account.accountId}/app/c2m/analytics?` +
      `attemptedStartTime=${at('2026-11-01T00:00:00Z')}&attemptedEndTime=${at('2026-11-02T00:00:00Z')}` +
      '&timezone=Not/AZone';
    const res = await call(url, {
      method: 'GET',
      authorization: oauth1Header(account.oauth1, 'GET', url),
    });
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(res.body), /timezone: must be an IANA time zone/);
  });
});
