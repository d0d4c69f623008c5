// The handoffs admin API access: each role allowed exactly what the policy table grants, no session
// is a 401, and another account's handoffs are never reachable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { POLICY, Role, type Action } from '../contract/policy.js';
import type { AdminErrorBody } from '../contract/errors.js';
import { adminApi, adminSession, type ApiResponse } from './helpers.js';
import {
  t,
  account,
  other,
  api,
  storedRows,
  create,
  type HandoffPage,
  input,
  useHandoffsFixture,
} from './admin-handoffs-fixtures.js';

describe('handoffs admin API', () => {
  useHandoffsFixture();

  describe('roles', () => {
    const ACTIONS = [
      'handoffs:view',
      'handoffs:create',
      'handoffs:edit',
      'handoffs:delete',
    ] as const satisfies readonly Action[];

    for (const role of Role.options) {
      it(`${role}: exactly the handoff actions the policy grants`, async () => {
        const roleApi = adminApi(t, account.accountId, await adminSession(t, account, role));
        const target = await create();
        const attempt: Record<(typeof ACTIONS)[number], () => Promise<ApiResponse>> = {
          'handoffs:view': () => roleApi.get(`/handoffs/${target.id}`),
          'handoffs:create': () => roleApi.post('/handoffs', input()),
          'handoffs:edit': () => roleApi.put(`/handoffs/${target.id}`, input()),
          'handoffs:delete': () => roleApi.delete(`/handoffs/${target.id}`),
        };
        for (const action of ACTIONS) {
          const res = await attempt[action]();
          const allowed = POLICY[role].includes(action);
          if (allowed) {
            assert.ok(res.status >= 200 && res.status < 300, `${role} ${action}: ${res.status}`);
          } else {
            assert.equal(res.status, 403, `${role} ${action}: ${res.status}`);
            assert.equal((res.body as AdminErrorBody).error.code, 'forbidden');
          }
          if (action === 'handoffs:view') {
            const listed = await roleApi.get('/handoffs');
            assert.equal(listed.status, allowed ? 200 : 403, `${role} list`);
          }
        }
        const stillThere = (await storedRows()).some((r) => r.id === target.id);
        assert.equal(stillThere, !POLICY[role].includes('handoffs:delete'));
      });
    }

    it('a forbidden create or edit stores nothing', async () => {
      const readOnly = adminApi(t, account.accountId, await adminSession(t, account, 'read_only'));
      const target = await create();
      const before = await storedRows();
      assert.equal((await readOnly.post('/handoffs', input())).status, 403);
      assert.equal((await readOnly.put(`/handoffs/${target.id}`, input())).status, 403);
      assert.equal((await readOnly.delete(`/handoffs/${target.id}`)).status, 403);
      assert.deepEqual(await storedRows(), before);
    });

    it('without a session: 401', async () => {
      const anonymous = adminApi(t, account.accountId, 'not-a-token');
      const res = await anonymous.get('/handoffs');
      assert.equal(res.status, 401);
      assert.equal((res.body as AdminErrorBody).error.code, 'unauthorized');
    });
  });

  describe('another account', () => {
    it('its handoffs are not there: 404, unchanged, and never listed', async () => {
      const theirs = other.handoffs.sms;
      const before = await storedRows(other.accountId);
      for (const res of [
        await api.get(`/handoffs/${theirs}`),
        await api.put(`/handoffs/${theirs}`, input()),
        await api.delete(`/handoffs/${theirs}`),
      ]) {
        assert.equal(res.status, 404, JSON.stringify(res.body));
        assert.equal((res.body as AdminErrorBody).error.code, 'not_found');
      }
      assert.deepEqual(await storedRows(other.accountId), before);
      const page = (await api.get('/handoffs?limit=100')).body as HandoffPage;
      assert.ok(page.items.length > 0);
      assert.ok(!page.items.some((h) => h.id === theirs));
      const total = (await storedRows()).length;
      assert.equal(page.total, total);
    });

    it('a session of this account cannot reach the other account path: 404', async () => {
      const across = adminApi(t, other.accountId, await adminSession(t, account, 'admin'));
      const before = await storedRows(other.accountId);
      for (const res of [
        await across.get('/handoffs'),
        await across.get(`/handoffs/${other.handoffs.sms}`),
        await across.post('/handoffs', input()),
        await across.put(`/handoffs/${other.handoffs.sms}`, input()),
        await across.delete(`/handoffs/${other.handoffs.sms}`),
      ]) {
        assert.equal(res.status, 404, JSON.stringify(res.body));
      }
      assert.deepEqual(await storedRows(other.accountId), before);
    });
  });
});
