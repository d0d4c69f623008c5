// The account settings the admin element adds to its settings page: the receipt time-out (once
// only the CLI's) read and changed through the admin API, refused out of range naming the field,
// changed only by the roles the policy lets create settings, never in another account.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { can, Role } from '../contract/policy.js';
import type { AdminErrorBody } from '../contract/errors.js';
import { AdminSettingsView } from '../contract/settings.js';
import {
  adminApi,
  adminSession,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

describe('admin settings: receipt time-out', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let api: ReturnType<typeof adminApi>;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
  });
  after(() => t?.close());

  const read = async (as = api) => AdminSettingsView.parse((await as.get('/settings')).body);

  it('reads the default (72 h) and changes it; the outbox job reads the same column', async () => {
    assert.equal((await read()).receiptTimeoutHours, 72);
    const res = await api.put('/settings', { receiptTimeoutHours: 12 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(AdminSettingsView.parse(res.body).receiptTimeoutHours, 12);
    const row = await t.c2m.deps.db
      .selectFrom('accounts')
      .select('receipt_timeout_hours')
      .where('id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    assert.equal(row.receipt_timeout_hours, 12);
  });

  it('out of range or not whole: 400 naming the field, nothing stored', async () => {
    await api.put('/settings', { receiptTimeoutHours: 24 });
    for (const bad of [-1, 721, 1.5, '12']) {
      const res = await api.put('/settings', { receiptTimeoutHours: bad, deviceCheck: true });
      assert.equal(res.status, 400, String(bad));
      const fields = (res.body as AdminErrorBody).error.details?.fieldErrors ?? {};
      assert.ok(fields.receiptTimeoutHours, JSON.stringify(res.body));
    }
    const now = await read();
    assert.equal(now.receiptTimeoutHours, 24);
    assert.equal(now.deviceCheck, false);
  });

  it("another account's time-out is not reachable", async () => {
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const crossed = adminApi(t, other.accountId, await adminSession(t, account, 'admin'));
    assert.equal((await crossed.put('/settings', { receiptTimeoutHours: 1 })).status, 404);
    const theirs = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    assert.equal((await read(theirs)).receiptTimeoutHours, 72);
  });

  for (const role of Role.options) {
    const allowed = can(role, 'settings:create');
    it(`${role}: change ${allowed ? 'yes' : 'no'}`, async () => {
      await api.put('/settings', { receiptTimeoutHours: 48 });
      const as = adminApi(t, account.accountId, await adminSession(t, account, role));
      const res = await as.put('/settings', { receiptTimeoutHours: 6 });
      assert.equal(res.status, allowed ? 200 : 403, JSON.stringify(res.body));
      assert.equal((await read()).receiptTimeoutHours, allowed ? 6 : 48);
    });
  }
});
