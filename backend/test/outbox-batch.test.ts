// engine: sqlite (its statement counts, triggers and claims read the SQLite file; cluster-work.test.ts covers the claims on PostgreSQL)
// The outbox worker in batches and the event webhooks with nobody subscribed (issue 13): one claim
// takes a burst of jobs, a slice's settlements commit together yet one that fails takes no other
// with it, unstarted jobs go back as they were, the cursor skips events only while no subscription
// is enabled, and every statement these added is served by an index.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { databaseFile, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { insertAccount } from '../src/modules/accounts/accounts.repo.js';
import { claimDue, enqueue, releaseJobs } from '../src/outbox/outbox.repo.js';
import { claimDueDeliveries, releaseDeliveries } from '../src/modules/webhooks/deliveries.repo.js';
import {
  anyEnabledSubscription,
  fanOutEvents,
  skipUnwantedEvents,
} from '../src/modules/webhooks/fan-out.js';
import { seedAccount, startTestC2m, type TestC2m } from './helpers.js';
import { deflect, freshPhone, transactionOf } from './sandbox-phone.js';
import { webhooksApi } from './event-webhooks-client.js';

// the library's own method, called with its connection as `this` and put back afterwards
// eslint-disable-next-line @typescript-eslint/unbound-method
const prepare = SqliteDatabase.prototype.prepare;

/** Counts the runs of each statement of every connection opened from here on, until `stop`. */
function countStatements() {
  const runs = new Map<string, number>();
  SqliteDatabase.prototype.prepare = function counted(this: SqliteDatabase.Database, sql: string) {
    const statement = prepare.call(this, sql);
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method].bind(statement) as (...a: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        runs.set(sql, (runs.get(sql) ?? 0) + 1);
        return original(...args);
      };
    }
    return statement;
  } as typeof prepare;
  return {
    runs: (match: RegExp) =>
      [...runs].filter(([sql]) => match.test(sql)).reduce((n, [, count]) => n + count, 0),
    reset: () => runs.clear(),
    stop: () => (SqliteDatabase.prototype.prepare = prepare),
  };
}

describe('the outbox worker in batches', () => {
  let t: TestC2m;
  const counter = countStatements();

  before(async () => {
    // no worker: the invites wait until the test drains the outbox
    t = await startTestC2m({ C2M_OUTBOX_WORKER: '0' });
  });
  after(async () => {
    counter.stop();
    await t?.close();
  });

  it('claims a burst in one claim, then its receipts in another, and delivers every invite', async () => {
    const account = await seedAccount(t);
    const calls: string[] = [];
    for (let i = 0; i < 30; i++) calls.push((await deflect(t, account, freshPhone())).callId);
    counter.reset();

    // 30 sends, then the 30 receipts they queued (due at once here), then nothing
    assert.equal(await t.c2m.worker.drain(), 60);
    // (a claim takes fewer while jobs run slowly, as on a machine this loaded they may: still a
    // handful of claims, where one job a claim made 61)
    const claims = counter.runs(/^update "outbox" .* "next_attempt_at" <= \? order by/);
    assert.ok(claims >= 3 && claims <= 6, `${claims} claims`);
    // a commit per slice, not per job: never more than the jobs and the claims
    const commits = counter.runs(/^commit$/);
    assert.ok(commits >= 3 && commits <= 63, `${commits} commits`);
    for (const callId of calls) assert.equal((await transactionOf(t, callId)).status, 'delivered');
    const left = await t.c2m.deps.db
      .selectFrom('outbox')
      .select('status')
      .where('status', '!=', 'done')
      .execute();
    assert.deepEqual(left, []);
  });

  it('settles the rest of a slice when one settlement fails, and retries that one', async () => {
    const account = await seedAccount(t);
    const [a, b, c] = [
      await deflect(t, account, freshPhone()),
      await deflect(t, account, freshPhone()),
      await deflect(t, account, freshPhone()),
    ];
    const failing = await transactionOf(t, b.callId);
    // a fault of the database's own: b's move to sent is refused, as a constraint would refuse it
    const other = new SqliteDatabase(databaseFile(t.dataDir));
    other
      .prepare(
        `create trigger refuse_sent before update of status on transactions
         when new.id = '${failing.id}' and new.status = 'sent'
         begin select raise(abort, 'refused by the test'); end`,
      )
      .run();
    try {
      await t.c2m.worker.drain();
      assert.equal((await transactionOf(t, a.callId)).status, 'delivered');
      assert.equal((await transactionOf(t, c.callId)).status, 'delivered');
      assert.equal((await transactionOf(t, b.callId)).status, 'queued');
      const job = await t.c2m.deps.db
        .selectFrom('outbox')
        .select(['status', 'attempts', 'last_error', 'locked_until'])
        .where('kind', '=', 'send')
        .where('payload_json', 'like', `%${failing.id}%`)
        .executeTakeFirstOrThrow();
      // retried with backoff like any failure of ours, not left running until its lease ends
      assert.equal(job.status, 'pending');
      assert.equal(job.attempts, 1);
      assert.equal(job.locked_until, null);
      assert.match(job.last_error ?? '', /refused by the test/);
    } finally {
      other.prepare('drop trigger refuse_sent').run();
      other.close();
    }
  });
});

describe('outbox claims and event-cursor statements', () => {
  let dir: string;
  let opened: ReturnType<typeof openDatabase>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'c2m-batch-'));
    opened = openDatabase(join(dir, 'c2m.sqlite'), { synchronous: 'normal', busyTimeoutMs: 1000 });
    await migrateToLatest(opened.db);
  });
  after(() => {
    SqliteDatabase.prototype.prepare = prepare;
    opened?.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands unstarted jobs back as they were, but not one another claim has taken over', async () => {
    const { db } = opened;
    const receipt = { messageId: 'm', status: 'delivered' } as const;
    for (let i = 0; i < 3; i++) {
      await enqueue(db, { accountId: 'a', kind: 'receipt', payload: receipt, runAt: 10, now: 10 });
    }
    const claimed = await claimDue(db, { now: 100, leaseMs: 50, limit: 10, abandoned: true });
    assert.equal(claimed.length, 3);
    // the first job's lease ran out and a later claim took it over
    const [first, ...rest] = claimed;
    const taken = await claimDue(db, { now: 200, leaseMs: 50, limit: 1, abandoned: true });
    assert.deepEqual(
      taken.map((j) => j.id),
      [first.id],
    );

    await releaseJobs(db, claimed, 210);
    const rows = await db
      .selectFrom('outbox')
      .select(['id', 'status', 'locked_until', 'next_attempt_at', 'attempts'])
      .orderBy('id')
      .execute();
    assert.deepEqual(rows, [
      { id: first.id, status: 'running', locked_until: 250, next_attempt_at: 10, attempts: 0 },
      ...rest.map((j) => ({
        id: j.id,
        status: 'pending',
        locked_until: null,
        next_attempt_at: 10,
        attempts: 0,
      })),
    ]);
  });

  it('moves the event cursor past unwanted events only while no subscription is enabled', async () => {
    const { sqlite, db } = opened;
    const cursor = () =>
      (
        sqlite.prepare(`select last_event_id from webhook_cursor where name = 'events'`).get() as {
          last_event_id: number;
        }
      ).last_event_id;
    await insertAccount(db, { id: 'a', name: 'A', now: 0 });
    const event = sqlite.prepare(
      `insert into events (account_id, type, transaction_id, payload_json, at) values ('a', 'x', null, '{}', 0)`,
    );
    for (let i = 0; i < 3; i++) event.run();
    const newest = () =>
      (sqlite.prepare('select max(id) as id from events').get() as { id: number }).id;

    assert.equal(await anyEnabledSubscription(db), false);
    await skipUnwantedEvents(db);
    assert.equal(cursor(), newest());

    // a subscription enabled (by this process or another) stops the skip, in the same statement
    insertSubscription(sqlite, 'sub-1', newest());
    event.run();
    assert.equal(await anyEnabledSubscription(db), true);
    await skipUnwantedEvents(db);
    assert.equal(cursor(), newest() - 1);

    sqlite.prepare(`update webhook_subscriptions set enabled = 0`).run();
    assert.equal(await anyEnabledSubscription(db), false);
    await skipUnwantedEvents(db);
    assert.equal(cursor(), newest());
  });

  it('serves every statement of the claim, the release and the event cursor by an index', async () => {
    // a fresh connection: its statements are prepared (and so recorded) here, not cached earlier
    const recorded = new Set<string>();
    SqliteDatabase.prototype.prepare = function record(this: SqliteDatabase.Database, sql: string) {
      recorded.add(sql);
      return prepare.call(this, sql);
    } as typeof prepare;
    const fresh = openDatabase(join(dir, 'c2m.sqlite'), {
      synchronous: 'normal',
      busyTimeoutMs: 1,
    });
    try {
      const claimed = await claimDue(fresh.db, { now: 1, leaseMs: 1, limit: 5, abandoned: true });
      await releaseJobs(fresh.db, claimed, 1);
      await releaseJobs(fresh.db, [{ id: 1, locked_until: 2 } as (typeof claimed)[number]], 1);
      await anyEnabledSubscription(fresh.db);
      await skipUnwantedEvents(fresh.db);
      await fanOutEvents(fresh.db, 1);
      await releaseDeliveries(
        fresh.db,
        await claimDueDeliveries(fresh.db, { now: 1, leaseMs: 1, limit: 50 }),
      );
    } finally {
      SqliteDatabase.prototype.prepare = prepare;
      fresh.sqlite.close();
    }
    const scans: string[] = [];
    for (const sql of recorded) {
      if (!/^\s*(select|update|delete|insert)/i.test(sql)) continue;
      const params = new Array<null>(sql.split('?').length - 1).fill(null);
      const plan = opened.sqlite.prepare(`explain query plan ${sql}`).all(...params) as {
        detail: string;
      }[];
      for (const { detail } of plan) {
        if (/^SCAN (?!CONSTANT)/.test(detail)) scans.push(`${detail}  ←  ${sql}`);
      }
    }
    assert.ok(recorded.size >= 7, `recorded ${recorded.size} statements`);
    assert.deepEqual(scans, [], 'statements that scan a whole table');
  });
});

function insertSubscription(sqlite: SqliteDatabase.Database, id: string, fromEventId: number) {
  sqlite
    .prepare(
      `insert into webhook_subscriptions
         (id, account_id, url, events_json, secret_enc, enabled, from_event_id, created_at, updated_at)
       values (?, 'a', 'https://example.com/hook', '[]', 'x', 1, ?, 0, 0)`,
    )
    .run(id, fromEventId);
}

describe('event webhooks with nobody subscribed', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1' });
  });
  after(() => t?.close());

  it('queues no delivery and moves the cursor to the newest event', async () => {
    const account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const { callId } = await deflect(t, account, freshPhone());
    const { db } = t.c2m.deps;
    const newest = async () =>
      (
        await db
          .selectFrom('events')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0;
    const cursor = async () =>
      (
        await db
          .selectFrom('webhook_cursor')
          .select('last_event_id')
          .where('name', '=', 'events')
          .executeTakeFirstOrThrow()
      ).last_event_id;
    for (let i = 0; i < 200; i++) {
      const tx = await transactionOf(t, callId);
      if (tx.status === 'delivered' && (await cursor()) === (await newest())) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await transactionOf(t, callId)).status, 'delivered');
    assert.equal(await cursor(), await newest());
    assert.deepEqual(await db.selectFrom('webhook_deliveries').select('id').execute(), []);

    // and a subscription made now gets the next deflection's events
    const api = webhooksApi(t, account);
    const created = await api.create({
      url: 'http://127.0.0.1:9/hook',
      events: ['transaction.queued'],
      secret: 'brand-webhook-secret-0123456789',
    });
    const next = await deflect(t, account, freshPhone());
    let queued: unknown[] = [];
    for (let i = 0; i < 200 && queued.length === 0; i++) {
      queued = await db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('subscription_id', '=', created.id)
        .execute();
      if (queued.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(queued.length, 1, `a delivery for ${next.callId}`);
  });
});
