// The providers set-up API: an admin stores a provider per channel; secrets go in and never come
// out (API or database), bad settings are refused naming the field, other accounts and non-admin
// credentials are kept out, and deleting a provider returns the channel to the sandbox.
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IvrErrorBody } from '../contract/errors.js';
import { IvrErrorCode } from '../contract/errors.js';
import { createOAuth1Credential } from '../src/modules/accounts/credentials.service.js';
import {
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  waitFor,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { accountApi, deflect, freshPhone, sandboxPhone } from './sandbox-phone.js';

function twilioSettings() {
  return {
    provider: 'twilio',
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
    fromNumber: '+15005550006',
  };
}

const whatsAppSettings = {
  provider: 'whatsapp-cloud',
  phoneNumberId: '1234567890',
  accessToken: 'EAAG-access-token-0123456789',
  appSecret: 'app-secret-123',
  verifyToken: 'verify-token-123',
};

function expectError(res: ApiResponse, status: number, code: number, message?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const body = res.body as IvrErrorBody;
  assert.equal(body.errorCode, code, body.errorMessage);
  if (message) assert.match(body.errorMessage, message);
}

describe('providers API', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m();
  });
  after(() => t?.close());

  async function setUp() {
    const account = await seedAccount(t, { permissions: ['admin', 'ivr'] });
    return { account, api: accountApi(t, account) };
  }

  /** An IVR-only credential of the account: the right account, not the admin permission. */
  async function ivrOnlyApi(account: SeededAccount) {
    const oauth1 = await createOAuth1Credential(t.c2m.deps.db, t.c2m.deps.keys.secrets, {
      accountId: account.accountId,
      name: 'ivr',
      permissions: ['ivr'],
      now: t.clock.now(),
    });
    return accountApi(t, { ...account, oauth1 });
  }

  const storedRows = (accountId: string) =>
    t.c2m.deps.db
      .selectFrom('provider_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();

  it('stores a Twilio config on sms and never shows its auth token', async () => {
    const { account, api } = await setUp();
    const settings = twilioSettings();

    const res = await api.put('/providers/sms', settings);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      channel: 'sms',
      provider: 'twilio',
      accountSid: settings.accountSid,
      authToken: { set: true },
      fromNumber: '+15005550006',
      baseUrl: 'https://api.twilio.com',
      updatedAt: new Date(t.clock.now()).toISOString(),
      // where to point Twilio's status callbacks and inbound messages: an absolute URL
      webhookUrl: `${t.url}/webhooks/twilio/${account.accountId}`,
    });
    assert.ok(!JSON.stringify(res.body).includes(settings.authToken));

    const url = `${api.base}/providers`;
    const raw = await fetch(url, {
      headers: { Authorization: oauth1Header(account.oauth1, 'GET', url) },
    });
    assert.equal(raw.status, 200);
    const text = await raw.text();
    assert.ok(!text.includes(settings.authToken), 'the auth token is not in the listing');
    const { providers } = JSON.parse(text) as { providers: Record<string, unknown>[] };
    assert.equal(providers.length, 1);
    assert.equal(providers[0]?.channel, 'sms');
    assert.equal(providers[0]?.provider, 'twilio');
    assert.equal(providers[0]?.accountSid, settings.accountSid);
    assert.deepEqual(providers[0]?.authToken, { set: true });

    const [row] = await storedRows(account.accountId);
    assert.equal(row?.provider, 'twilio');
    assert.ok(!row.settings_enc.includes(settings.authToken), 'encrypted at rest');
    assert.ok(!row.settings_enc.includes(settings.accountSid));
  });

  it('replaces the config of a channel on a second PUT', async () => {
    const { account, api } = await setUp();
    assert.equal((await api.put('/providers/sms', twilioSettings())).status, 200);
    const second = twilioSettings();
    assert.equal((await api.put('/providers/sms', second)).status, 200);
    const rows = await storedRows(account.accountId);
    assert.equal(rows.length, 1);
    const { providers } = (await api.get('/providers')).body as {
      providers: { accountSid: string }[];
    };
    assert.deepEqual(
      providers.map((p) => p.accountSid),
      [second.accountSid],
    );
  });

  for (const [label, channel, body, message] of [
    ['a provider that cannot serve the channel', 'sms', whatsAppSettings, /^provider: /],
    [
      'an invalid accountSid',
      'sms',
      { ...twilioSettings(), accountSid: 'AC123' },
      /^accountSid: must look like AC/,
    ],
    [
      'a missing authToken',
      'sms',
      { ...twilioSettings(), authToken: undefined },
      /^authToken: is required/,
    ],
    ['an unknown provider', 'sms', { provider: 'carrier-pigeon' }, /^provider: /],
    ['an unknown field', 'sms', { ...twilioSettings(), region: 'ie1' }, /^region: unknown field/],
    ['an unknown channel', 'fax', twilioSettings(), /^channel: /],
    [
      'a non-http base URL',
      'sms',
      { ...twilioSettings(), baseUrl: 'file:///etc/passwd' },
      /^baseUrl: /,
    ],
  ] as const) {
    it(`refuses ${label} with 400 naming the field, and stores nothing`, async () => {
      const { account, api } = await setUp();
      expectError(
        await api.put(`/providers/${channel}`, body),
        400,
        IvrErrorCode.invalidRequest,
        message,
      );
      assert.deepEqual(await storedRows(account.accountId), []);
    });
  }

  it('keeps other accounts and non-admin credentials out', async () => {
    const { account, api } = await setUp();
    const settings = twilioSettings();
    assert.equal((await api.put('/providers/sms', settings)).status, 200);

    // another admin, on this account's path
    const stranger = await seedAccount(t, { permissions: ['admin'] });
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', twilioSettings()],
      ['DELETE', undefined],
    ] as const) {
      const url = `${api.base}/providers${method === 'GET' ? '' : '/sms'}`;
      const res = await call(url, {
        method,
        body,
        authorization: oauth1Header(stranger.oauth1, method, url),
      });
      expectError(res, 403, IvrErrorCode.forbidden);
    }

    // this account's IVR-only credential
    const ivrOnly = await ivrOnlyApi(account);
    expectError(await ivrOnly.get('/providers'), 403, IvrErrorCode.forbidden);
    expectError(await ivrOnly.put('/providers/sms', twilioSettings()), 403, IvrErrorCode.forbidden);
    expectError(await ivrOnly.delete('/providers/sms'), 403, IvrErrorCode.forbidden);

    const [row] = await storedRows(account.accountId);
    assert.ok(row, 'the config is still there');
    const { providers } = (await api.get('/providers')).body as {
      providers: { accountSid: string }[];
    };
    assert.equal(providers[0]?.accountSid, settings.accountSid);
  });

  it('returns the channel to the sandbox on DELETE', async () => {
    const { account, api } = await setUp();
    assert.equal((await api.put('/providers/sms', twilioSettings())).status, 200);
    // while Twilio serves the account, its webhook endpoint exists (and wants a signature)
    const webhook = `${t.url}/webhooks/twilio/${account.accountId}`;
    const unsigned = () =>
      call(webhook, {
        body: 'MessageSid=SM1&MessageStatus=delivered',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    assert.equal((await unsigned()).status, 401);

    const res = await api.delete('/providers/sms');
    assert.equal(res.status, 204);
    assert.deepEqual(await storedRows(account.accountId), []);
    assert.deepEqual((await api.get('/providers')).body, { providers: [] });
    assert.equal((await unsigned()).status, 404);

    // eligibility and invite go through the sandbox again
    const phone = sandboxPhone(api, freshPhone());
    await deflect(t, account, phone.address, { eligibility: { templateVariables: { 1: 'Bo' } } });
    const invite = await waitFor(async () => (await phone.received())[0], 'the sandbox invite');
    assert.equal(invite.text, 'Hi Bo, reply here to chat with us. Reply STOP to opt out.');
    const [message] = await t.c2m.deps.db
      .selectFrom('messages')
      .select('provider')
      .where('id', '=', invite.id)
      .execute();
    assert.equal(message?.provider, 'sandbox');
  });
});
