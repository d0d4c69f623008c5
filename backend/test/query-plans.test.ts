// engine: sqlite
// Every statement an IVR's eligibility and invite run, and those the outbox worker and the
// publisher run to deliver and announce the invite, is served by an index: a statement that scans
// a whole table gets slower as history grows (an invite cost 0.4 ms at 3k events, 91 ms at 300k).
// The statements are recorded as c2m runs them (whenever it prepared them: the worker prepares some
// at start-up, and the statement cache keeps them), then each query plan is read from SQLite.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { databaseFile } from '../src/db/database.js';
import { outboundView } from '../src/modules/widget/outbound.query.js';
import { deliveredInvite, seedAccount, startTestC2m, type TestC2m } from './helpers.js';

describe('query plans of the hot path', () => {
  let t: TestC2m;
  const prepared = new Set<string>();
  // the library's own method, called with its connection as `this` and put back afterwards
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const prepare = SqliteDatabase.prototype.prepare;

  let recording = false;

  before(async () => {
    // every statement c2m prepares from its start records the SQL it runs while `recording`
    SqliteDatabase.prototype.prepare = function record(this: SqliteDatabase.Database, sql: string) {
      const statement = prepare.call(this, sql);
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const methods = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
        const original = methods[method];
        methods[method] = (...args: unknown[]) => {
          if (recording) prepared.add(sql);
          return original.apply(statement, args);
        };
      }
      return statement;
    } as typeof prepare;
    t = await startTestC2m();
  });
  after(async () => {
    SqliteDatabase.prototype.prepare = prepare;
    await t?.close();
  });

  it('scans no table to answer eligibility, invite, send and announce', async () => {
    const account = await seedAccount(t);
    // record from here: the set-up above is not the hot path
    recording = true;
    const transactionId = await deliveredInvite(t, account);
    // the publisher reads this view only when a widget follows the account: read it here
    await outboundView(t.c2m.deps.db, account.accountId, transactionId);
    recording = false;

    const reader = new SqliteDatabase(databaseFile(t.dataDir), { readonly: true });
    const scans: string[] = [];
    for (const sql of prepared) {
      if (!/^\s*(select|update|delete|insert)/i.test(sql)) continue;
      // a plan does not depend on the values: each `?` is bound to null
      const params = new Array<null>(sql.split('?').length - 1).fill(null);
      const plan = reader.prepare(`explain query plan ${sql}`).all(...params) as {
        detail: string;
      }[];
      for (const { detail } of plan) {
        if (/^SCAN (?!CONSTANT)/.test(detail)) scans.push(`${detail}  ←  ${sql}`);
      }
    }
    reader.close();
    assert.ok(prepared.size > 10, `recorded ${prepared.size} statements`);
    assert.deepEqual(scans, [], 'statements that scan a whole table');
  });
});
