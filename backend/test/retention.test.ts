// Retention (issue 15, item 9): calls, transactions, messages, events and webhook deliveries older
// than C2M_RETENTION_MONTHS go, in batches of C2M_RETENTION_BATCH rows over several rounds; young
// rows stay; the opt-out ledger stays until `c2m optout prune`; the daily sums of reporting stay,
// so analytics of a pruned day answers what it answered before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAY_MS } from '../contract/reporting.js';
import { changeOptOut } from '../src/modules/optouts/optouts.service.js';
import { queryAnalytics } from '../src/modules/reporting/analytics.query.js';
import { retentionCutoff, retentionRound } from '../src/modules/retention/retention.js';
import {
  seedAccount,
  startTestC2m,
  TestClock,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { deflect, freshPhone, transactionOf } from './sandbox-phone.js';
import { c2m, ok } from './cli-run.js';

const BATCH = 2;
const MONTH_MS = 31 * DAY_MS;
/** Tables pruned by time, and the column they are pruned by. */
const AGED = {
  calls: 'created_at',
  transactions: 'attempted_at',
  messages: 'created_at',
  events: 'at',
  report_facts: 'attempted_at',
} as const;
type Aged = keyof typeof AGED;

describe('retention', { timeout: 120_000 }, () => {
  const now = Date.now();
  const old = now - 14 * MONTH_MS;
  const clock = new TestClock(old);
  let t: TestC2m;
  let account: SeededAccount;
  const oldCalls: string[] = [];
  let youngCall: string;
  const optedOut = freshPhone();

  const count = async (table: Aged, older: boolean) => {
    const cutoff = retentionCutoff(clock.now(), 13);
    const row = await t.c2m.deps.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(AGED[table], older ? '<' : '>=', cutoff)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const counts = async (older: boolean) =>
    Object.fromEntries(
      await Promise.all(
        (Object.keys(AGED) as Aged[]).map(async (k) => [k, await count(k, older)] as const),
      ),
    ) as Record<Aged, number>;
  const ledger = () =>
    t.c2m.deps.db.selectFrom('optout_ledger').selectAll().where('phone', '=', optedOut).execute();
  const round = () =>
    retentionRound({
      db: t.c2m.deps.db,
      clock: clock.now,
      config: { retention: { months: 13, batch: BATCH } },
    });
  const dayWindow = (at: number) => {
    const start = Math.floor(at / DAY_MS) * DAY_MS;
    return { attemptedStartTime: start, attemptedEndTime: start + DAY_MS };
  };
  const analytics = (at: number) =>
    queryAnalytics(t.c2m.deps.db, account.accountId, dayWindow(at), {});

  before(async () => {
    t = await startTestC2m(
      {
        // the IVR signs with the real time, 14 months after the server's clock
        C2M_OAUTH1_WINDOW_SECONDS: String(500 * 86_400),
        C2M_RETENTION_BATCH: String(BATCH),
      },
      { clock },
    );
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    // 14 months ago: five deflections, sent and delivered, and a number that opted out
    for (let i = 0; i < 5; i++) oldCalls.push((await deflect(t, account, freshPhone())).callId);
    await waitFor(async () => {
      const statuses = await Promise.all(
        oldCalls.map(async (c) => (await transactionOf(t, c)).status),
      );
      return statuses.every((s) => s === 'delivered') || undefined;
    }, 'the old invites delivered');
    await changeOptOut(t.c2m.deps, account.accountId, {
      phone: optedOut,
      action: 'opt_out',
      source: 'cli',
    });
    // today
    clock.ms = now;
    youngCall = (await deflect(t, account, freshPhone())).callId;
    await waitFor(
      async () => (await transactionOf(t, youngCall)).status === 'delivered' || undefined,
      'the young invite delivered',
    );
  });
  after(() => t?.close());

  it('deletes old rows in small batches over several rounds, keeps young rows and opt-outs', async () => {
    const oldAnalytics = await analytics(old);
    assert.equal(
      oldAnalytics.reduce((n, r) => n + r.attempted, 0),
      5,
    );
    const young = await counts(false);
    const before = await counts(true);
    assert.equal(before.calls, 5);
    assert.equal(before.transactions, 5);
    assert.ok(before.messages >= 5, JSON.stringify(before));
    assert.ok(before.events >= 5, JSON.stringify(before));

    // another node holds the lease: this one deletes nothing
    await t.c2m.deps.db
      .updateTable('maintenance_leases')
      .set({ locked_until: clock.now() + 60_000 })
      .execute();
    assert.equal(await round(), 0);
    assert.deepEqual(await counts(true), before);
    await t.c2m.deps.db.updateTable('maintenance_leases').set({ locked_until: 0 }).execute();

    let rounds = 0;
    let previous = before;
    for (;;) {
      const deleted = await round();
      if (deleted === 0) break;
      rounds++;
      const left = await counts(true);
      for (const table of Object.keys(AGED) as Aged[]) {
        // each kind at most one batch a round
        assert.ok(
          previous[table] - left[table] <= BATCH,
          `${table}: ${previous[table]} → ${left[table]}`,
        );
      }
      previous = left;
      assert.ok(rounds < 50, 'pruning never ends');
    }
    assert.ok(rounds >= 3, `pruned in ${rounds} rounds of ${BATCH}`);
    assert.deepEqual(await counts(true), {
      calls: 0,
      transactions: 0,
      messages: 0,
      events: 0,
      report_facts: 0,
    });
    assert.deepEqual(await counts(false), young, 'young rows stay');
    assert.equal((await transactionOf(t, youngCall)).status, 'delivered');

    // the opt-out is compliance evidence: kept, and still in force
    assert.equal((await ledger()).length, 1);
    const inForce = await t.c2m.deps.db
      .selectFrom('optouts')
      .select('phone')
      .where('phone', '=', optedOut)
      .execute();
    assert.equal(inForce.length, 1);

    // the daily sums are kept: the pruned day answers as before, today as today
    assert.deepEqual(await analytics(old), oldAnalytics);
    assert.equal(
      (await analytics(now)).reduce((n, r) => n + r.attempted, 0),
      1,
    );
  });

  it('prunes the opt-out ledger only when the operator says so', async () => {
    const bad = await c2m(t.dataDir, ['optout', 'prune', '--before', 'last year']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--before: must be a date, YYYY-MM-DD/);
    const missing = await c2m(t.dataDir, ['optout', 'prune']);
    assert.match(missing.stderr, /--before: is required/);
    assert.equal((await ledger()).length, 1);

    const before = new Date(now - 12 * MONTH_MS).toISOString().slice(0, 10);
    const out = ok(
      await c2m(t.dataDir, ['optout', 'prune', '--before', before, '--account', account.accountId]),
    );
    assert.match(out, new RegExp(`^1 opt-out ledger entries before ${before} deleted`));
    assert.equal((await ledger()).length, 0);
  });
});
