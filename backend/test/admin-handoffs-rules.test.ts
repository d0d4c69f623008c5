// The handoffs admin API rules on title, lookback and channel choice, and on the body as a whole: each
// broken rule is a 400 naming the field, with nothing stored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminErrorBody } from '../contract/errors.js';
import { updateAccountSettings } from '../src/modules/accounts/accounts.repo.js';
import { adminApi, adminSession, seedAccount } from './helpers.js';
import {
  t,
  other,
  api,
  storedRows,
  expectRefused,
  create,
  sms,
  wa,
  inapp,
  input,
  expectFieldError,
  useHandoffsFixture,
} from './admin-handoffs-fixtures.js';

describe('handoffs admin API', () => {
  useHandoffsFixture();

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
});
