// A hot statement is built once and run with values: the same rows as the query Kysely would
// build each time, inside the caller's transaction when there is one, and a forgotten value is an
// error naming it rather than a null bound in its place.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { columnsOf, statement } from '../src/db/statement.js';
import { insertAccount } from '../src/modules/accounts/accounts.repo.js';

describe('hot statements', () => {
  let dir: string;
  let db: Db;
  let builds = 0;

  const insertOptOut = statement((d, p: { account_id: string; phone: string; at: number }) => {
    builds++;
    return d
      .insertInto('optouts')
      .values({ ...columnsOf(p, ['account_id', 'phone']), source: 'test', opted_out_at: p.at });
  });
  const optOutsOf = statement((d, p: { accountId: string; from: string }) =>
    d
      .selectFrom('optouts')
      .select('phone')
      .where('account_id', '=', p.accountId)
      .where('phone', '>=', p.from)
      .orderBy('phone'),
  );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'c2m-statement-'));
    ({ db } = openDatabase(join(dir, 'c2m.sqlite'), { synchronous: 'normal', busyTimeoutMs: 100 }));
    await migrateToLatest(db);
    for (const id of ['acct-1', 'acct-2', 'acct-tx']) {
      await insertAccount(db, { id, name: id, now: 0, rateLimitPerSec: 0 });
    }
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with the values of each call, built once', async () => {
    for (const phone of ['+14155550101', '+14155550102', '+14155550103']) {
      const result = await insertOptOut.run(db, { account_id: 'acct-1', phone, at: 1 });
      assert.equal(result.numAffectedRows, 1n);
    }
    await insertOptOut.run(db, { account_id: 'acct-2', phone: '+14155550104', at: 1 });
    assert.equal(builds, 1);
    const rows = await optOutsOf.all(db, { accountId: 'acct-1', from: '+14155550102' });
    assert.deepEqual(
      rows.map((r) => r.phone),
      ['+14155550102', '+14155550103'],
    );
    assert.equal(
      (await optOutsOf.first(db, { accountId: 'acct-2', from: '' }))?.phone,
      '+14155550104',
    );
    assert.equal(await optOutsOf.first(db, { accountId: 'acct-3', from: '' }), undefined);
  });

  it("joins the caller's transaction: a rollback takes its writes back", async () => {
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await insertOptOut.run(tx, { account_id: 'acct-tx', phone: '+14155550109', at: 2 });
        assert.equal((await optOutsOf.all(tx, { accountId: 'acct-tx', from: '' })).length, 1);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual(await optOutsOf.all(db, { accountId: 'acct-tx', from: '' }), []);
  });

  it('refuses to run with a value missing, naming it', async () => {
    const partial = { accountId: 'acct-1' } as { accountId: string; from: string };
    await assert.rejects(optOutsOf.all(db, partial), /no value given for from/);
  });
});
