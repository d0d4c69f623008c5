// The handoffs admin API: list (pagination, sort, filters), read, create, replace and delete; every
// rule of the guide's handoff screens as a 400 naming the field with nothing stored; each role
// allowed exactly what the policy table grants; another account's handoffs are never reachable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { POLICY, Role, type Action } from '../contract/policy.js';
import type { AdminErrorBody } from '../contract/errors.js';
import type { HandoffChannel, HandoffView } from '../contract/handoffs.js';
import { newUuid } from '../src/ids.js';
import { updateAccountSettings } from '../src/modules/accounts/accounts.repo.js';
import {
  adminApi,
  adminSession,
  seedAccount,
  startTestC2m,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

type Api = ReturnType<typeof adminApi>;
interface HandoffPage {
  items: HandoffView[];
  total: number;
  offset: number;
  limit: number;
}

const OPT_OUT = 'Reply STOP to opt out.'; // the account's default opt-out text

const sms = (over: Partial<HandoffChannel> = {}): HandoffChannel => ({
  name: 'sms',
  enabled: true,
  message: 'Hi {{1}}, reply here to keep chatting with us.',
  outboundNumber: '+14155550100',
  ...over,
});
const wa = (over: Partial<HandoffChannel> = {}): HandoffChannel => ({
  name: 'wa',
  enabled: true,
  message: 'Hello Jane, your order 42 is ready.',
  templateName: 'order_ready',
  templateLanguage: 'en',
  ...over,
});
const inapp = (over: Partial<HandoffChannel> = {}): HandoffChannel => ({
  name: 'inapp',
  enabled: true,
  message: 'Continue in the app.',
  apps: ['com.example.app'],
  ...over,
});

let titleN = 0;
const input = (over: Record<string, unknown> = {}) => ({
  title: `Handoff ${++titleN}`,
  lookback: { days: 1, hours: 2 },
  channels: [sms()],
  ...over,
});

function expectFieldError(res: ApiResponse, field: string, rule: string | RegExp) {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  const { error } = res.body as AdminErrorBody;
  assert.equal(error.code, 'validation_failed');
  const actual = error.details?.fieldErrors[field];
  assert.ok(actual !== undefined, `no error for ${field}: ${JSON.stringify(error.details)}`);
  if (typeof rule === 'string') assert.equal(actual, rule);
  else assert.match(actual, rule);
}

describe('handoffs admin API', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let other: SeededAccount;
  let api: Api;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    await addTemplate(account.accountId, {
      name: 'order_ready',
      language: 'en',
      body: 'Hello {{1}}, your order {{2}} is ready.',
    });
    await addTemplate(account.accountId, {
      name: 'order_ready',
      language: 'es',
      body: 'Hola {{1}}, su pedido {{2}} está listo.',
    });
    await addTemplate(account.accountId, { name: 'plain_hello', body: 'Hello from us!' });
    await addTemplate(account.accountId, {
      name: 'awaiting',
      body: 'Hi {{1}}',
      status: 'pending',
    });
    // approved, but in the other account: not a template of this one
    await addTemplate(other.accountId, { name: 'elsewhere', body: 'Hi {{1}}' });
  });
  after(() => t?.close());

  async function addTemplate(
    accountId: string,
    tpl: { name: string; body: string; language?: string; status?: 'approved' | 'pending' },
  ) {
    const now = t.clock.now();
    await t.c2m.deps.db
      .insertInto('templates')
      .values({
        id: newUuid(),
        account_id: accountId,
        name: tpl.name,
        category: 'UTILITY',
        language: tpl.language ?? 'en',
        waba_id: '1234567890',
        phone_number: '+14155550100',
        body: tpl.body,
        examples_json: '{}',
        status: tpl.status ?? 'approved',
        status_reason: null,
        provider_template_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  const storedRows = (accountId = account.accountId) =>
    t.c2m.deps.db
      .selectFrom('handoffs')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();

  /** A refused create: 400 naming the field and the rule, and not one row more. */
  async function expectRefused(body: unknown, field: string, rule: string | RegExp) {
    const before = await storedRows();
    expectFieldError(await api.post('/handoffs', body), field, rule);
    assert.deepEqual(await storedRows(), before);
  }

  async function create(body: unknown = input()): Promise<HandoffView> {
    const res = await api.post('/handoffs', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as HandoffView;
  }

  describe('create, read, replace, delete', () => {
    it('creates a handoff under an id c2m makes and reads it back', async () => {
      const res = await api.post('/handoffs', input({ title: 'Billing SMS', active: false }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const view = res.body as HandoffView;
      assert.match(view.id, /^H\d{15}$/);
      assert.equal(res.headers.get('location'), api.url(`/handoffs/${view.id}`).replace(t.url, ''));
      assert.deepEqual(
        { title: view.title, active: view.active, lookback: view.lookback },
        { title: 'Billing SMS', active: false, lookback: { days: 1, hours: 2 } },
      );
      assert.deepEqual(view.channels, [sms()]);
      assert.equal(view.createdAt, new Date(t.clock.now()).toISOString());
      assert.equal(view.updatedAt, view.createdAt);

      const row = (await storedRows()).find((r) => r.id === view.id);
      assert.equal(row?.lookback_minutes, 26 * 60);

      const read = await api.get(`/handoffs/${view.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, view);
    });

    it('ignores an id in the body: c2m makes the id', async () => {
      const view = await create({ ...input(), id: 'H000000000000001' });
      assert.notEqual(view.id, 'H000000000000001');
    });

    it('replaces the whole handoff, keeping its id and creation time', async () => {
      const created = await create(input({ channels: [sms(), wa()] }));
      t.clock.advance(60_000);
      const res = await api.put(
        `/handoffs/${created.id}`,
        input({
          title: 'Renamed',
          lookback: { days: 30, hours: 0 },
          channels: [inapp({ apps: ['a', 'b', 'c'] })],
        }),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const view = res.body as HandoffView;
      assert.equal(view.id, created.id);
      assert.equal(view.title, 'Renamed');
      assert.deepEqual(view.lookback, { days: 30, hours: 0 });
      assert.deepEqual(view.channels, [inapp({ apps: ['a', 'b', 'c'] })]);
      assert.equal(view.createdAt, created.createdAt);
      assert.equal(view.updatedAt, new Date(t.clock.now()).toISOString());
      assert.deepEqual((await api.get(`/handoffs/${created.id}`)).body, view);
    });

    it('keeps its own title on replace, in any case', async () => {
      const created = await create(input({ title: 'Same Title' }));
      const res = await api.put(`/handoffs/${created.id}`, input({ title: 'SAME title' }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('deletes a handoff: 204, then it is gone', async () => {
      const created = await create();
      const res = await api.delete(`/handoffs/${created.id}`);
      assert.equal(res.status, 204);
      assert.equal(res.body, undefined);
      assert.equal((await api.get(`/handoffs/${created.id}`)).status, 404);
      assert.equal((await api.delete(`/handoffs/${created.id}`)).status, 404);
      assert.ok(!(await storedRows()).some((r) => r.id === created.id));
    });

    it('answers 404 for a handoff that does not exist', async () => {
      for (const res of [
        await api.get('/handoffs/H999999999999999'),
        await api.put('/handoffs/H999999999999999', input()),
        await api.delete('/handoffs/H999999999999999'),
      ]) {
        assert.equal(res.status, 404);
        assert.equal((res.body as AdminErrorBody).error.code, 'not_found');
      }
    });

    it('keeps the seeded handoffs readable and their channels intact', async () => {
      const res = await api.get(`/handoffs/${account.handoffs.waSms}`);
      assert.equal(res.status, 200);
      const view = res.body as HandoffView;
      assert.deepEqual(
        view.channels.map((c) => c.name),
        ['wa', 'sms'],
      );
      assert.deepEqual(view.lookback, { days: 0, hours: 1 });
    });
  });

  describe('list', () => {
    let listApi: Api;
    let ids: Record<string, string>;

    before(async () => {
      // a fresh account of its own: the list's totals are exact
      const owner = await seedAccount(t, { permissions: ['ivr', 'admin'] });
      await t.c2m.deps.db
        .deleteFrom('handoffs')
        .where('account_id', '=', owner.accountId)
        .execute();
      await addTemplate(owner.accountId, {
        name: 'order_ready',
        body: 'Hello {{1}}, order {{2}}.',
      });
      listApi = adminApi(t, owner.accountId, await adminSession(t, owner, 'read_only'));
      const writer = adminApi(t, owner.accountId, await adminSession(t, owner, 'admin'));
      const make = async (title: string, days: number, channels: HandoffChannel[]) => {
        t.clock.advance(1000);
        const res = await writer.post('/handoffs', {
          title,
          lookback: { days, hours: 1 },
          channels,
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return (res.body as HandoffView).id;
      };
      const waOwner = wa({ message: 'Hello Ann, order 7.' });
      ids = {
        apple: await make('apple SMS', 3, [sms()]),
        banana: await make('Banana in-app', 1, [inapp()]),
        cherry: await make('cherry WA then SMS', 5, [waOwner, sms()]),
        date: await make('Date 100% SMS', 2, [sms({ enabled: false }), waOwner]),
        elder: await make('elderberry_sms', 4, [sms()]),
      };
    });

    const list = async (query = '') => {
      const res = await listApi.get(`/handoffs${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as HandoffPage;
    };
    const titles = (page: HandoffPage) => page.items.map((h) => h.title);

    it('pages with offset and limit and counts them all; newest change first by default', async () => {
      const first = await list('?limit=2');
      assert.deepEqual(
        { total: first.total, offset: first.offset, limit: first.limit },
        { total: 5, offset: 0, limit: 2 },
      );
      assert.deepEqual(titles(first), ['elderberry_sms', 'Date 100% SMS']);
      const last = await list('?limit=2&offset=4');
      assert.deepEqual(titles(last), ['apple SMS']);
      assert.equal(last.total, 5);
      assert.equal((await list('?offset=10')).items.length, 0);
      assert.equal((await list()).limit, 20);
    });

    it('sorts by title, case-insensitively, both ways', async () => {
      const asc = [
        'apple SMS',
        'Banana in-app',
        'cherry WA then SMS',
        'Date 100% SMS',
        'elderberry_sms',
      ];
      assert.deepEqual(titles(await list('?sort=title&order=asc')), asc);
      assert.deepEqual(titles(await list('?sort=title&order=desc')), [...asc].reverse());
    });

    it('sorts by lookback, id, creation and change time', async () => {
      assert.deepEqual(
        (await list('?sort=lookback&order=asc')).items.map((h) => h.lookback.days),
        [1, 2, 3, 4, 5],
      );
      const byId = (await list('?sort=id&order=asc')).items.map((h) => h.id);
      assert.deepEqual(byId, [...byId].sort());
      const byCreated = (await list('?sort=createdAt&order=asc')).items.map((h) => h.id);
      assert.deepEqual(byCreated, [ids.apple, ids.banana, ids.cherry, ids.date, ids.elder]);
      const byUpdated = (await list('?sort=updatedAt&order=desc')).items.map((h) => h.id);
      assert.deepEqual(byUpdated, [...byCreated].reverse());
    });

    it('sorts by channels: the first enabled channel name', async () => {
      const page = await list('?sort=channels&order=asc');
      const firstEnabled = page.items.map((h) => h.channels.find((c) => c.enabled)?.name);
      assert.deepEqual(firstEnabled, ['inapp', 'sms', 'sms', 'wa', 'wa']);
      const desc = await list('?sort=channels&order=desc');
      assert.equal(desc.items.at(-1)?.id, ids.banana);
    });

    it('filters by a title substring, case-insensitively and literally', async () => {
      assert.deepEqual(titles(await list('?title=SMS&sort=title&order=asc')), [
        'apple SMS',
        'cherry WA then SMS',
        'Date 100% SMS',
        'elderberry_sms',
      ]);
      assert.deepEqual(titles(await list(`?title=${encodeURIComponent('100%')}`)), [
        'Date 100% SMS',
      ]);
      assert.deepEqual(titles(await list('?title=y_s')), ['elderberry_sms']);
      assert.deepEqual(titles(await list('?title=_')), ['elderberry_sms']);
      const none = await list('?title=zzz');
      assert.deepEqual({ items: none.items, total: none.total }, { items: [], total: 0 });
    });

    it('filters by channel: handoffs that have it enabled', async () => {
      const withSms = await list('?channel=sms&sort=title&order=asc');
      assert.deepEqual(titles(withSms), ['apple SMS', 'cherry WA then SMS', 'elderberry_sms']);
      assert.equal(withSms.total, 3);
      assert.deepEqual(titles(await list('?channel=wa&sort=title&order=asc')), [
        'cherry WA then SMS',
        'Date 100% SMS',
      ]);
      assert.deepEqual(titles(await list('?channel=inapp')), ['Banana in-app']);
      assert.equal((await list('?channel=rcs')).total, 0);
    });

    it('combines filters with paging', async () => {
      const page = await list('?channel=sms&title=sms&sort=title&order=desc&limit=1&offset=1');
      assert.deepEqual(titles(page), ['cherry WA then SMS']);
      assert.equal(page.total, 3);
    });

    it('refuses a bad query, naming the parameter', async () => {
      const cases: [string, string, string | RegExp][] = [
        ['?limit=0', 'limit', 'at least 1'],
        ['?limit=101', 'limit', 'at most 100'],
        ['?offset=-1', 'offset', 'at least 0'],
        ['?limit=ten', 'limit', /number/],
        ['?sort=color', 'sort', /title/],
        ['?order=up', 'order', /asc/],
        ['?channel=fax', 'channel', /sms/],
        [`?title=${'x'.repeat(101)}`, 'title', 'at most 100 characters'],
      ];
      for (const [query, field, rule] of cases) {
        expectFieldError(await listApi.get(`/handoffs${query}`), field, rule);
      }
    });
  });

  describe('rules', () => {
    it('title: required, at most 100 characters, no < or >', async () => {
      await expectRefused(input({ title: undefined }), 'title', 'is required');
      await expectRefused(input({ title: '   ' }), 'title', 'is required');
      await expectRefused(input({ title: 'x'.repeat(101) }), 'title', 'at most 100 characters');
      await expectRefused(input({ title: 'a <b> c' }), 'title', 'must not contain < or >');
      await expectRefused(input({ title: 'a > c' }), 'title', 'must not contain < or >');
    });

    it('title: unique per account, whatever the case', async () => {
      await create(input({ title: 'Spring Sale' }));
      await expectRefused(
        input({ title: 'spring sale' }),
        'title',
        'already used by another handoff',
      );
      await expectRefused(
        input({ title: ' SPRING SALE ' }),
        'title',
        'already used by another handoff',
      );
      await create(input({ title: 'Übergabe' }));
      await expectRefused(input({ title: 'übergabe' }), 'title', 'already used by another handoff');
    });

    it('title: another handoff of the account cannot take it on replace', async () => {
      await create(input({ title: 'Taken' }));
      const mine = await create(input({ title: 'Mine' }));
      const before = await storedRows();
      expectFieldError(
        await api.put(`/handoffs/${mine.id}`, input({ title: 'TAKEN' })),
        'title',
        'already used by another handoff',
      );
      assert.deepEqual(await storedRows(), before);
    });

    it('title: the same title in another account is fine', async () => {
      const otherApi = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
      await create(input({ title: 'Shared name' }));
      const res = await otherApi.post('/handoffs', input({ title: 'shared NAME' }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    it('lookback: 1 hour to 30 days, in days 0–30 and hours 0–23', async () => {
      await expectRefused(
        input({ lookback: { days: 0, hours: 0 } }),
        'lookback',
        'at least 1 hour',
      );
      await expectRefused(
        input({ lookback: { days: 30, hours: 1 } }),
        'lookback',
        'at most 30 days',
      );
      await expectRefused(
        input({ lookback: { days: 31, hours: 0 } }),
        'lookback.days',
        'at most 30',
      );
      await expectRefused(
        input({ lookback: { days: 0, hours: 24 } }),
        'lookback.hours',
        'at most 23',
      );
      await expectRefused(
        input({ lookback: { days: 1.5, hours: 0 } }),
        'lookback.days',
        'must be a whole number',
      );
      await expectRefused(input({ lookback: undefined }), 'lookback', 'is required');
      const shortest = await create(input({ lookback: { days: 0, hours: 1 } }));
      assert.deepEqual(shortest.lookback, { days: 0, hours: 1 });
      const longest = await create(input({ lookback: { days: 30, hours: 0 } }));
      const row = (await storedRows()).find((r) => r.id === longest.id);
      assert.equal(row?.lookback_minutes, 43200);
    });

    it('channels: at least one, each once, at least one enabled', async () => {
      await expectRefused(input({ channels: [] }), 'channels', 'enable at least one channel');
      await expectRefused(
        input({ channels: [sms(), sms()] }),
        'channels',
        'each channel at most once',
      );
      await expectRefused(
        input({ channels: [sms({ enabled: false })] }),
        'channels',
        'enable at least one channel',
      );
      await expectRefused(
        input({ channels: [{ ...sms(), name: 'fax' }] }),
        'channels.0.name',
        /sms/,
      );
    });

    it('channels: in-app excludes SMS and WhatsApp, and the other way round', async () => {
      const rule = 'in-app cannot be combined with SMS or WhatsApp';
      await expectRefused(input({ channels: [inapp(), sms()] }), 'channels', rule);
      await expectRefused(input({ channels: [wa(), inapp()] }), 'channels', rule);
      // a disabled one does not count: the screen keeps it, switched off
      const ok = await create(input({ channels: [inapp(), sms({ enabled: false })] }));
      assert.deepEqual(
        ok.channels.map((c) => [c.name, c.enabled]),
        [
          ['inapp', true],
          ['sms', false],
        ],
      );
    });

    it('channels: must be enabled in the account settings', async () => {
      await expectRefused(
        input({ channels: [sms(), { name: 'rcs', enabled: true, message: 'Hi' }] }),
        'channels',
        'rcs is disabled in the account settings',
      );
      const owner = await seedAccount(t, { permissions: ['ivr', 'admin'] });
      await updateAccountSettings(t.c2m.deps, owner.accountId, {
        channels: [
          { name: 'sms', enabled: false },
          { name: 'inapp', enabled: true },
        ],
      });
      const ownerApi = adminApi(t, owner.accountId, await adminSession(t, owner, 'admin'));
      const before = await storedRows(owner.accountId);
      expectFieldError(
        await ownerApi.post('/handoffs', input({ channels: [sms()] })),
        'channels',
        'sms is disabled in the account settings',
      );
      assert.deepEqual(await storedRows(owner.accountId), before);
      // disabled in the handoff too: allowed, it is never used
      const res = await ownerApi.post(
        '/handoffs',
        input({ channels: [inapp(), sms({ enabled: false })] }),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    it('in-app: 1 to 3 apps, each once', async () => {
      await expectRefused(
        input({ channels: [inapp({ apps: [] })] }),
        'channels.0.apps',
        'pick 1 to 3 apps',
      );
      await expectRefused(
        input({ channels: [inapp({ apps: undefined })] }),
        'channels.0.apps',
        'pick 1 to 3 apps',
      );
      await expectRefused(
        input({ channels: [inapp({ apps: ['a', 'b', 'c', 'd'] })] }),
        'channels.0.apps',
        'at most 3 items',
      );
      await expectRefused(
        input({ channels: [inapp({ apps: ['a', 'a'] })] }),
        'channels.0.apps',
        'each app at most once',
      );
      await expectRefused(
        input({ channels: [inapp({ message: ' ' })] }),
        'channels.0.message',
        'is required',
      );
    });

    it('SMS: a text is required, plain text only', async () => {
      await expectRefused(
        input({ channels: [sms({ message: '' })] }),
        'channels.0.message',
        'is required',
      );
      await expectRefused(
        input({ channels: [sms({ message: 'Hi <b>there</b>' })] }),
        'channels.0.message',
        'must be plain text, without HTML tags',
      );
      await expectRefused(
        input({ channels: [sms({ message: 'Hi\u0007 there' })] }),
        'channels.0.message',
        'must be plain text, without control characters',
      );
      const lines = await create(input({ channels: [sms({ message: 'Hi,\nreply 1 < 2 here.' })] }));
      assert.equal(lines.channels[0]?.message, 'Hi,\nreply 1 < 2 here.');
    });

    it('SMS: at most 1600 characters with the opt-out text; 140 is guidance only', async () => {
      const room = 1600 - OPT_OUT.length - 1;
      await create(input({ channels: [sms({ message: 'x'.repeat(141) })] }));
      await create(input({ channels: [sms({ message: 'x'.repeat(room) })] }));
      await expectRefused(
        input({ channels: [sms({ message: 'x'.repeat(room + 1) })] }),
        'channels.0.message',
        `at most 1600 characters with the opt-out text (${room + 1} + ${OPT_OUT.length + 1} = 1601)`,
      );
      await expectRefused(
        input({ channels: [wa(), sms({ message: 'x'.repeat(1600) })] }),
        'channels.1.message',
        /^at most 1600 characters with the opt-out text/,
      );
      // a text that already carries the opt-out line is sent as it is
      const carrying = 'x'.repeat(1600 - OPT_OUT.length - 1) + ' ' + OPT_OUT;
      assert.equal(carrying.length, 1600);
      await create(input({ channels: [sms({ message: carrying })] }));
    });

    it('SMS: the limit follows the account opt-out text', async () => {
      const owner = await seedAccount(t, { permissions: ['ivr', 'admin'] });
      await updateAccountSettings(t.c2m.deps, owner.accountId, {
        smsOptOutText: 'x'.repeat(160),
      });
      const ownerApi = adminApi(t, owner.accountId, await adminSession(t, owner, 'admin'));
      expectFieldError(
        await ownerApi.post('/handoffs', input({ channels: [sms({ message: 'y'.repeat(1500) })] })),
        'channels.0.message',
        'at most 1600 characters with the opt-out text (1500 + 161 = 1661)',
      );
    });

    it('outbound numbers: E.164 when given', async () => {
      for (const number of ['4155550100', '+1 415 555 0100', '+0123', 'phone']) {
        await expectRefused(
          input({ channels: [sms({ outboundNumber: number })] }),
          'channels.0.outboundNumber',
          'must be E.164, e.g. +14155550100',
        );
      }
      await expectRefused(
        input({ channels: [wa({ outboundNumber: '555' })] }),
        'channels.0.outboundNumber',
        'must be E.164, e.g. +14155550100',
      );
      const none = await create(input({ channels: [sms({ outboundNumber: undefined })] }));
      assert.equal(none.channels[0]?.outboundNumber, undefined);
    });

    it('WhatsApp: an approved template of the account, in its language', async () => {
      await expectRefused(
        input({ channels: [wa({ templateName: undefined })] }),
        'channels.0.templateName',
        'pick an approved WhatsApp template',
      );
      await expectRefused(
        input({ channels: [wa({ templateName: 'nope' })] }),
        'channels.0.templateName',
        'no WhatsApp template named nope',
      );
      await expectRefused(
        input({ channels: [wa({ templateName: 'elsewhere', message: 'Hi Jane' })] }),
        'channels.0.templateName',
        'no WhatsApp template named elsewhere',
      );
      await expectRefused(
        input({ channels: [wa({ templateName: 'awaiting', message: 'Hi Jane' })] }),
        'channels.0.templateName',
        'template awaiting is not approved (en: pending)',
      );
      await expectRefused(
        input({ channels: [wa({ templateLanguage: undefined })] }),
        'channels.0.templateLanguage',
        'is required (approved in en, es)',
      );
      await expectRefused(
        input({ channels: [wa({ templateLanguage: 'fr' })] }),
        'channels.0.templateLanguage',
        'template order_ready is approved in en, es only',
      );
      const spanish = await create(
        input({
          channels: [wa({ templateLanguage: 'es', message: 'Hola Ana, su pedido 7 está listo.' })],
        }),
      );
      assert.equal(spanish.channels[0]?.templateLanguage, 'es');
    });

    it('WhatsApp: each variable kept for the IVR or given a default', async () => {
      const field = 'channels.0.message';
      // kept as {{n}}: no default, the IVR sends it; the rest are defaults
      for (const message of [
        'Hello {{1}}, your order {{2}} is ready.',
        'Hello Jane, your order {{2}} is ready.',
        'Hello {{1}}, your order 42 is ready.',
      ]) {
        const kept = await create(input({ channels: [wa({ message })] }));
        assert.equal(kept.channels[0]?.message, message);
      }
      const empty = await create(input({ channels: [wa({ message: '' })] }));
      assert.equal(empty.channels[0]?.message, 'Hello {{1}}, your order {{2}} is ready.');
      await expectRefused(
        input({ channels: [wa({ message: 'Hello Jane, your order   is ready.' })] }),
        field,
        'the default for {{2}} is blank: give a value or keep {{2}}',
      );
      await expectRefused(
        input({ channels: [wa({ message: 'Hello {{2}}, your order 42 is ready.' })] }),
        field,
        'the default for {{1}} must not hold another {{…}}',
      );
      await expectRefused(
        input({ channels: [wa({ message: 'Hello Jane, it is ready.' })] }),
        field,
        'must be the text of template order_ready, each of {{1}}, {{2}} kept or given a default value',
      );
      const filled = await create(input({ channels: [wa(), sms()] }));
      assert.deepEqual(filled.channels[0], wa());
    });

    it('WhatsApp: adjacent variables, kept or given defaults', async () => {
      await addTemplate(account.accountId, { name: 'code_pair', body: 'Your code {{1}}{{2}}.' });
      const pair = (message: string) =>
        input({ channels: [wa({ templateName: 'code_pair', message })] });
      await expectRefused(
        pair('Your code A.'),
        'channels.0.message',
        /^must be the text of template code_pair/,
      );
      // a long text that cannot fit is refused at once (no backtracking over every split)
      await expectRefused(
        pair(`Your code ${'9'.repeat(1500)}!`),
        'channels.0.message',
        /^must be the text of template code_pair/,
      );
      const ok = await create(pair('Your code 12-34.'));
      assert.equal(ok.channels[0]?.message, 'Your code 12-34.');
      for (const message of ['Your code {{1}}{{2}}.', 'Your code {{1}}34.', 'Your code 12{{2}}.']) {
        const kept = await create(pair(message));
        assert.equal(kept.channels[0]?.message, message);
      }
    });

    it('WhatsApp: a template without variables gives its own text', async () => {
      const plain = await create(
        input({ channels: [wa({ templateName: 'plain_hello', message: '' })] }),
      );
      assert.equal(plain.channels[0]?.message, 'Hello from us!');
      await expectRefused(
        input({ channels: [wa({ templateName: 'plain_hello', message: 'Hello from them!' })] }),
        'channels.0.message',
        'must be the text of template plain_hello',
      );
    });

    it('names every broken field at once, each with its first rule', async () => {
      const before = await storedRows();
      const res = await api.post(
        '/handoffs',
        input({
          title: 'a<b',
          lookback: { days: 0, hours: 0 },
          channels: [sms({ outboundNumber: 'x' }), wa({ templateName: 'nope' })],
        }),
      );
      expectFieldError(res, 'title', 'must not contain < or >');
      expectFieldError(res, 'lookback', 'at least 1 hour');
      assert.deepEqual(await storedRows(), before);
      const rules = await api.post(
        '/handoffs',
        input({ channels: [sms({ outboundNumber: 'x' }), wa({ templateName: 'nope' })] }),
      );
      expectFieldError(rules, 'channels.0.outboundNumber', 'must be E.164, e.g. +14155550100');
      expectFieldError(rules, 'channels.1.templateName', 'no WhatsApp template named nope');
      assert.deepEqual(await storedRows(), before);
    });

    it('refuses a body that is not a JSON object', async () => {
      const before = await storedRows();
      expectFieldError(await api.post('/handoffs', [1, 2]), 'body', 'must be a JSON object');
      const malformed = await api.post('/handoffs', '{"title":');
      assert.equal(malformed.status, 400);
      assert.equal((malformed.body as AdminErrorBody).error.code, 'validation_failed');
      assert.deepEqual(await storedRows(), before);
    });

    it('a refused replace changes nothing', async () => {
      const created = await create(input({ channels: [sms(), wa()] }));
      const before = await storedRows();
      expectFieldError(
        await api.put(`/handoffs/${created.id}`, input({ channels: [inapp(), sms()] })),
        'channels',
        'in-app cannot be combined with SMS or WhatsApp',
      );
      expectFieldError(
        await api.put(`/handoffs/${created.id}`, input({ lookback: { days: 40, hours: 0 } })),
        'lookback.days',
        'at most 30',
      );
      assert.deepEqual(await storedRows(), before);
    });
  });

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
