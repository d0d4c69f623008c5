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
import type { EligibilityResponse } from '../contract/deflection.js';
import {
  deliveredInvite,
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type TestC2m,
} from './helpers.js';

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
    // and the WhatsApp path: the learned reachability read on eligibility, and learned on a
    // delivery and on a refusal (131026) of a WhatsApp send
    for (const phone of ['+14155550124', '+14155550002']) {
      const ivr = ivrClient(t, account);
      const e = await ivr.eligibility({
        skill: 'sales',
        consumerPhoneNumber: phone,
        handoffId: account.handoffs.waSms,
        templateVariables: { 1: 'Ana' },
      });
      const { callId } = e.body as EligibilityResponse;
      assert.equal((await ivr.invite({ callId })).status, 200);
      await waitFor(
        () =>
          t.c2m.deps.db
            .selectFrom('transactions')
            .select('id')
            .where('call_id', '=', callId)
            .where('status', '=', 'delivered')
            .executeTakeFirst(),
        'the invite delivered',
      );
      await ivr.eligibility({
        skill: 'sales',
        consumerPhoneNumber: phone,
        handoffId: account.handoffs.waSms,
        templateVariables: { 1: 'Ana' },
      });
    }
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
    assert.ok(
      [...prepared].some((sql) => /from "wa_reachability"/.test(sql)),
      'the eligibility read the learned WhatsApp reachability',
    );
  });
});
