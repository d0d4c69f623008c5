// Heavy reports reads run on a worker thread with its own read-only connection to the real
// database, and one account cannot take more than its share of them.
import assert from 'node:assert/strict';
import { isMainThread } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { queryAnalytics } from '../src/modules/reporting/analytics.query.js';
import {
  adminApi,
  adminSession,
  ivrClient,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const HOUR_MS = 3_600_000;

describe('heavy reads off the request thread', () => {
  let t: TestC2m;
  let a: SeededAccount;
  let b: SeededAccount;

  before(async () => {
    t = await startTestC2m({ C2M_QUERY_PER_ACCOUNT: '1', C2M_ADMIN_RATE_LIMIT: '0' });
    a = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    b = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    for (const phone of ['+14155550101', '+14155550102']) {
      const res = await ivrClient(t, a).eligibility({
        skill: 'sales',
        consumerPhoneNumber: phone,
        handoffId: a.handoffs.sms,
      });
      assert.equal(res.status, 200);
    }
  });
  after(() => t.close());

  const window = () => ({
    attemptedStartTime: t.clock.now() - HOUR_MS,
    attemptedEndTime: t.clock.now() + HOUR_MS,
  });

  it('answers the dashboard from the worker with what the server just wrote', async () => {
    assert.ok(isMainThread);
    const api = adminApi(t, a.accountId, await adminSession(t, a, 'read_only'));
    const res = await api.post('/reports/analytics', window());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const rows = (res.body as { analytics: { attempted: number }[] }).analytics;
    assert.equal(
      rows.reduce((n, r) => n + r.attempted, 0),
      2,
    );
    const direct = await queryAnalytics(t.c2m.deps.db, a.accountId, window(), {});
    assert.deepEqual(rows, direct);
  });

  it('refuses an account past its share (429) while another account is served', async () => {
    const pool = t.c2m.deps.queries;
    const first = pool.run(a.accountId, 'analytics', a.accountId, window(), {});
    assert.throws(
      () => pool.run(a.accountId, 'analytics', a.accountId, window(), {}),
      (err: { status?: number; headers?: Record<string, string> }) =>
        err.status === 429 && err.headers?.['Retry-After'] === '1',
    );
    const other = await pool.run(b.accountId, 'analytics', b.accountId, window(), {});
    assert.deepEqual(other, []);
    assert.equal((await first).length > 0, true);
    // the place is given back when the read ends
    const again = await pool.run(a.accountId, 'analytics', a.accountId, window(), {});
    assert.deepEqual(again, await first);
  });

  it('answers the 429 over HTTP with Retry-After while an export of the account streams', async () => {
    const pool = t.c2m.deps.queries;
    const release = pool.admit(a.accountId);
    try {
      const api = adminApi(t, a.accountId, await adminSession(t, a, 'read_only'));
      const res = await api.post('/reports/analytics', window());
      assert.equal(res.status, 429, JSON.stringify(res.body));
      assert.equal(res.headers.get('Retry-After'), '1');
      assert.equal((res.body as { error: { code: string } }).error.code, 'rate_limited');
    } finally {
      release();
    }
  });
});
