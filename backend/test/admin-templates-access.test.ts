// Who may reach the WhatsApp templates admin API: each of the five roles may do exactly what the
// policy table grants (403 otherwise, with nothing changed); another account's templates answer
// 404 on every route; no session, 401.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { POLICY, Role, type Action } from '../contract/policy.js';
import type { TemplateStatus, TemplateView } from '../contract/templates.js';
import {
  expectError,
  templateHelpers,
  templateInput as input,
  type Api,
  type Page,
} from './admin-templates-fixtures.js';
import {
  adminApi,
  adminSession,
  seedAccount,
  startTestC2m,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

describe('templates admin API: roles and accounts', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let other: SeededAccount;
  let admin: Api;
  let otherAdmin: Api;
  let h: ReturnType<typeof templateHelpers>;
  const tokens = {} as Record<Role, string>;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    for (const role of Role.options) tokens[role] = await adminSession(t, account, role);
    admin = adminApi(t, account.accountId, tokens.admin);
    otherAdmin = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    h = templateHelpers(t, admin, account.accountId);
  });
  after(() => t?.close());

  const as = (role: Role) => adminApi(t, account.accountId, tokens[role]);

  describe('accounts and sessions', () => {
    it('answers 404 for another account’s templates, on every route, changing nothing', async () => {
      const theirs = await h.inStatus('pending'); // ours, as seen from the other account
      const id = theirs.id;
      const before = await h.countTemplates();
      const attempts = [
        otherAdmin.get(`/templates/${id}`),
        otherAdmin.put(`/templates/${id}`, input()),
        otherAdmin.post(`/templates/${id}/clone`),
        otherAdmin.post(`/templates/${id}/submit`),
        otherAdmin.post(`/templates/${id}/review`, { decision: 'approve' }),
        otherAdmin.delete(`/templates/${id}`),
      ];
      for (const res of await Promise.all(attempts)) expectError(res, 404, 'not_found');
      const list = (await otherAdmin.get('/templates?limit=100')).body as Page<TemplateView>;
      assert.ok(!list.items.some((i) => i.id === id), 'not listed');
      assert.equal(await h.countTemplates(), before);
      assert.deepEqual((await admin.get(`/templates/${id}`)).body, theirs, 'unchanged');
    });

    it('answers 404 when a session of one account calls another account’s path', async () => {
      const foreign = adminApi(t, other.accountId, tokens.admin);
      const before = await h.countTemplates(other.accountId);
      expectError(await foreign.get('/templates'), 404, 'not_found');
      expectError(await foreign.post('/templates', input()), 404, 'not_found');
      assert.equal(await h.countTemplates(other.accountId), before, 'nothing stored there');
    });

    it('answers 401 without a valid session', async () => {
      const anonymous = adminApi(t, account.accountId, 'not-a-token');
      expectError(await anonymous.get('/templates'), 401, 'unauthorized');
      expectError(await anonymous.post('/templates', input()), 401, 'unauthorized');
    });
  });

  describe('roles: each one may do exactly what the policy table grants', () => {
    interface Case {
      action: Action;
      what: string;
      /** Status the template must be in first, when the request needs one. */
      needs?: TemplateStatus;
      send: (api: Api, id: string) => Promise<ApiResponse>;
      ok: number;
    }
    const cases: Case[] = [
      { action: 'templates:view', what: 'list', send: (api) => api.get('/templates'), ok: 200 },
      {
        action: 'templates:view',
        what: 'read',
        needs: 'draft',
        send: (api, id) => api.get(`/templates/${id}`),
        ok: 200,
      },
      {
        action: 'templates:status',
        what: 'see approved status',
        send: (api) => api.get('/templates/status'),
        ok: 200,
      },
      {
        action: 'templates:create',
        what: 'create',
        send: (api) => api.post('/templates', input()),
        ok: 201,
      },
      {
        action: 'templates:create',
        what: 'clone',
        needs: 'approved',
        send: (api, id) => api.post(`/templates/${id}/clone`),
        ok: 201,
      },
      {
        action: 'templates:edit',
        what: 'edit',
        needs: 'draft',
        send: (api, id) => api.put(`/templates/${id}`, input()),
        ok: 200,
      },
      {
        action: 'templates:publish',
        what: 'submit',
        needs: 'draft',
        send: (api, id) => api.post(`/templates/${id}/submit`),
        ok: 200,
      },
      {
        action: 'templates:publish',
        what: 'review (sandbox)',
        needs: 'pending',
        send: (api, id) => api.post(`/templates/${id}/review`, { decision: 'approve' }),
        ok: 200,
      },
      {
        action: 'templates:delete',
        what: 'delete',
        needs: 'draft',
        send: (api, id) => api.delete(`/templates/${id}`),
        ok: 204,
      },
    ];

    for (const role of Role.options) {
      for (const c of cases) {
        const allowed = POLICY[role].includes(c.action);
        it(`${role} ${allowed ? 'may' : 'may not'} ${c.what} (${c.action})`, async () => {
          const tpl = c.needs ? await h.inStatus(c.needs) : undefined;
          const before = await h.countTemplates();
          const res = await c.send(as(role), tpl?.id ?? '');
          if (allowed) {
            assert.equal(res.status, c.ok, JSON.stringify(res.body));
            return;
          }
          expectError(res, 403, 'forbidden', new RegExp(`role ${role} may not`));
          assert.equal(await h.countTemplates(), before, 'nothing created or deleted');
          if (tpl) assert.deepEqual((await admin.get(`/templates/${tpl.id}`)).body, tpl);
        });
      }
    }
  });
});
