// The WhatsApp templates admin API on an account without a WhatsApp provider (the sandbox reviews):
// create, list, read, edit, clone, submit, review and delete; every rule of the template
// screen (README "Admin API, roles and sessions") as a 400 naming the field with nothing stored; the status machine; a template a handoff
// uses cannot be deleted. Roles and accounts: admin-templates-access.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateStatusView, TemplateView } from '../contract/templates.js';
import { templateVariables, templateVariablesSequential } from '../contract/templates.js';
import { newHandoffId } from '../src/ids.js';
import { insertHandoff } from '../src/modules/handoffs/handoffs.repo.js';
import {
  expectError,
  expectFieldError,
  templateHelpers,
  templateInput as input,
  type Api,
  type Page,
} from './admin-templates-fixtures.js';
import {
  adminApi,
  adminSession,
  call,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

describe('template variables (contract helpers the admin element shares)', () => {
  it('counts the highest {{n}} and accepts only 1..n without gaps', () => {
    assert.equal(templateVariables('no variables'), 0);
    assert.equal(templateVariables('{{1}} and {{2}} and {{1}} again'), 2);
    assert.equal(templateVariablesSequential('{{2}} before {{1}}'), true);
    assert.equal(templateVariablesSequential('{{1}} {{1}}'), true);
    for (const bad of ['{{2}}', '{{1}} {{3}}', '{{0}}', '{{01}}', '{{ 1 }}', '{{name}}', '{{}}']) {
      assert.equal(templateVariablesSequential(`Hi ${bad}`), false, bad);
    }
  });
});

describe('templates admin API (sandbox review)', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let other: SeededAccount;
  let admin: Api;
  let otherAdmin: Api;
  let token: string;
  let h: ReturnType<typeof templateHelpers>;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    token = await adminSession(t, account, 'admin');
    admin = adminApi(t, account.accountId, token);
    otherAdmin = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    h = templateHelpers(t, admin, account.accountId);
  });
  after(() => t?.close());

  describe('create and read', () => {
    it('creates a draft (201) and reads it back exactly', async () => {
      const body = input({ category: 'MARKETING', language: 'pt_BR' });
      const res = await admin.post('/templates', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const view = res.body as TemplateView;
      assert.match(view.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(view, {
        id: view.id,
        ...body,
        variables: 2,
        status: 'draft',
        statusReason: null,
        providerTemplateId: null,
        createdAt: view.createdAt,
        updatedAt: view.createdAt,
      });
      assert.equal(new Date(view.createdAt).getTime(), t.clock.now());
      assert.deepEqual((await admin.get(`/templates/${view.id}`)).body, view);
    });

    it('takes a body without variables and no examples, and a repeated variable once', async () => {
      const plain = await h.create({ body: 'Your order is ready.', examples: undefined });
      assert.deepEqual([plain.variables, plain.examples], [0, []]);
      const twice = await h.create({ body: '{{1}}, yes {{1}}: reply here.', examples: ['Jane'] });
      assert.equal(twice.variables, 1);
    });

    it('refuses each broken rule with 400 naming the field and the rule, storing nothing', async () => {
      const before = await h.countTemplates();
      const cases: [Record<string, unknown>, string, string | RegExp][] = [
        [{ name: '' }, 'name', 'is required'],
        [{ name: 'Order_ready' }, 'name', 'lowercase letters, digits and underscores only'],
        [{ name: 'order ready' }, 'name', 'lowercase letters, digits and underscores only'],
        [{ name: 'order-ready' }, 'name', 'lowercase letters, digits and underscores only'],
        [{ name: 'a'.repeat(513) }, 'name', 'at most 512 characters'],
        [{ name: undefined }, 'name', 'is required'],
        [{ category: 'PROMOTION' }, 'category', 'must be MARKETING, UTILITY or AUTHENTICATION'],
        [{ category: undefined }, 'category', 'is required'],
        [{ language: 'english' }, 'language', /language code such as en, en_US or pt_BR/],
        [{ language: 'en-us' }, 'language', /language code/],
        [{ wabaId: 'waba-1' }, 'wabaId', /WhatsApp Business Account id/],
        [{ phoneNumber: '14155550100' }, 'phoneNumber', 'must be E.164, e.g. +14155550100'],
        [{ body: '' }, 'body', 'is required'],
        [{ body: 'x'.repeat(1025) }, 'body', 'at most 1024 characters'],
        ...['Hi {{2}}', 'Hi {{1}} and {{3}}', 'Hi {{0}}', 'Hi {{name}}', 'Hi {{ 1 }}'].map(
          (body): [Record<string, unknown>, string, string] => [
            { body, examples: ['x', 'y', 'z'] },
            'body',
            'variables must be numbered {{1}} to {{n}} without gaps',
          ],
        ),
        [{ examples: ['Jane'] }, 'examples', /exactly one example per variable: 2 expected, 1/],
        [{ examples: ['Jane', '42', 'x'] }, 'examples', /2 expected, 3 given/],
        [{ examples: undefined }, 'examples', /2 expected, 0 given/],
        [{ examples: ['Jane', '  '] }, 'examples.1', 'is required'],
        [{ examples: 'Jane' }, 'examples', /must be of type array/],
      ];
      for (const [over, field, rule] of cases) {
        expectFieldError(await admin.post('/templates', input(over)), field, rule);
      }
      assert.equal(await h.countTemplates(), before, 'nothing was stored');
    });

    it('names every broken field at once', async () => {
      const res = await admin.post('/templates', input({ name: 'Bad', language: 'x', body: '' }));
      expectFieldError(res, 'name', /lowercase/);
      expectFieldError(res, 'language', /language code/);
      expectFieldError(res, 'body', 'is required');
    });

    it('refuses a body that is not a JSON object', async () => {
      expectError(await admin.post('/templates', [1, 2]), 400, 'validation_failed', /JSON object/);
      const raw = await call(admin.url('/templates'), {
        authorization: `Bearer ${token}`,
        body: '{"name":',
      });
      expectError(raw, 400, 'validation_failed', /malformed JSON/);
    });

    it('keeps names unique per account and language', async () => {
      const first = await h.create({ language: 'en' });
      const before = await h.countTemplates();
      const dup = await admin.post('/templates', input({ name: first.name, language: 'en' }));
      expectFieldError(dup, 'name', `must be unique: ${first.name} already exists in en`);
      assert.equal(await h.countTemplates(), before);
      await h.create({ name: first.name, language: 'es' });
      await h.create({ name: first.name, language: 'en' }, otherAdmin);
    });
  });

  describe('list', () => {
    it('pages with the total, filtered by status and by part of the name', async () => {
      const approved = await h.inStatus('approved', { name: `zz_list_approved` });
      const draft = await h.create({ name: `zz_list_draft` });
      const all = (await admin.get('/templates?limit=100')).body as Page<TemplateView>;
      assert.equal(all.total, await h.countTemplates());
      assert.deepEqual([all.offset, all.limit], [0, 100]);
      const names = all.items.map((i) => i.name);
      assert.deepEqual(names, [...names].sort(), 'by name');

      const byName = (await admin.get('/templates?name=ZZ_LIST')).body as Page<TemplateView>;
      assert.deepEqual(
        byName.items.map((i) => [i.name, i.status]),
        [
          [approved.name, 'approved'],
          [draft.name, 'draft'],
        ],
      );
      const approvedOnly = (await admin.get('/templates?status=approved&name=zz_list'))
        .body as Page<TemplateView>;
      assert.deepEqual(
        approvedOnly.items.map((i) => i.id),
        [approved.id],
      );

      const page = (await admin.get('/templates?name=zz_list&offset=1&limit=1'))
        .body as Page<TemplateView>;
      assert.deepEqual(
        [page.total, page.offset, page.limit, page.items.map((i) => i.id)],
        [2, 1, 1, [draft.id]],
      );
    });

    it('treats _ in the name filter as an underscore, not a wildcard', async () => {
      await h.create({ name: 'abcxdef' });
      const res = (await admin.get('/templates?name=c_d')).body as Page<TemplateView>;
      assert.deepEqual(res.items, []);
    });

    it('refuses bad query values naming the parameter', async () => {
      expectFieldError(await admin.get('/templates?status=live'), 'status', /must be draft/);
      expectFieldError(await admin.get('/templates?limit=0'), 'limit', /at least 1/);
      expectFieldError(await admin.get('/templates?limit=101'), 'limit', /at most 100/);
      expectFieldError(await admin.get('/templates?offset=-1'), 'offset', /at least 0/);
    });

    it('shows the agent manager approved templates only, and only their status', async () => {
      const approved = await h.inStatus('approved', { name: 'status_view_approved' });
      await h.inStatus('pending', { name: 'status_view_pending' });
      const manager = adminApi(
        t,
        account.accountId,
        await adminSession(t, account, 'agent_manager'),
      );
      const res = await manager.get('/templates/status?status=draft&name=status_view');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const page = res.body as Page<TemplateStatusView>;
      assert.deepEqual(page.items, [
        { name: approved.name, language: approved.language, status: 'approved' },
      ]);
      assert.equal(page.total, 1);
    });
  });

  describe('edit and clone', () => {
    it('edits a draft and a rejected template, keeping rejected until resubmitted', async () => {
      const draft = await h.create();
      const change = input({ name: draft.name, body: 'Hi {{1}}!', examples: ['Jane'] });
      const res = await admin.put(`/templates/${draft.id}`, change);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const edited = res.body as TemplateView;
      assert.deepEqual([edited.body, edited.variables, edited.status], ['Hi {{1}}!', 1, 'draft']);
      assert.deepEqual((await admin.get(`/templates/${draft.id}`)).body, edited);

      const rejected = await h.inStatus('rejected');
      const again = await admin.put(`/templates/${rejected.id}`, input({ name: rejected.name }));
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal((again.body as TemplateView).status, 'rejected');
    });

    for (const status of ['approved', 'pending', 'paused', 'disabled'] as const) {
      it(`refuses to edit a ${status} template with 409: clone it`, async () => {
        const tpl = await h.inStatus(status);
        const res = await admin.put(`/templates/${tpl.id}`, input({ name: tpl.name }));
        expectError(
          res,
          409,
          'conflict',
          new RegExp(`^${status} templates are not editable: clone it`),
        );
        assert.deepEqual((await admin.get(`/templates/${tpl.id}`)).body, tpl, 'unchanged');
      });
    }

    it('refuses an edit that breaks a rule or takes a used name, changing nothing', async () => {
      const taken = await h.create();
      const tpl = await h.create();
      expectFieldError(
        await admin.put(`/templates/${tpl.id}`, input({ name: tpl.name, body: '{{3}}' })),
        'body',
        /without gaps/,
      );
      expectFieldError(
        await admin.put(`/templates/${tpl.id}`, input({ name: taken.name })),
        'name',
        /must be unique/,
      );
      assert.deepEqual((await admin.get(`/templates/${tpl.id}`)).body, tpl);
    });

    it('clones any template into a draft named <name>_copy, then _copy_2 …', async () => {
      const source = await h.inStatus('approved');
      const first = await admin.post(`/templates/${source.id}/clone`);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const copy = first.body as TemplateView;
      assert.notEqual(copy.id, source.id);
      assert.deepEqual(copy, {
        ...source,
        id: copy.id,
        name: `${source.name}_copy`,
        status: 'draft',
        statusReason: null,
        providerTemplateId: null,
        createdAt: copy.createdAt,
        updatedAt: copy.updatedAt,
      });
      const second = (await admin.post(`/templates/${source.id}/clone`)).body as TemplateView;
      const third = (await admin.post(`/templates/${source.id}/clone`)).body as TemplateView;
      assert.deepEqual(
        [second.name, third.name],
        [`${source.name}_copy_2`, `${source.name}_copy_3`],
      );
      assert.equal((await admin.get(`/templates/${source.id}`)).status, 200, 'source kept');
    });

    it('keeps a clone of a 512-character name within 512 characters', async () => {
      const source = await h.create({ name: 'n'.repeat(512) });
      const copy = (await admin.post(`/templates/${source.id}/clone`)).body as TemplateView;
      assert.equal(copy.name, `${'n'.repeat(507)}_copy`);
    });
  });

  describe('submit and the sandbox review', () => {
    it('submits a draft (pending), and the sandbox approves it', async () => {
      const tpl = await h.create();
      const submitted = await admin.post(`/templates/${tpl.id}/submit`);
      assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
      assert.equal((submitted.body as TemplateView).status, 'pending');
      const res = await admin.post(`/templates/${tpl.id}/review`, { decision: 'approve' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        [(res.body as TemplateView).status, (res.body as TemplateView).statusReason],
        ['approved', null],
      );
    });

    it('rejects with a reason, and a rejected template can be fixed and resubmitted', async () => {
      const tpl = await h.create();
      await admin.post(`/templates/${tpl.id}/submit`);
      const res = await admin.post(`/templates/${tpl.id}/review`, {
        decision: 'reject',
        reason: 'Looks like marketing',
      });
      assert.deepEqual(
        [(res.body as TemplateView).status, (res.body as TemplateView).statusReason],
        ['rejected', 'Looks like marketing'],
      );
      const resubmitted = (await admin.post(`/templates/${tpl.id}/submit`)).body as TemplateView;
      assert.deepEqual([resubmitted.status, resubmitted.statusReason], ['pending', null]);
      await admin.post(`/templates/${tpl.id}/review`, { decision: 'reject' });
      const view = (await admin.get(`/templates/${tpl.id}`)).body as TemplateView;
      assert.equal(view.statusReason, 'Rejected in the sandbox', 'a default reason');
    });

    for (const status of ['pending', 'approved', 'paused', 'disabled'] as const) {
      it(`refuses to submit a ${status} template with 409`, async () => {
        const tpl = await h.inStatus(status);
        const res = await admin.post(`/templates/${tpl.id}/submit`);
        expectError(res, 409, 'conflict', /only draft or rejected templates can be submitted/);
        assert.equal(
          ((await admin.get(`/templates/${tpl.id}`)).body as TemplateView).status,
          status,
        );
      });
    }

    for (const status of ['draft', 'approved', 'rejected'] as const) {
      it(`refuses to review a ${status} template with 409`, async () => {
        const tpl = await h.inStatus(status);
        const res = await admin.post(`/templates/${tpl.id}/review`, { decision: 'approve' });
        expectError(res, 409, 'conflict', /only pending templates can be reviewed/);
        assert.equal(
          ((await admin.get(`/templates/${tpl.id}`)).body as TemplateView).status,
          status,
        );
      });
    }

    it('refuses a review without a valid decision, changing nothing', async () => {
      const tpl = await h.inStatus('pending');
      const url = `/templates/${tpl.id}/review`;
      expectFieldError(await admin.post(url, {}), 'decision', 'is required');
      expectFieldError(await admin.post(url, { decision: 'ok' }), 'decision', /approve or reject/);
      expectFieldError(
        await admin.post(url, { decision: 'reject', reason: 'x'.repeat(513) }),
        'reason',
        /at most 512/,
      );
      assert.equal(
        ((await admin.get(`/templates/${tpl.id}`)).body as TemplateView).status,
        'pending',
      );
    });
  });

  describe('delete', () => {
    it('deletes (204) a template no handoff uses, whatever its status', async () => {
      for (const status of ['draft', 'approved'] as const) {
        const tpl = await h.inStatus(status);
        assert.equal((await admin.delete(`/templates/${tpl.id}`)).status, 204);
        expectError(await admin.get(`/templates/${tpl.id}`), 404, 'not_found');
      }
    });

    it('refuses (409) to delete a template a handoff of the account sends with', async () => {
      const tpl = await h.inStatus('approved', { language: 'en' });
      const handoffId = newHandoffId();
      await insertHandoff(t.c2m.deps, {
        id: handoffId,
        accountId: account.accountId,
        title: 'Orders',
        active: true,
        lookbackMinutes: 60,
        now: t.clock.now(),
        channels: [
          { name: 'sms', enabled: true, message: 'Hi' },
          // disabled for now, but enabling it again must not find the template gone
          {
            name: 'wa',
            enabled: false,
            message: '',
            templateName: tpl.name,
            templateLanguage: 'en',
          },
        ],
      });
      const res = await admin.delete(`/templates/${tpl.id}`);
      expectError(res, 409, 'conflict', new RegExp(`used by handoff Orders \\(${handoffId}\\)`));
      assert.equal((await admin.get(`/templates/${tpl.id}`)).status, 200, 'still there');
    });

    it('counts a handoff channel without a language as English (en), as the sender does', async () => {
      const en = await h.create({ language: 'en' });
      const es = await h.create({ name: en.name, language: 'es' });
      await insertHandoff(t.c2m.deps, {
        id: newHandoffId(),
        accountId: account.accountId,
        title: 'No language',
        active: true,
        lookbackMinutes: 60,
        now: t.clock.now(),
        channels: [{ name: 'wa', enabled: true, message: '', templateName: en.name }],
      });
      expectError(await admin.delete(`/templates/${en.id}`), 409, 'conflict');
      assert.equal((await admin.delete(`/templates/${es.id}`)).status, 204);
    });

    it('ignores another account’s handoffs that name a template of the same name', async () => {
      const tpl = await h.create({ language: 'en' });
      await insertHandoff(t.c2m.deps, {
        id: newHandoffId(),
        accountId: other.accountId,
        title: 'Theirs',
        active: true,
        lookbackMinutes: 60,
        now: t.clock.now(),
        channels: [
          {
            name: 'wa',
            enabled: true,
            message: '',
            templateName: tpl.name,
            templateLanguage: 'en',
          },
        ],
      });
      assert.equal((await admin.delete(`/templates/${tpl.id}`)).status, 204);
    });
  });
});
