// The handoffs admin API: create, read, replace and delete, and the 404 of a handoff that is not there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminErrorBody } from '../contract/errors.js';
import type { HandoffView } from '../contract/handoffs.js';
import {
  t,
  account,
  api,
  storedRows,
  create,
  sms,
  wa,
  inapp,
  input,
  useHandoffsFixture,
} from './admin-handoffs-fixtures.js';

describe('handoffs admin API', () => {
  useHandoffsFixture();

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
});
