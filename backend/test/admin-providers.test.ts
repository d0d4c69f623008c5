// The providers page's API against a real c2m: each channel's provider set and changed by an
// admin session, secrets never answered (only set / not set) and kept when a change leaves them
// out, the webhook URL to copy, 400 naming the field with nothing stored, other accounts out of
// reach, and each role against the policy table.
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { can, Role } from '../contract/policy.js';
import type { AdminErrorBody } from '../contract/errors.js';
import { ProviderView } from '../contract/providers.js';
import { listProviders } from '../src/modules/providers/providers.service.js';
import {
  adminApi,
  adminSession,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const twilio = () => ({
  provider: 'twilio',
  accountSid: `AC${randomBytes(16).toString('hex')}`,
  authToken: `tok-${randomBytes(12).toString('hex')}`,
  fromNumber: '+15005550006',
});
const whatsApp = {
  provider: 'whatsapp-cloud',
  phoneNumberId: '1234567890',
  accessToken: 'EAAG-access-token-0123456789',
  appSecret: 'app-secret-123',
  verifyToken: 'verify-token-123',
};

describe('admin providers', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let api: ReturnType<typeof adminApi>;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
  });
  after(() => t?.close());

  const stored = async (channel: string, accountId = account.accountId) =>
    (await listProviders(t.c2m.deps, accountId)).find((p) => p.channel === channel)?.settings as
      Record<string, unknown> | undefined;

  it('sets a provider: the answer and the list show secrets only as set, with the webhook URL', async () => {
    const settings = twilio();
    const res = await api.put('/providers/sms', settings);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(JSON.stringify(res.body).includes(settings.authToken), false);
    const view = ProviderView.parse(res.body);
    assert.deepEqual((view as { authToken: unknown }).authToken, { set: true });
    assert.equal(view.webhookUrl, `${t.url}/webhooks/twilio/${account.accountId}`);

    const listed = await api.get('/providers');
    assert.equal(listed.status, 200);
    const text = JSON.stringify(listed.body);
    assert.equal(text.includes(settings.authToken), false);
    const body = listed.body as { providers: unknown[]; channels: unknown[] };
    const sms = body.providers.map((p) => ProviderView.parse(p)).find((p) => p.channel === 'sms');
    assert.equal(sms?.provider, 'twilio');
    assert.deepEqual(body.channels, [
      { channel: 'sms', providers: ['sandbox', 'twilio'] },
      { channel: 'wa', providers: ['sandbox', 'whatsapp-cloud'] },
      { channel: 'inapp', providers: ['sandbox', 'fcm', 'push-proxy'] },
      { channel: 'apple', providers: ['sandbox', 'apple-link'] },
      { channel: 'rcs', providers: ['sandbox', 'rbm'] },
    ]);
    assert.equal((await stored('sms'))?.authToken, settings.authToken);
  });

  it('a change that leaves a secret out keeps the stored one; a new secret replaces it', async () => {
    assert.equal((await api.put('/providers/wa', whatsApp)).status, 200);
    const noSecrets = { provider: whatsApp.provider, phoneNumberId: whatsApp.phoneNumberId };
    const changed = await api.put('/providers/wa', { ...noSecrets, wabaId: '55555' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const s = await stored('wa');
    assert.equal(s?.wabaId, '55555');
    assert.equal(s?.accessToken, whatsApp.accessToken);
    assert.equal(s?.appSecret, whatsApp.appSecret);

    const replaced = await api.put('/providers/wa', { ...noSecrets, appSecret: 'a-new-secret-9' });
    assert.equal(replaced.status, 200);
    assert.equal(JSON.stringify(replaced.body).includes('a-new-secret-9'), false);
    assert.equal((await stored('wa'))?.appSecret, 'a-new-secret-9');
    assert.equal((await stored('wa'))?.accessToken, whatsApp.accessToken);
  });

  it('bad input: 400 naming the field, nothing stored', async () => {
    const before = await stored('sms');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...twilio(), accountSid: 'nope' }, 'sms', 'accountSid'],
      [{ ...twilio(), fromNumber: '415 555' }, 'sms', 'fromNumber'],
      [{ ...twilio(), baseUrl: 'ftp://x' }, 'sms', 'baseUrl'],
      // a first setting of a provider needs its secrets: none is stored to keep
      [{ provider: 'rbm', agentId: 'a', clientEmail: 'x@example.com' }, 'rcs', 'privateKey'],
    ];
    for (const [body, channel, field] of cases) {
      const res = await api.put(`/providers/${channel}`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const error = (res.body as AdminErrorBody).error;
      assert.ok(
        error.details?.fieldErrors[field] ?? error.message.startsWith(field),
        JSON.stringify(error),
      );
    }
    // a provider that cannot serve the channel, and a channel that does not exist
    const wrong = await api.put('/providers/sms', whatsApp);
    assert.equal(wrong.status, 400);
    assert.match((wrong.body as AdminErrorBody).error.message, /^provider: /);
    const unknown = await api.put('/providers/fax', { provider: 'sandbox' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(await stored('sms'), before);
    assert.equal(await stored('rcs'), undefined);
  });

  it('removes a provider: the channel is back on the sandbox', async () => {
    assert.equal(
      (await api.put('/providers/apple', { provider: 'apple-link', businessId: 'b-1' })).status,
      200,
    );
    assert.equal((await api.delete('/providers/apple')).status, 204);
    assert.equal(await stored('apple'), undefined);
  });

  it("another account's providers are neither listed nor changed", async () => {
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const theirs = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    const settings = twilio();
    assert.equal((await theirs.put('/providers/sms', settings)).status, 200);
    const crossed = adminApi(t, other.accountId, await adminSession(t, account, 'admin'));
    assert.equal((await crossed.get('/providers')).status, 404);
    assert.equal((await crossed.put('/providers/sms', twilio())).status, 404);
    assert.equal((await crossed.delete('/providers/sms')).status, 404);
    assert.equal((await stored('sms', other.accountId))?.authToken, settings.authToken);
    const ours = JSON.stringify((await api.get('/providers')).body);
    assert.equal(ours.includes(settings.accountSid), false);
  });

  describe('role × action', () => {
    for (const role of Role.options) {
      const view = can(role, 'providers:view');
      const manage = can(role, 'providers:manage');
      it(`${role}: view ${view ? 'yes' : 'no'}, manage ${manage ? 'yes' : 'no'}`, async () => {
        const as = adminApi(t, account.accountId, await adminSession(t, account, role));
        await api.put('/providers/inapp', { provider: 'sandbox' });
        const listed = await as.get('/providers');
        assert.equal(listed.status, view ? 200 : 403, JSON.stringify(listed.body));
        const set = await as.put('/providers/inapp', {
          provider: 'push-proxy',
          url: 'https://93.184.216.34/push',
          secret: 'a-secret-of-16-chars',
        });
        assert.equal(set.status, manage ? 200 : 403, JSON.stringify(set.body));
        const removed = await as.delete('/providers/inapp');
        assert.equal(removed.status, manage ? 204 : 403, JSON.stringify(removed.body));
        if (!manage) {
          for (const res of [listed, set, removed].filter((r) => r.status === 403)) {
            assert.equal((res.body as AdminErrorBody).error.code, 'forbidden');
          }
          assert.equal((await stored('inapp'))?.provider, 'sandbox');
        } else {
          assert.equal(await stored('inapp'), undefined);
        }
      });
    }
  });
});
