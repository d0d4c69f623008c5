// Honest WhatsApp reachability (issue 15, item 2): Meta forbids asking whether a number is on
// WhatsApp, so c2m learns it per account from its own sends. A send refused as "not on WhatsApp"
// (131026, at send time or in a failed status) makes `wa` not_reachable for the account's period;
// a delivered or read WhatsApp message makes the number known reachable. The learning is the
// account's own: another account never sees it. The admin API shows the counts, sets the period
// and clears what was learned, role-checked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import type { AdminErrorBody } from '../contract/errors.js';
import { can, Role } from '../contract/policy.js';
import type { WaReachability, WaReachabilityView } from '../contract/wa-reachability.js';
import {
  adminApi,
  adminSession,
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { accountApi, deflect, sandboxPhone, transactionOf } from './sandbox-phone.js';

const DAY_MS = 86_400_000;
const RECEIPT_MS = 60_000;
const ENV = {
  // the TestClock moves days ahead while oauth-1.0a signs with the real time
  C2M_OAUTH1_WINDOW_SECONDS: String(400 * 86_400),
  // the sandbox's simulated receipt comes due only when a test moves the clock on
  C2M_SANDBOX_RECEIPT_MS: String(RECEIPT_MS),
};

/** A number the sandbox refuses on WhatsApp with 131026 at send time (…0002), unique per test. */
let next = 0;
const refusedOnWhatsApp = () => `+1415${String(300 + (next += 1)).padStart(3, '0')}0002`;
/** A number the sandbox delivers to on every channel. */
const deliverable = () => `+1415${String(300 + (next += 1)).padStart(3, '0')}1234`;

describe('WhatsApp reachability learned from sends', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m(ENV);
  });
  after(() => t?.close());

  const newAccount = () => seedAccount(t, { permissions: ['ivr', 'admin'] });

  async function eligibility(account: SeededAccount, phone: string) {
    const res = await ivrClient(t, account).eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: account.handoffs.waSms,
      templateVariables: { 1: 'Ana' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as EligibilityResponse;
  }

  const waEntry = (e: EligibilityResponse) => e.channels.find((c) => c.name === 'wa');
  /** The `wa` entry eligibility answers for what c2m knows. */
  const waDecision = (reachability: WaReachability) =>
    reachability === 'learned_unreachable'
      ? { name: 'wa', eligible: false, reason: 'not_reachable', reachability }
      : { name: 'wa', eligible: true, reason: 'eligible', reachability };

  /** Eligibility and invite on the WhatsApp-then-SMS handoff; the call's id. */
  const deflectOnWhatsApp = async (account: SeededAccount, phone: string) =>
    (
      await deflect(t, account, phone, {
        handoff: account.handoffs.waSms,
        eligibility: { templateVariables: { 1: 'Ana' } },
      })
    ).callId;

  /** The failed status Meta sends for the WhatsApp message to `phone` still awaiting its receipt. */
  async function reportFailure(account: SeededAccount, phone: string, errorCode: string) {
    const handset = sandboxPhone(accountApi(t, account), phone);
    const invite = await waitFor(
      // sent and not yet delivered: the sandbox's receipt waits for the clock
      async () => (await handset.received()).find((m) => m.channel === 'wa' && m.status === 'sent'),
      'the WhatsApp invite sent',
    );
    return handset.report(invite.id, 'failed', { errorCode, errorMessage: 'refused' });
  }

  /** Deflects to a number the sandbox refuses on WhatsApp; waits until the SMS fallback went out. */
  async function refusedSend(account: SeededAccount, phone: string) {
    const callId = await deflectOnWhatsApp(account, phone);
    await waitFor(async () => {
      const tx = await transactionOf(t, callId);
      return tx.channel === 'sms' && tx.status === 'sent' ? tx : undefined;
    }, 'the SMS fallback after the WhatsApp refusal');
  }

  async function deliveredOnWhatsApp(account: SeededAccount, phone: string) {
    const callId = await deflectOnWhatsApp(account, phone);
    await waitFor(async () => {
      const tx = await transactionOf(t, callId);
      return tx.status === 'sent' ? tx : undefined;
    }, 'the WhatsApp invite sent');
    t.clock.advance(RECEIPT_MS);
    t.c2m.deps.nudgeOutbox();
    await waitFor(async () => {
      const tx = await transactionOf(t, callId);
      return tx.channel === 'wa' && tx.status === 'delivered' ? tx : undefined;
    }, 'the WhatsApp invite delivered');
  }

  it('says unknown for a number c2m has never sent to on WhatsApp, and offers wa', async () => {
    const account = await newAccount();
    const e = await eligibility(account, deliverable());
    assert.deepEqual(waEntry(e), waDecision('unknown'));
    assert.deepEqual(e.availableChannels, ['wa', 'sms']);
  });

  it('answers wa not_reachable after a send refused with 131026, so the IVR offers SMS', async () => {
    const account = await newAccount();
    const phone = refusedOnWhatsApp();
    await refusedSend(account, phone);

    const e = await eligibility(account, phone);
    assert.deepEqual(waEntry(e), waDecision('learned_unreachable'));
    assert.deepEqual(e.availableChannels, ['sms']);
    assert.equal(e.recommendedChannelName, 'sms');
    assert.equal(e.eligible, true);

    // the invite of that call goes straight to SMS: no second WhatsApp attempt
    const ivr = ivrClient(t, account);
    assert.equal((await ivr.invite({ callId: e.callId })).status, 200);
    const tx = await waitFor(async () => {
      const row = await transactionOf(t, e.callId);
      return row.status === 'sent' ? row : undefined;
    }, 'the SMS invite sent');
    assert.equal(tx.channel, 'sms');
    const waSends = await t.c2m.deps.db
      .selectFrom('messages')
      .select('id')
      .where('transaction_id', '=', tx.id)
      .where('channel', '=', 'wa')
      .execute();
    assert.deepEqual(waSends, []);
  });

  it('learns the same from a failed status (131026) that arrives after the send', async () => {
    const account = await newAccount();
    const phone = deliverable();
    const callId = await deflectOnWhatsApp(account, phone);
    // before the simulated receipt is due: Meta's failed status for a number not on WhatsApp
    assert.equal(await reportFailure(account, phone, '131026'), 'applied');
    await waitFor(async () => {
      const tx = await transactionOf(t, callId);
      return tx.channel === 'sms' ? tx : undefined;
    }, 'the SMS fallback');
    const e = await eligibility(account, phone);
    assert.deepEqual(waEntry(e), waDecision('learned_unreachable'));
    assert.deepEqual(e.availableChannels, ['sms']);
  });

  it('does not learn "not on WhatsApp" from other failures', async () => {
    const account = await newAccount();
    const phone = deliverable();
    await deflectOnWhatsApp(account, phone);
    assert.equal(await reportFailure(account, phone, '131047'), 'applied');
    assert.deepEqual(waEntry(await eligibility(account, phone)), waDecision('unknown'));
  });

  it('knows a number reachable once a WhatsApp message was delivered to it', async () => {
    const account = await newAccount();
    const phone = deliverable();
    await deliveredOnWhatsApp(account, phone);
    const e = await eligibility(account, phone);
    assert.deepEqual(waEntry(e), waDecision('known_reachable'));
  });

  it('lets the later verdict replace the earlier one (a number that left WhatsApp)', async () => {
    const account = await newAccount();
    const phone = deliverable();
    await deliveredOnWhatsApp(account, phone);
    t.clock.advance(1000);
    await deflectOnWhatsApp(account, phone);
    assert.equal(await reportFailure(account, phone, '131026'), 'applied');
    assert.deepEqual(waEntry(await eligibility(account, phone)), waDecision('learned_unreachable'));
  });

  it('forgets a learned refusal after the account period', async () => {
    const account = await newAccount();
    const admin = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    assert.equal(
      (await admin.put('/settings/wa-reachability', { unreachableDays: 2 })).status,
      200,
    );
    const phone = refusedOnWhatsApp();
    await refusedSend(account, phone);
    t.clock.advance(DAY_MS);
    assert.equal(waEntry(await eligibility(account, phone))?.reachability, 'learned_unreachable');
    t.clock.advance(DAY_MS + 1000);
    const later = await eligibility(account, phone);
    assert.deepEqual(waEntry(later), waDecision('unknown'));
  });

  it('keeps one account’s learning from every other account (same number)', async () => {
    const a = await newAccount();
    const b = await newAccount();
    const refused = refusedOnWhatsApp();
    await refusedSend(a, refused);
    const reached = deliverable();
    await deliveredOnWhatsApp(a, reached);

    assert.equal(waEntry(await eligibility(a, refused))?.reachability, 'learned_unreachable');
    assert.equal(waEntry(await eligibility(a, reached))?.reachability, 'known_reachable');
    for (const phone of [refused, reached]) {
      const e = await eligibility(b, phone);
      assert.deepEqual(waEntry(e), waDecision('unknown'));
    }
    const adminB = adminApi(t, b.accountId, await adminSession(t, b, 'admin'));
    const view = await adminB.get('/settings/wa-reachability');
    assert.deepEqual(view.body, { unreachableDays: 30, learnedUnreachable: 0, knownReachable: 0 });
    // clearing B's learning leaves A's
    assert.equal((await adminB.delete('/settings/wa-reachability/learned')).status, 200);
    assert.equal(waEntry(await eligibility(a, refused))?.reachability, 'learned_unreachable');
  });

  it('shows the counts, changes the period and clears what was learned in the admin API', async () => {
    const account = await newAccount();
    const admin = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    const refused = refusedOnWhatsApp();
    await refusedSend(account, refused);
    await deliveredOnWhatsApp(account, deliverable());

    const view = await admin.get('/settings/wa-reachability');
    assert.equal(view.status, 200, JSON.stringify(view.body));
    assert.deepEqual(view.body, { unreachableDays: 30, learnedUnreachable: 1, knownReachable: 1 });

    const put = await admin.put('/settings/wa-reachability', { unreachableDays: 7 });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body, { unreachableDays: 7, learnedUnreachable: 1, knownReachable: 1 });

    for (const bad of [0, 366, 1.5, '7']) {
      const res = await admin.put('/settings/wa-reachability', { unreachableDays: bad });
      assert.equal(res.status, 400, `${bad}: ${JSON.stringify(res.body)}`);
      assert.match(JSON.stringify(res.body), /unreachableDays/);
    }
    assert.equal(
      ((await admin.get('/settings/wa-reachability')).body as { unreachableDays: number })
        .unreachableDays,
      7,
    );

    const cleared = await admin.delete('/settings/wa-reachability/learned');
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.deepEqual(cleared.body, {
      unreachableDays: 7,
      learnedUnreachable: 0,
      knownReachable: 0,
    });
    assert.equal(waEntry(await eligibility(account, refused))?.reachability, 'unknown');
  });

  it('checks every role against the policy table, and hides another account', async () => {
    const account = await newAccount();
    const owner = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    await refusedSend(account, refusedOnWhatsApp());
    const before = (await owner.get('/settings/wa-reachability')).body as WaReachabilityView;
    assert.equal(before.learnedUnreachable, 1);
    for (const role of Role.options) {
      const as = adminApi(t, account.accountId, await adminSession(t, account, role));
      const view = await as.get('/settings/wa-reachability');
      assert.equal(view.status, can(role, 'settings:view') ? 200 : 403, role);
      if (can(role, 'settings:create')) continue; // changing is covered above
      const put = await as.put('/settings/wa-reachability', { unreachableDays: 3 });
      assert.equal(put.status, 403, role);
      const clear = await as.delete('/settings/wa-reachability/learned');
      assert.equal(clear.status, 403, role);
      assert.equal((clear.body as AdminErrorBody).error.code, 'forbidden');
    }
    assert.deepEqual((await owner.get('/settings/wa-reachability')).body, before);

    // an admin of another account, with this account's id in the path: not found, nothing changed
    const other = await newAccount();
    const crossed = adminApi(t, account.accountId, await adminSession(t, other, 'admin'));
    assert.equal((await crossed.get('/settings/wa-reachability')).status, 404);
    assert.equal(
      (await crossed.put('/settings/wa-reachability', { unreachableDays: 3 })).status,
      404,
    );
    assert.equal((await crossed.delete('/settings/wa-reachability/learned')).status, 404);
    assert.deepEqual((await owner.get('/settings/wa-reachability')).body, before);
  });
});
