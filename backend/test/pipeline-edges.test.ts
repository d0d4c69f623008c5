// Edges of the messaging pipeline found in review: de-duplication is per account (a brand's push
// proxy picks its own event ids), and an open in-app conversation blocks a new deflection of the
// same caller on any channel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import { firstDelivery } from '../src/modules/messaging/inbound.service.js';
import {
  call,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  waitFor,
  type TestC2m,
} from './helpers.js';

describe('pipeline edges', () => {
  let t: TestC2m;
  before(async () => {
    t = await startTestC2m();
  });
  after(() => t?.close());

  it('de-duplicates webhook events per account, not across accounts', async () => {
    const a = await seedAccount(t);
    const b = await seedAccount(t);
    const deps = t.c2m.deps;
    assert.equal(await firstDelivery(deps, 'push-proxy', 'evt-1', a.accountId), true);
    assert.equal(await firstDelivery(deps, 'push-proxy', 'evt-1', b.accountId), true);
    assert.equal(await firstDelivery(deps, 'push-proxy', 'evt-1', a.accountId), false);
  });

  it('refuses a new deflection while the caller has an open in-app conversation', async () => {
    const account = await seedAccount(t);
    const ivr = ivrClient(t, account);
    const phone = '+14155550177';
    const consumerId = 'app-user-177';
    const e = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: account.handoffs.inapp,
      consumerId,
    });
    const { callId, eligible } = e.body as EligibilityResponse;
    assert.equal(eligible, true, JSON.stringify(e.body));
    assert.equal((await ivr.invite({ callId })).status, 200);
    await waitFor(async () => {
      const tx = await t.c2m.deps.db
        .selectFrom('transactions')
        .select('status')
        .where('call_id', '=', callId)
        .executeTakeFirst();
      return tx?.status === 'delivered' || undefined;
    }, 'the in-app invite delivered');

    // the app user answers in the app
    const sandboxUrl = `${t.url}/api/account/${account.accountId}/sandbox/inbound`;
    const answered = await call(sandboxUrl, {
      authorization: oauth1Header(account.oauth1, 'POST', sandboxUrl),
      body: { channel: 'inapp', from: consumerId, text: 'Hi from the app' },
    });
    assert.deepEqual(answered.body, { outcome: 'conversation' });
    const conversation = await t.c2m.deps.db
      .selectFrom('conversations')
      .select(['consumer_id', 'consumer_phone', 'deflection'])
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(conversation, {
      consumer_id: consumerId,
      consumer_phone: phone,
      deflection: 1,
    });

    const bySms = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: account.handoffs.sms,
    });
    const body = bySms.body as EligibilityResponse;
    assert.equal(body.eligible, false);
    assert.deepEqual(body.channels, [
      { name: 'sms', eligible: false, reason: 'open_conversation' },
    ]);
  });
});
