// The handoffs admin API list: paging, sort orders and filters, and a bad query named by parameter.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HandoffChannel, HandoffView } from '../contract/handoffs.js';
import { adminApi, adminSession, seedAccount } from './helpers.js';
import {
  t,
  addTemplate,
  type Api,
  type HandoffPage,
  sms,
  wa,
  inapp,
  expectFieldError,
  useHandoffsFixture,
} from './admin-handoffs-fixtures.js';

describe('handoffs admin API', () => {
  useHandoffsFixture();

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
});
