// POST /api/account/:accountId/eligibility?v=2.0 against a real c2m: the answer's shape, the
// channel decisions in priority order, and every reason a caller is not eligible.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import { offlineDeviceLookup } from '../src/channels/phone.js';
import { optOut } from '../src/modules/optouts/optouts.repo.js';
import { newUuid } from '../src/ids.js';
import { ivrClient, seedAccount, startTestC2m, type TestC2m } from './helpers.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HOUR_MS = 3_600_000;
const MOBILE = '+14155550123';
const NOT_ON_WHATSAPP = '+14155550001';
const UK_LANDLINE = '+442079460123';
const UK_MOBILE = '+447911123456';

describe('eligibility', () => {
  let t: TestC2m;

  before(async () => {
    // the frequency-cap test moves the clock an hour; keep OAuth 1.0a timestamps (real time) valid
    t = await startTestC2m({ C2M_OAUTH1_WINDOW_SECONDS: String(3 * 86_400) });
  });
  after(() => t?.close());

  async function setUp(opts: Parameters<typeof seedAccount>[1] = {}) {
    const account = await seedAccount(t, opts);
    const ivr = ivrClient(t, account);
    const body = (over: Record<string, unknown> = {}) => ({
      skill: 'sales',
      consumerPhoneNumber: MOBILE,
      handoffId: account.handoffs.sms,
      ...over,
    });
    const eligibility = async (over: Record<string, unknown> = {}) => {
      const res = await ivr.eligibility(body(over));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as EligibilityResponse;
    };
    return { account, ivr, body, eligibility };
  }

  it('the test numbers are what their names say', async () => {
    assert.equal(await offlineDeviceLookup.lineType(UK_LANDLINE), 'landline');
    assert.equal(await offlineDeviceLookup.lineType(UK_MOBILE), 'mobile');
  });

  it('answers exactly the product fields plus channels, with a UUID v4 callId', async () => {
    const { eligibility } = await setUp();
    const body = await eligibility();
    assert.match(body.callId, UUID_V4);
    assert.deepEqual(body, {
      availableChannels: ['sms'],
      recommendedChannelName: 'sms',
      eligible: true,
      callId: body.callId,
      channels: [{ name: 'sms', eligible: true, reason: 'eligible' }],
    });
  });

  it('decides the channels in the handoff priority order and recommends the first', async () => {
    const { account, eligibility } = await setUp();
    const body = await eligibility({ handoffId: account.handoffs.waSms });
    assert.deepEqual(body.availableChannels, ['wa', 'sms']);
    assert.equal(body.recommendedChannelName, 'wa');
    assert.deepEqual(
      body.channels.map((c) => c.name),
      ['wa', 'sms'],
    );
  });

  it('leaves WhatsApp out for a number not on WhatsApp', async () => {
    const { account, eligibility } = await setUp();
    const body = await eligibility({
      handoffId: account.handoffs.waSms,
      consumerPhoneNumber: NOT_ON_WHATSAPP,
    });
    assert.deepEqual(body.availableChannels, ['sms']);
    assert.equal(body.recommendedChannelName, 'sms');
    assert.equal(body.eligible, true);
    assert.deepEqual(body.channels, [
      { name: 'wa', eligible: false, reason: 'not_reachable', reachability: 'unknown' },
      { name: 'sms', eligible: true, reason: 'eligible' },
    ]);
  });

  it('needs a consumerId for in-app', async () => {
    const { account, eligibility } = await setUp();
    const without = await eligibility({ handoffId: account.handoffs.inapp });
    assert.equal(without.eligible, false);
    assert.deepEqual(without.availableChannels, []);
    assert.equal(without.recommendedChannelName, '');
    assert.deepEqual(without.channels, [
      { name: 'inapp', eligible: false, reason: 'consumer_id_required' },
    ]);

    const withId = await eligibility({ handoffId: account.handoffs.inapp, consumerId: 'user-42' });
    assert.equal(withId.eligible, true);
    assert.deepEqual(withId.availableChannels, ['inapp']);
    assert.equal(withId.recommendedChannelName, 'inapp');
  });

  it('refuses SMS and WhatsApp to a landline when the account checks devices', async () => {
    const { account, eligibility } = await setUp({ deviceCheck: true });
    const landline = await eligibility({
      handoffId: account.handoffs.waSms,
      consumerPhoneNumber: UK_LANDLINE,
    });
    assert.equal(landline.eligible, false);
    assert.deepEqual(landline.availableChannels, []);
    assert.deepEqual(landline.channels, [
      { name: 'wa', eligible: false, reason: 'landline', reachability: 'unknown' },
      { name: 'sms', eligible: false, reason: 'landline' },
    ]);

    const mobile = await eligibility({
      handoffId: account.handoffs.waSms,
      consumerPhoneNumber: UK_MOBILE,
    });
    assert.deepEqual(mobile.availableChannels, ['wa', 'sms']);
  });

  it('offers a landline SMS when the account does not check devices', async () => {
    const { account, eligibility } = await setUp({ deviceCheck: false });
    const body = await eligibility({
      handoffId: account.handoffs.waSms,
      consumerPhoneNumber: UK_LANDLINE,
    });
    assert.equal(body.eligible, true);
    assert.deepEqual(body.availableChannels, ['wa', 'sms']);
  });

  it('refuses every channel to a number that opted out of this account only', async () => {
    const { account, eligibility } = await setUp();
    const other = await setUp();
    await optOut(t.c2m.deps.uow, {
      accountId: account.accountId,
      phone: MOBILE,
      source: 'sms',
      keyword: 'STOP',
      now: t.clock.now(),
    });
    const body = await eligibility({ handoffId: account.handoffs.waSms });
    assert.equal(body.eligible, false);
    assert.deepEqual(body.availableChannels, []);
    assert.deepEqual(body.channels, [
      { name: 'wa', eligible: false, reason: 'opted_out', reachability: 'unknown' },
      { name: 'sms', eligible: false, reason: 'opted_out' },
    ]);

    assert.equal((await other.eligibility()).eligible, true, 'an opt-out is per account');
  });

  /** A conversation open with a consumer, as a reply would have opened it. */
  const openConversation = (
    accountId: string,
    c: { phone?: string; consumerId?: string; channel: string },
  ) =>
    t.c2m.deps.db
      .insertInto('conversations')
      .values({
        id: newUuid(),
        account_id: accountId,
        transaction_id: null,
        consumer_phone: c.phone ?? null,
        consumer_id: c.consumerId ?? null,
        channel: c.channel,
        skill: 'sales',
        status: 'open',
        opened_at: t.clock.now(),
        closed_at: null,
      })
      .execute();

  it('refuses a number that already has an open conversation', async () => {
    const { account, eligibility } = await setUp();
    await openConversation(account.accountId, { phone: MOBILE, channel: 'sms' });
    const body = await eligibility({ handoffId: account.handoffs.waSms });
    assert.equal(body.eligible, false);
    assert.deepEqual(
      body.channels.map((c) => c.reason),
      ['open_conversation', 'open_conversation'],
    );
  });

  it('refuses an app user who opted out, or has a conversation open, by consumerId', async () => {
    const { account, eligibility } = await setUp();
    const asUser = (consumerId: string) =>
      eligibility({ handoffId: account.handoffs.inapp, consumerId });
    assert.equal((await asUser('user-stopped')).eligible, true);
    await optOut(t.c2m.deps.uow, {
      accountId: account.accountId,
      phone: 'user-stopped',
      source: 'inapp',
      keyword: 'STOP',
      now: t.clock.now(),
    });
    assert.deepEqual((await asUser('user-stopped')).channels, [
      { name: 'inapp', eligible: false, reason: 'opted_out' },
    ]);

    await openConversation(account.accountId, { consumerId: 'user-talking', channel: 'inapp' });
    assert.deepEqual((await asUser('user-talking')).channels, [
      { name: 'inapp', eligible: false, reason: 'open_conversation' },
    ]);
    // the same number, as another app user, is not held back by either
    assert.equal((await asUser('user-other')).eligible, true);
  });

  it('caps invites per number per hour, and lets the number in again an hour later', async () => {
    const { ivr, eligibility } = await setUp();
    for (let i = 0; i < 3; i++) {
      const { callId, eligible } = await eligibility();
      assert.equal(eligible, true, `invite ${i + 1} of 3 is allowed`);
      const invited = await ivr.invite({ callId });
      assert.equal(invited.status, 200, JSON.stringify(invited.body));
    }
    const capped = await eligibility();
    assert.equal(capped.eligible, false);
    assert.deepEqual(capped.channels, [{ name: 'sms', eligible: false, reason: 'frequency_cap' }]);
    assert.equal((await eligibility({ consumerPhoneNumber: UK_MOBILE })).eligible, true);

    t.clock.advance(HOUR_MS + 1);
    const later = await eligibility();
    assert.equal(later.eligible, true);
    assert.deepEqual(later.availableChannels, ['sms']);
  });

  it('stores the call context under the callId, with the decision and its expiry', async () => {
    const { account, eligibility } = await setUp();
    const sdes = [
      { type: 'personal', info: { firstname: 'Ada', lastname: 'Lovelace' } },
      { type: 'ctmrinfo', info: { cstatus: 'gold', customerId: 'C-1' } },
    ];
    const before = t.clock.now();
    const body = await eligibility({
      handoffId: account.handoffs.waSms,
      consumerPhoneNumber: NOT_ON_WHATSAPP,
      sdes,
      templateVariables: { '1': 'Ada' },
      ivrNumber: '+18005550100',
      consumerId: 'user-7',
    });
    const row = await t.c2m.deps.db
      .selectFrom('calls')
      .selectAll()
      .where('id', '=', body.callId)
      .executeTakeFirstOrThrow();
    assert.equal(row.account_id, account.accountId);
    assert.equal(row.handoff_id, account.handoffs.waSms);
    assert.equal(row.skill, 'sales');
    assert.equal(row.consumer_phone, NOT_ON_WHATSAPP);
    assert.equal(row.consumer_id, 'user-7');
    assert.equal(row.ivr_number, '+18005550100');
    assert.deepEqual(JSON.parse(row.sdes_json), sdes);
    assert.deepEqual(JSON.parse(row.template_vars_json), { '1': 'Ada' });
    assert.equal(row.eligible, 1);
    assert.deepEqual(JSON.parse(row.decisions_json), body.channels);
    assert.equal(row.created_at, before);
    assert.equal(row.expires_at, before + 3600 * 1000);
  });

  it('gives each call its own callId', async () => {
    const { eligibility } = await setUp();
    const [a, b] = await Promise.all([eligibility(), eligibility()]);
    assert.notEqual(a.callId, b.callId);
  });
});
