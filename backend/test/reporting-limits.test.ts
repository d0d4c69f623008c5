// The reporting API's own limits (a rate limit per account, the reporting permission) and its wire
// formats: times exactly as Date#toISOString, NDJSON lines exactly as JSON.stringify.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, oauth1Header, seedAccount, startTestC2m } from './helpers.js';
import { jsonLine } from '../src/modules/reporting/exports.js';
import { iso } from '../src/modules/reporting/transactions.query.js';

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
