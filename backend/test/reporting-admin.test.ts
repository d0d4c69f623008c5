// The admin element's reporting dashboard API against a real c2m: calls made through the real
// eligibility / invite API and the sandbox phone, then the funnel, the filters and the filter
// pickers as POST …/reports/analytics and GET …/reports/dimensions answer them; who may read them;
// and the /reports Socket.IO namespace that tells open dashboards their counts moved.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { POLICY, Role } from '../contract/policy.js';
import type { ReportsDimensions } from '../contract/admin-reports.js';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../contract/realtime.js';
import { DAY_MS, type AnalyticsResponse, type AnalyticsRow } from '../contract/reporting.js';
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
import { accountApi, deflect, freshPhone, sandboxPhone } from './sandbox-phone.js';

type ReportsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const IVR_MAIN = '+18005550100';
const IVR_BILLING = '+18005550199';
/** The sandbox's scripted endings: …0000 is reachable on no channel, …0004 refuses SMS for good. */
const scripted = (ending: '0000' | '0004') => `${freshPhone().slice(0, -4)}${ending}`;

const COUNTS = [
  'attempted',
  'eligible',
  'invited',
  'skipped',
  'sent',
  'failed',
  'delivered',
  'read',
  'conversationscreated',
] as const;
type Totals = Record<(typeof COUNTS)[number], number>;

function totals(rows: AnalyticsRow[]): Totals {
  const sum = Object.fromEntries(COUNTS.map((c) => [c, 0])) as Totals;
  for (const row of rows) for (const c of COUNTS) sum[c] += row[c];
  return sum;
}

function errorTotals(rows: AnalyticsRow[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const row of rows) {
    for (const [key, n] of Object.entries(row.error_aggregation)) sum[key] = (sum[key] ?? 0) + n;
  }
  return sum;
}

describe('reporting admin API', () => {
  let t: TestC2m;
  let a: SeededAccount;
  let b: SeededAccount;
  let adminToken: string;
  const sockets: ReportsSocket[] = [];

  const window = () => ({
    attemptedStartTime: t.clock.now() - DAY_MS,
    attemptedEndTime: t.clock.now() + DAY_MS,
  });
  const analytics = async (body: Record<string, unknown>, token = adminToken) => {
    const res = await adminApi(t, a.accountId, token).post('/reports/analytics', {
      ...window(),
      ...body,
    });
    return res;
  };
  const rowsOf = async (body: Record<string, unknown> = {}) => {
    const res = await analytics(body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as AnalyticsResponse).analytics;
  };

  before(async () => {
    // OAuth 1.0a signs with the real time; the test clock stays where it started
    t = await startTestC2m();
    a = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    b = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    adminToken = await adminSession(t, a, 'admin');

    const api = accountApi(t, a);
    // 1: sales, delivered by the sandbox, read, answered: a conversation
    const replied = sandboxPhone(api, freshPhone());
    await deflect(t, a, replied.address, { eligibility: { ivrNumber: IVR_MAIN } });
    const invite = await waitFor(
      async () => (await replied.received()).find((m) => m.status === 'delivered'),
      'the delivered invite',
    );
    assert.equal(await replied.report(invite.id, 'read'), 'applied');
    assert.equal(await replied.send('I have a question'), 'conversation');
    // 2: billing on the WhatsApp-then-SMS handoff, delivered
    const billing = sandboxPhone(api, freshPhone());
    await deflect(t, a, billing.address, {
      skill: 'billing',
      handoff: a.handoffs.waSms,
      eligibility: { ivrNumber: IVR_BILLING },
    });
    await waitFor(
      async () => (await billing.received()).find((m) => m.status === 'delivered'),
      'the billing invite',
    );
    // 3: SMS refused for good by the provider: invited, failed
    const refused = scripted('0004');
    await deflect(t, a, refused, { eligibility: { ivrNumber: IVR_MAIN } });
    // 4: reachable on no channel: an attempt that failed at eligibility (c2m_1001)
    const ivr = ivrClient(t, a);
    const unreachable = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: scripted('0000'),
      handoffId: a.handoffs.sms,
      ivrNumber: IVR_MAIN,
    });
    assert.equal((unreachable.body as { eligible: boolean }).eligible, false);
    // 5: opted out by STOP before the call: skipped
    const optedOut = sandboxPhone(api, freshPhone());
    assert.equal(await optedOut.send('STOP'), 'opted_out');
    const skipped = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: optedOut.address,
      handoffId: a.handoffs.sms,
      ivrNumber: IVR_MAIN,
    });
    assert.equal((skipped.body as { eligible: boolean }).eligible, false);
    // another account's attempt, which account A's reports never count
    await deflect(t, b, freshPhone());
    // the refused send fails asynchronously, in the outbox
    await waitFor(async () => totals(await rowsOf()).failed === 2 || undefined, 'the failed send');
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  it('answers the funnel of the calls made through the IVR API', async () => {
    const res = await analytics({});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body as AnalyticsResponse;
    assert.equal(body.requestMetadata.accountId, a.accountId);
    assert.deepEqual(totals(body.analytics), {
      attempted: 5,
      eligible: 3,
      invited: 3,
      skipped: 1,
      sent: 2,
      failed: 2,
      delivered: 2,
      read: 1,
      conversationscreated: 1,
    });
    const errors = errorTotals(body.analytics);
    assert.equal(errors.c2m_1001, 1, JSON.stringify(errors));
    const refused = Object.entries(errors).filter(([key]) => key.endsWith('_21610'));
    assert.deepEqual(
      refused.map(([, n]) => n),
      [1],
      JSON.stringify(errors),
    );
    // one row per channel × skill × day, with the day as MM-DD-YYYY
    assert.deepEqual([...new Set(body.analytics.map((r) => r.skill))].sort(), ['billing', 'sales']);
    assert.ok(body.analytics.every((r) => /^\d\d-\d\d-\d{4}$/.test(r.transactionday)));
  });

  it('filters by skill, channel, handoff and IVR number', async () => {
    const billing = totals(await rowsOf({ skills: ['billing'] }));
    assert.equal(billing.attempted, 1);
    assert.equal(billing.delivered, 1);
    assert.equal(billing.conversationscreated, 0);

    const byHandoff = await rowsOf({ handoffids: [a.handoffs.waSms] });
    assert.equal(totals(byHandoff).attempted, 1);
    assert.ok(byHandoff.every((r) => r.handoffid === a.handoffs.waSms));

    const main = await rowsOf({ ivrnumbers: [IVR_MAIN] });
    assert.equal(totals(main).attempted, 4);
    assert.ok(main.every((r) => r.ivrnumber === IVR_MAIN));

    // the WhatsApp-first handoff reached the billing caller on WhatsApp
    assert.equal(totals(await rowsOf({ channels: ['sms'] })).attempted, 4);
    const wa = totals(await rowsOf({ channels: ['wa'] }));
    assert.equal(wa.attempted, 1);
    assert.equal(wa.delivered, 1);
    assert.equal(totals(await rowsOf({ channels: ['rcs'] })).attempted, 0);
  });

  it('lists the values the filters may offer, with handoff titles', async () => {
    const w = window();
    const res = await adminApi(t, a.accountId, adminToken).get(
      `/reports/dimensions?attemptedStartTime=${w.attemptedStartTime}&attemptedEndTime=${w.attemptedEndTime}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const expected: ReportsDimensions = {
      channels: ['sms', 'wa'],
      skills: ['billing', 'sales'],
      handoffs: [
        { id: a.handoffs.sms, title: `sms ${a.accountId}` },
        { id: a.handoffs.waSms, title: `waSms ${a.accountId}` },
      ].sort((x, y) => x.id.localeCompare(y.id)),
      ivrNumbers: [IVR_MAIN, IVR_BILLING].sort(),
    };
    assert.deepEqual(res.body, expected);
    // a window with no attempts offers nothing
    const empty = await adminApi(t, a.accountId, adminToken).get(
      `/reports/dimensions?attemptedStartTime=0&attemptedEndTime=${DAY_MS}`,
    );
    assert.deepEqual(empty.body, { channels: [], skills: [], handoffs: [], ivrNumbers: [] });
  });

  it('refuses a window over 60 days, reversed, or unknown filters, naming the field', async () => {
    const start = t.clock.now() - 61 * DAY_MS;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ attemptedStartTime: start }, 'attemptedEndTime', 'at most 60 days'],
      [
        { attemptedStartTime: t.clock.now(), attemptedEndTime: t.clock.now() - 1 },
        'attemptedEndTime',
        'must be later than attemptedStartTime',
      ],
      [{ channels: ['fax'] }, 'channels', ''],
      [{ colour: 'red' }, 'colour', 'unknown field'],
    ];
    for (const [body, field, rule] of cases) {
      const res = await analytics(body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const error = (res.body as { error: { code: string; details: { fieldErrors: object } } })
        .error;
      assert.equal(error.code, 'validation_failed');
      const fields = error.details.fieldErrors as Record<string, string>;
      assert.ok(
        Object.keys(fields).some((f) => f === field || f.startsWith(field)),
        JSON.stringify(fields),
      );
      if (rule) assert.equal(fields[field], rule);
    }
    const dims = await adminApi(t, a.accountId, adminToken).get(
      `/reports/dimensions?attemptedStartTime=${start}&attemptedEndTime=${t.clock.now()}`,
    );
    assert.equal(dims.status, 400);
  });

  it('is open to the roles with reports:view, forbidden to the others', async () => {
    for (const role of Role.options) {
      const token = await adminSession(t, a, role);
      const res = await analytics({}, token);
      const allowed = POLICY[role].includes('reports:view');
      assert.equal(res.status, allowed ? 200 : 403, `${role}: ${JSON.stringify(res.body)}`);
      if (!allowed) {
        assert.equal((res.body as { error: { code: string } }).error.code, 'forbidden');
      }
    }
    assert.deepEqual(
      Role.options.filter((r) => POLICY[r].includes('reports:view')),
      ['admin', 'campaign_manager', 'read_only'],
    );
  });

  it("never shows another account's counts: 404 on its path, 401 without a session", async () => {
    const tokenB = await adminSession(t, b, 'admin');
    const res = await adminApi(t, a.accountId, tokenB).post('/reports/analytics', window());
    assert.equal(res.status, 404);
    // B's own reports count only B's one call
    const own = await adminApi(t, b.accountId, tokenB).post('/reports/analytics', window());
    assert.equal(totals((own.body as AnalyticsResponse).analytics).attempted, 1);
    const anonymous = await adminApi(t, a.accountId, '').post('/reports/analytics', window());
    assert.equal(anonymous.status, 401);
  });

  describe('the /reports namespace', () => {
    function dashboard(token: string | undefined) {
      const socket: ReportsSocket = connect(`${t.url}/reports`, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        autoConnect: false,
        ...(token !== undefined && { auth: { token } }),
      });
      sockets.push(socket);
      const changes: string[] = [];
      socket.on('reports:changed', (e) => changes.push(e.at));
      return { socket, changes };
    }
    const open = (socket: ReportsSocket) =>
      new Promise<void>((ok, fail) => {
        socket.once('connect', () => ok());
        socket.once('connect_error', (err) => fail(err));
        socket.connect();
      });
    const subscribe = async (socket: ReportsSocket) =>
      (await socket.timeout(5000).emitWithAck('reports:subscribe')) as Ack<{
        accountId: string;
      }>;

    it('admits the roles with reports:view only', async () => {
      for (const role of Role.options) {
        const { socket } = dashboard(await adminSession(t, a, role));
        if (POLICY[role].includes('reports:view')) {
          await open(socket);
          assert.deepEqual(await subscribe(socket), { data: { accountId: a.accountId } });
        } else {
          await assert.rejects(open(socket), { message: 'unauthorized' }, role);
        }
        socket.disconnect();
      }
      for (const token of [undefined, 'not-a-token']) {
        await assert.rejects(open(dashboard(token).socket), { message: 'unauthorized' });
      }
    });

    it("tells an account's dashboards of each new call, throttled, and no other account's", async () => {
      const readOnly = dashboard(await adminSession(t, a, 'read_only'));
      // a quiet account: B's own changes from the set-up may still be told (throttled) now
      const quiet = await seedAccount(t, { permissions: ['ivr', 'admin'] });
      const other = dashboard(await adminSession(t, quiet, 'admin'));
      await Promise.all([open(readOnly.socket), open(other.socket)]);
      await subscribe(readOnly.socket);
      await subscribe(other.socket);

      const ivr = ivrClient(t, a);
      const started = Date.now();
      const burst = 5;
      let lastCall = 0;
      for (let i = 0; i < burst; i++) {
        lastCall = Date.now();
        const res = await ivr.eligibility({
          skill: 'sales',
          consumerPhoneNumber: freshPhone(),
          handoffId: a.handoffs.sms,
        });
        assert.equal(res.status, 200);
      }
      // the change inside the quiet time is told at its end: one arrives after the last call
      await waitFor(
        () => readOnly.changes.some((at) => Date.parse(at) >= lastCall) || undefined,
        'the change after the last call',
        3000,
      );
      const spanMs = Date.now() - started;
      assert.ok(readOnly.changes.length >= 1);
      assert.ok(
        readOnly.changes.length <= Math.ceil(spanMs / 500) + 1,
        `${readOnly.changes.length} changes in ${spanMs} ms`,
      );
      assert.ok(readOnly.changes.length < burst || spanMs >= 4 * 500);
      assert.deepEqual(other.changes, []);
      // and the counts it re-fetches have moved
      assert.equal(totals(await rowsOf()).attempted, 5 + burst);
    });

    it('tells nothing to a socket that did not subscribe', async () => {
      const idle = dashboard(await adminSession(t, a, 'admin'));
      const watching = dashboard(await adminSession(t, a, 'admin'));
      await Promise.all([open(idle.socket), open(watching.socket)]);
      await subscribe(watching.socket);
      await ivrClient(t, a).eligibility({
        skill: 'sales',
        consumerPhoneNumber: freshPhone(),
        handoffId: a.handoffs.sms,
      });
      await waitFor(() => watching.changes.length > 0 || undefined, 'the change', 3000);
      assert.deepEqual(idle.changes, []);
    });
  });
});
