// The settings page's API against a real c2m: what GET shows, what PUT changes (and what the IVR
// API then does differently), every rule's field error with nothing stored, other accounts, and
// each role × action against the one policy table.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { can, Role } from '../contract/policy.js';
import type { AdminErrorBody } from '../contract/errors.js';
import type { EligibilityResponse } from '../contract/deflection.js';
import { AdminSettingsView } from '../contract/settings.js';
import {
  adminApi,
  adminSession,
  ivrClient,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const CHANNELS = [
  { name: 'sms', enabled: true },
  { name: 'wa', enabled: false },
  { name: 'inapp', enabled: true },
  { name: 'rcs', enabled: false },
  { name: 'apple', enabled: false },
] as const;

describe('admin settings', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let api: ReturnType<typeof adminApi>;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
  });
  after(() => t?.close());

  const settings = async () => {
    const res = await api.get('/settings');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return AdminSettingsView.parse(res.body);
  };

  it("shows the account's settings, every skill's routing and no origins yet", async () => {
    assert.deepEqual(await settings(), {
      channels: [
        { name: 'wa', enabled: true },
        { name: 'sms', enabled: true },
        { name: 'inapp', enabled: true },
        { name: 'apple', enabled: false },
        { name: 'rcs', enabled: false },
      ],
      deviceCheck: false,
      routing: [
        { name: 'billing', routingEnabled: true },
        { name: 'closed', routingEnabled: false },
        { name: 'sales', routingEnabled: true },
      ],
      defaultSkill: null,
      smsOptOutText: 'Reply STOP to opt out.',
      helpText: `Account ${account.accountId}: reply to this message to chat with us. Reply STOP to opt out.`,
      frequencyCapPerHour: 3,
      rateLimitPerSec: 0,
      allowedOrigins: [],
      receiptTimeoutHours: 72,
      timezone: 'UTC',
    });
  });

  it('saves every field at once and answers what is now stored', async () => {
    const input = {
      channels: CHANNELS,
      deviceCheck: true,
      routing: [{ name: 'closed', routingEnabled: true }],
      defaultSkill: 'closed',
      smsOptOutText: 'Text STOP to stop.',
      helpText: 'Brand: we are here to help.',
      frequencyCapPerHour: 5,
      rateLimitPerSec: 40,
      allowedOrigins: ['https://portal.example.com', 'HTTP://LocalHost:5173'],
      receiptTimeoutHours: 48,
      timezone: 'America/New_York',
    };
    const res = await api.put('/settings', input);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const expected = {
      ...input,
      routing: [
        { name: 'billing', routingEnabled: true },
        { name: 'closed', routingEnabled: true },
        { name: 'sales', routingEnabled: true },
      ],
      allowedOrigins: ['https://portal.example.com', 'http://localhost:5173'],
    };
    assert.deepEqual(res.body, expected);
    assert.deepEqual(await settings(), expected);
  });

  it('changes only the fields given', async () => {
    const before = await settings();
    const res = await api.put('/settings', { deviceCheck: false });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(await settings(), { ...before, deviceCheck: false });
  });

  it('routing decides at once which skills the IVR API may deflect to', async () => {
    const ivr = ivrClient(t, account);
    const body = {
      skill: 'billing',
      consumerPhoneNumber: '+14155550190',
      handoffId: account.handoffs.sms,
    };
    assert.equal((await ivr.eligibility(body)).status, 200);
    const off = await api.put('/settings', {
      routing: [{ name: 'billing', routingEnabled: false }],
    });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    const refused = await ivr.eligibility(body);
    assert.equal(refused.status, 400);
    assert.equal((refused.body as { errorCode: number }).errorCode, 1300);
    await api.put('/settings', { routing: [{ name: 'billing', routingEnabled: true }] });
    assert.equal((await ivr.eligibility(body)).status, 200);
  });

  it('the channel order and enablement reach eligibility', async () => {
    const ivr = ivrClient(t, account);
    const body = {
      skill: 'sales',
      consumerPhoneNumber: '+14155550191',
      handoffId: account.handoffs.waSms,
    };
    // the save above disabled WhatsApp for the account: the handoff's first channel is skipped
    const res = await ivr.eligibility(body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const answer = res.body as EligibilityResponse;
    assert.equal(answer.recommendedChannelName, 'sms');
    assert.equal(answer.channels?.find((c) => c.name === 'wa')?.reason, 'disabled_for_account');
  });

  describe('refuses a broken rule with 400 naming the field, storing nothing', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        'an unknown skill',
        { routing: [{ name: 'nope', routingEnabled: true }] },
        'routing.0.name',
        /nope/,
      ],
      [
        'a skill twice',
        {
          routing: [
            { name: 'sales', routingEnabled: true },
            { name: 'sales', routingEnabled: false },
          ],
        },
        'routing',
        /at most once/,
      ],
      ['an unknown default skill', { defaultSkill: 'nope' }, 'defaultSkill', /nope/],
      [
        'a default skill that is not routed',
        {
          routing: [{ name: 'sales', routingEnabled: false }],
          defaultSkill: 'sales',
        },
        'defaultSkill',
        /routing enabled/,
      ],
      [
        'unrouting the default skill',
        { routing: [{ name: 'closed', routingEnabled: false }] },
        'routing.0.routingEnabled',
        /default skill/,
      ],
      ['a channel twice', { channels: [...CHANNELS, CHANNELS[0]] }, 'channels', /at most once/],
      ['a channel left out', { channels: CHANNELS.slice(1) }, 'channels', /each channel once/],
      [
        'no channel enabled',
        { channels: CHANNELS.map((c) => ({ ...c, enabled: false })) },
        'channels',
        /at least one/,
      ],
      [
        'an unknown channel',
        { channels: [{ name: 'fax', enabled: true }, ...CHANNELS.slice(1)] },
        'channels.0.name',
        /./,
      ],
      ['a long opt-out text', { smsOptOutText: 'x'.repeat(161) }, 'smsOptOutText', /160/],
      ['an empty HELP text', { helpText: ' ' }, 'helpText', /^is required$/],
      ['a frequency cap of 0', { frequencyCapPerHour: 0 }, 'frequencyCapPerHour', /at least 1/],
      ['a fractional rate limit', { rateLimitPerSec: 1.5 }, 'rateLimitPerSec', /./],
      ['device check as text', { deviceCheck: 'yes' }, 'deviceCheck', /boolean/],
      [
        'an origin with a path',
        { allowedOrigins: ['https://portal.example.com/admin'] },
        'allowedOrigins.0',
        /no path/,
      ],
      [
        'an origin with a trailing slash',
        { allowedOrigins: ['https://ok.example.com', 'https://portal.example.com/'] },
        'allowedOrigins.1',
        /origin/,
      ],
      ['a wildcard origin', { allowedOrigins: ['*'] }, 'allowedOrigins.0', /origin/],
      [
        'a non-web origin',
        { allowedOrigins: ['ftp://files.example.com'] },
        'allowedOrigins.0',
        /origin/,
      ],
      [
        'an origin twice',
        { allowedOrigins: ['https://a.example.com', 'https://A.example.com'] },
        'allowedOrigins',
        /at most once/,
      ],
    ];
    for (const [what, input, field, rule] of cases) {
      it(what, async () => {
        const before = await settings();
        // a valid change beside the broken one must not be stored either
        const res = await api.put('/settings', { deviceCheck: !before.deviceCheck, ...input });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        const { error } = res.body as AdminErrorBody;
        assert.equal(error.code, 'validation_failed');
        const fields = error.details?.fieldErrors ?? {};
        assert.ok(field in fields, `${field} in ${JSON.stringify(fields)}`);
        assert.match(fields[field], rule);
        assert.ok(error.message.startsWith(`${Object.keys(fields)[0]}: `), error.message);
        assert.deepEqual(await settings(), before);
      });
    }

    it('a body that is not a JSON object', async () => {
      const res = await api.put('/settings', [1, 2]);
      assert.equal(res.status, 400);
      assert.equal((res.body as AdminErrorBody).error.code, 'validation_failed');
    });
  });

  it("another account's settings are not found, by GET or PUT", async () => {
    const other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const mine = adminApi(t, other.accountId, await adminSession(t, account, 'admin'));
    assert.equal((await mine.get('/settings')).status, 404);
    const put = await mine.put('/settings', { deviceCheck: true });
    assert.equal(put.status, 404);
    assert.equal((put.body as AdminErrorBody).error.code, 'not_found');
    const theirs = adminApi(t, other.accountId, await adminSession(t, other, 'admin'));
    assert.equal(
      ((await theirs.get('/settings')).body as { deviceCheck: boolean }).deviceCheck,
      false,
    );
  });

  it('without a session: 401', async () => {
    const anonymous = adminApi(t, account.accountId, 'not-a-token');
    const res = await anonymous.get('/settings');
    assert.equal(res.status, 401);
    assert.equal((res.body as AdminErrorBody).error.code, 'unauthorized');
  });

  describe('role × action', () => {
    for (const role of Role.options) {
      it(`${role}: view ${can(role, 'settings:view') ? 'yes' : 'no'}, save ${can(role, 'settings:create') ? 'yes' : 'no'}`, async () => {
        const as = adminApi(t, account.accountId, await adminSession(t, account, role));
        const view = await as.get('/settings');
        assert.equal(
          view.status,
          can(role, 'settings:view') ? 200 : 403,
          JSON.stringify(view.body),
        );
        const before = (await api.get('/settings')).body as { frequencyCapPerHour: number };
        const save = await as.put('/settings', {
          frequencyCapPerHour: before.frequencyCapPerHour + 1,
        });
        assert.equal(
          save.status,
          can(role, 'settings:create') ? 200 : 403,
          JSON.stringify(save.body),
        );
        if (save.status === 403) {
          assert.equal((save.body as AdminErrorBody).error.code, 'forbidden');
          assert.deepEqual((await api.get('/settings')).body, before);
        }
      });
    }
  });
});
