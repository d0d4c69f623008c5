// The typed client (client/src) against a real c2m: eligibility then invite with each kind of
// credential (OAuth 2.0 client credentials, a bearer token, OAuth 1.0a with HMAC-SHA1 and
// HMAC-SHA256), the error model, idempotent replays, a real 429 waited out, and the reporting
// API: analytics, transaction pages, and streamed exports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IvrErrorCode } from '../contract/errors.js';
import { optOut } from '../src/modules/optouts/optouts.repo.js';
import { C2mError, createC2mClient, type C2mAuth, type C2mClient } from '../../client/src/index.js';
import {
  bearerToken,
  seedAccount,
  startTestC2m,
  TestClock,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const MOBILE = '+14155550123';

describe('client against a running c2m', () => {
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    // c2m on real time, so its rate limiter refills while the client waits out a Retry-After
    const clock = Object.assign(new TestClock(), { now: () => Date.now() });
    t = await startTestC2m({}, { clock });
    account = await seedAccount(t, { permissions: ['ivr', 'reporting'] });
  });
  after(() => t?.close());

  const clientFor = (auth: C2mAuth, seeded = account): C2mClient =>
    createC2mClient({ baseUrl: t.url, accountId: seeded.accountId, auth });
  const oauth1 = (signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256', seeded = account): C2mAuth => ({
    type: 'oauth1',
    ...seeded.oauth1,
    signatureMethod,
  });
  const eligibilityOf = (seeded = account) => ({
    skill: 'sales',
    consumerPhoneNumber: MOBILE,
    handoffId: seeded.handoffs.sms,
  });

  const auths: [string, (seeded: SeededAccount) => C2mAuth | Promise<C2mAuth>][] = [
    ['OAuth 2.0 client credentials', (s) => ({ type: 'bearer', ...s.oauth2 })],
    [
      'a bearer token',
      async (s) => ({ type: 'bearer', token: await bearerToken(t.url, s.oauth2) }),
    ],
    ['OAuth 1.0a HMAC-SHA1', (s) => oauth1('HMAC-SHA1', s)],
    ['OAuth 1.0a HMAC-SHA256', (s) => oauth1('HMAC-SHA256', s)],
  ];
  for (const [name, auth] of auths) {
    it(`runs eligibility then invite with ${name}`, async () => {
      // an account of its own: an invited number is not offered again within the lookback
      const seeded = await seedAccount(t);
      const c2m = clientFor(await auth(seeded), seeded);
      const eligibility = await c2m.eligibility(eligibilityOf(seeded));
      assert.equal(eligibility.eligible, true);
      assert.equal(eligibility.recommendedChannelName, 'sms');
      assert.deepEqual(eligibility.channels, [{ name: 'sms', eligible: true, reason: 'eligible' }]);
      const invite = await c2m.invite({ callId: eligibility.callId });
      assert.deepEqual(invite, { callId: eligibility.callId });
    });
  }

  it('throws a C2mError carrying the API code', async () => {
    const c2m = clientFor(oauth1('HMAC-SHA1'));
    await assert.rejects(
      c2m.eligibility({ ...eligibilityOf(), consumerPhoneNumber: '+1415' }),
      (err: unknown) => {
        assert.ok(err instanceof C2mError);
        assert.equal(err.status, 400);
        assert.equal(err.errorCode, IvrErrorCode.invalidPhoneNumber);
        assert.match(err.errorMessage, /customerPhoneNumber/);
        assert.match(err.requestId ?? '', /^[0-9a-f-]{36}$/);
        return true;
      },
    );
    await assert.rejects(c2m.invite({ callId: crypto.randomUUID() }), {
      status: 404,
      errorCode: IvrErrorCode.notFound,
    });
  });

  it('is refused with wrong credentials, and on another account', async () => {
    await assert.rejects(
      clientFor({
        type: 'bearer',
        clientId: account.oauth2.clientId,
        clientSecret: 'wrong',
      }).eligibility(eligibilityOf()),
      { status: 401, errorCode: IvrErrorCode.invalidToken },
    );
    await assert.rejects(
      clientFor({ ...oauth1('HMAC-SHA1'), tokenSecret: 'wrong' } as C2mAuth).eligibility(
        eligibilityOf(),
      ),
      { status: 401, errorCode: IvrErrorCode.invalidToken },
    );
    const other = await seedAccount(t);
    const mine = createC2mClient({
      baseUrl: t.url,
      accountId: other.accountId,
      auth: oauth1('HMAC-SHA1'),
    });
    await assert.rejects(mine.eligibility(eligibilityOf(other)), {
      status: 403,
      errorCode: IvrErrorCode.forbidden,
    });
  });

  it('replays a call made again with the same Idempotency-Key', async () => {
    const c2m = clientFor({ type: 'bearer', ...account.oauth2 });
    const first = await c2m.eligibility(eligibilityOf(), { idempotencyKey: 'ivr-call-1' });
    const again = await c2m.eligibility(eligibilityOf(), { idempotencyKey: 'ivr-call-1' });
    assert.equal(again.callId, first.callId);
    await assert.rejects(
      c2m.eligibility({ ...eligibilityOf(), skill: 'billing' }, { idempotencyKey: 'ivr-call-1' }),
      { status: 422, errorCode: IvrErrorCode.idempotencyKeyReused },
    );
  });

  it("waits out c2m's own 429 and Retry-After, re-signing each attempt", async () => {
    const limited = await seedAccount(t, { rateLimitPerSec: 1 });
    const c2m = clientFor(oauth1('HMAC-SHA1', limited), limited);
    const started = performance.now();
    const answers = await Promise.all([
      c2m.eligibility(eligibilityOf(limited)),
      c2m.eligibility(eligibilityOf(limited)),
    ]);
    assert.equal(new Set(answers.map((a) => a.callId)).size, 2);
    // the second call was turned away and retried after the Retry-After of 1 s
    assert.ok(performance.now() - started >= 900);
  });

  describe('reporting', () => {
    let reports: SeededAccount;
    let window: { attemptedStartTime: number; attemptedEndTime: number };
    let callIds: string[];
    const CALLERS = ['+14155550123', '+14155550124', '+14155550125'];

    before(async () => {
      reports = await seedAccount(t, { permissions: ['ivr', 'reporting'] });
      const start = Date.now() - 1000;
      const ivr = clientFor({ type: 'bearer', ...reports.oauth2 }, reports);
      callIds = [];
      for (const consumerPhoneNumber of CALLERS) {
        const answer = await ivr.eligibility({ ...eligibilityOf(reports), consumerPhoneNumber });
        callIds.push(answer.callId);
      }
      await ivr.invite({ callId: callIds[0] });
      await optOut(t.c2m.deps.uow, {
        accountId: reports.accountId,
        phone: CALLERS[2],
        source: 'sms',
        keyword: 'STOP',
        now: Date.now(),
      });
      window = { attemptedStartTime: start, attemptedEndTime: Date.now() + 1000 };
    });

    // GETs with a query are what OAuth 1.0a signing gets wrong most easily: sign them that way
    const signed = () => clientFor(oauth1('HMAC-SHA1', reports), reports);
    const bearer = () => clientFor({ type: 'bearer', ...reports.oauth2 }, reports);
    const sum = (rows: { attempted: number; invited: number }[], key: 'attempted' | 'invited') =>
      rows.reduce((n, r) => n + r[key], 0);

    it('reads analytics with GET, and with filters by POST', async () => {
      const all = await signed().analytics(window);
      assert.equal(all.requestMetadata.accountId, reports.accountId);
      assert.equal(sum(all.analytics, 'attempted'), 3);
      assert.equal(sum(all.analytics, 'invited'), 1);

      const filtered = await bearer().analytics(window, {
        channels: ['sms'],
        groupby: ['handoff'],
      });
      assert.deepEqual(filtered.requestMetadata.filters, {
        channels: ['sms'],
        groupby: ['handoff'],
      });
      assert.ok(filtered.analytics.every((r) => r.handoffid === reports.handoffs.sms));
    });

    it('reads one page of transactions, and pages through all of them', async () => {
      const page = await signed().transactions(window, { limit: 2 });
      assert.deepEqual(page.page, { count: 3, offset: 0, limit: 2 });
      assert.equal(page.transactions.length, 2);

      const seen: string[] = [];
      for await (const record of bearer().iterateTransactions(window, { limit: 2 })) {
        seen.push(record.callId);
      }
      assert.deepEqual(seen.sort(), [...callIds].sort());
    });

    it('streams the transactions export as records, or as CSV text', async () => {
      const records = [];
      for await (const record of signed().exportTransactions(window)) records.push(record);
      assert.deepEqual(records.map((r) => r.callId).sort(), [...callIds].sort());
      const invited = records.find((r) => r.callId === callIds[0]);
      assert.ok(invited?.inviteTime);

      let csv = '';
      for await (const chunk of signed().exportTransactions(window, 'csv')) csv += chunk;
      const [header, ...rows] = csv.trimEnd().split('\r\n');
      assert.match(header, /^transactionId,callId,/);
      assert.equal(rows.length, 3);
    });

    it('streams the opt-out ledger', async () => {
      const ledger = [];
      for await (const entry of bearer().exportOptOuts(window)) ledger.push(entry);
      assert.equal(ledger.length, 1);
      assert.equal(ledger[0].phone, CALLERS[2]);
      assert.equal(ledger[0].action, 'opt_out');
    });

    it('reports a window the API refuses as a C2mError', async () => {
      await assert.rejects(
        bearer().transactions({
          attemptedStartTime: window.attemptedStartTime,
          attemptedEndTime: window.attemptedStartTime + 2 * 86_400_000,
        }),
        (err: unknown) => {
          // the reporting API's own body (README "Errors"), `{code, requestTraceId, message}`
          assert.ok(err instanceof C2mError);
          assert.equal(err.status, 400);
          assert.match(err.errorMessage, /attemptedEndTime: .*24 hours/);
          assert.match(err.requestId ?? '', /^[0-9a-f-]{36}$/);
          return true;
        },
      );
    });
  });
});
