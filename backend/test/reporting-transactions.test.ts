// The reporting API records and exports: every record of a window with its status and stage times,
// filters and pages, NDJSON and CSV exports, and the opt-out ledger.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TransactionRecord } from '../contract/reporting.js';
import {
  played,
  reporting,
  recordsOf,
  MINUTE_MS,
  HOUR_MS,
  DAY_MS,
  DAY1,
  START,
  IVR_A,
  useReportingFixture,
} from './reporting-fixtures.js';

describe('reporting API', () => {
  useReportingFixture();

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
});
