// engine: postgres
// `c2m copy-data`: an installation made on SQLite (through its API: calls, invites, messages,
// reporting sums, encrypted credentials) moved into a PostgreSQL schema, where a node started with
// the printed secret serves the same account.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import SqliteDatabase from 'better-sqlite3';
import { latestMigration } from '../src/db/migrate.js';
import { c2m } from './cli-run.js';
import {
  deliveredInvite,
  ivrClient,
  seedAccount,
  startTestC2m,
  type SeededAccount,
} from './helpers.js';
import {
  dropEngineData,
  TEST_SCHEMA_PREFIX,
  testDatabaseUrl,
  testRedisUrl,
  TEST_REDIS_PREFIX,
  withSchema,
  admin,
} from './test-engine.js';

const MIGRATIONS = Number(latestMigration.slice(0, 3));

describe('c2m copy-data', () => {
  const sqliteDir = mkdtempSync(join(tmpdir(), 'c2m-copy-from-'));
  const nodeDir = mkdtempSync(join(tmpdir(), 'c2m-copy-node-'));
  const schema = `${TEST_SCHEMA_PREFIX}copy_${randomBytes(4).toString('hex')}`;
  const target = withSchema(testDatabaseUrl, schema);
  const file = join(sqliteDir, 'c2m.sqlite');
  let account: SeededAccount;
  let transactionId: string;

  before(async () => {
    await admin((c) => c.query(`create schema ${schema}`));
    // the installation as it ran before: SQLite, its secret in the data dir
    const t = await startTestC2m(
      { C2M_DATABASE_URL: undefined, C2M_REDIS_URL: undefined, C2M_SECRET: undefined },
      { dataDir: sqliteDir },
    );
    try {
      account = await seedAccount(t);
      transactionId = await deliveredInvite(t, account);
    } finally {
      await t.close();
    }
  });

  after(async () => {
    await admin((c) => c.query(`drop schema if exists ${schema} cascade`));
    for (const dir of [sqliteDir, nodeDir]) {
      rmSync(dir, { recursive: true, force: true });
      await dropEngineData(dir);
    }
  });

  it('copies every table, counted, with numbering past the copied ids, and tells the secret', async () => {
    const res = await c2m(nodeDir, ['copy-data', '--from', `sqlite:${file}`, '--to', target]);
    assert.equal(res.code, 0, res.stderr);

    const sqlite = new SqliteDatabase(file, { readonly: true });
    const countOf = (table: string) =>
      (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
    const printed = new Map(
      [...res.stdout.matchAll(/^ {2}(\w+) +(\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
    );
    try {
      // every table of the schema, each with the source's count, printed and in PostgreSQL
      const tables = await admin(async (c) => {
        const { rows } = await c.query<{ table_name: string }>(
          `select table_name from information_schema.tables
            where table_schema = $1 and table_type = 'BASE TABLE' and table_name not like 'kysely%'`,
          [schema],
        );
        return rows.map((r) => r.table_name).sort();
      });
      assert.deepEqual([...printed.keys()].sort(), tables);
      for (const table of tables) {
        const inPostgres = await admin(
          async (c) =>
            (await c.query<{ n: number }>(`select count(*)::int as n from ${schema}."${table}"`))
              .rows[0].n,
        );
        assert.equal(printed.get(table), countOf(table), table);
        assert.equal(inPostgres, countOf(table), table);
      }
      for (const table of ['accounts', 'calls', 'transactions', 'messages', 'outbox', 'events']) {
        assert.ok(countOf(table) > 0, `${table} has rows to copy`);
      }
      // parents came before their children
      assert.ok(
        [...printed.keys()].indexOf('accounts') < [...printed.keys()].indexOf('transactions'),
      );
      // the reporting sums came as they were, not counted again by the triggers
      const sums = await admin(
        async (c) =>
          (
            await c.query<{ n: number }>(
              `select sum(invited)::int as n from ${schema}.report_daily`,
            )
          ).rows[0].n,
      );
      const sqliteSums = (
        sqlite.prepare('select sum(invited) as n from report_daily').get() as { n: number }
      ).n;
      assert.equal(sums, sqliteSums);
      assert.ok(sqliteSums > 0);
      // new rows are numbered past the copied ones (bigserial ids, the rowid identity columns)
      const [outboxMax, rowidMax] = [
        (sqlite.prepare('select max(id) as n from outbox').get() as { n: number }).n,
        (sqlite.prepare('select max(rowid) as n from messages').get() as { n: number }).n,
      ];
      const next = await admin(async (c) => {
        const outbox = await c.query<{ n: number }>(
          `select nextval(pg_get_serial_sequence('${schema}.outbox', 'id'))::int as n`,
        );
        const rowid = await c.query<{ n: number }>(
          `select nextval(pg_get_serial_sequence('${schema}.messages', 'rowid'))::int as n`,
        );
        return [outbox.rows[0].n, rowid.rows[0].n];
      });
      assert.ok(next[0] > outboxMax, `outbox id ${next[0]} > ${outboxMax}`);
      assert.ok(next[1] > rowidMax, `messages rowid ${next[1]} > ${rowidMax}`);
    } finally {
      sqlite.close();
    }
    const keyFile = join(sqliteDir, 'secret.key');
    assert.match(res.stdout, /copied \d+ rows in \d+ tables; every count checked/);
    assert.ok(res.stdout.includes(`C2M_SECRET="$(cat '${keyFile}')"`), res.stdout);
  });

  it('a node on the copy, with the printed secret, serves the same account', async () => {
    const secret = readFileSync(join(sqliteDir, 'secret.key'), 'utf8').trim();
    const t = await startTestC2m(
      {
        C2M_DATABASE_URL: target,
        C2M_REDIS_URL: testRedisUrl,
        C2M_REDIS_PREFIX: `${TEST_REDIS_PREFIX}copy:`,
        C2M_SECRET: secret,
      },
      { dataDir: nodeDir },
    );
    try {
      // the OAuth 1.0a secrets are stored encrypted: a signed request passes only with them read
      const res = await ivrClient(t, account).eligibility({
        skill: 'sales',
        consumerPhoneNumber: '+14155550199',
        handoffId: account.handoffs.sms,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const tx = await t.c2m.deps.db
        .selectFrom('transactions')
        .select('status')
        .where('id', '=', transactionId)
        .executeTakeFirstOrThrow();
      assert.equal(tx.status, 'delivered');
    } finally {
      await t.c2m.close();
    }
  });

  it('is backed up with pg_dump and restored with pg_restore', async () => {
    // the README's backup: the schema in pg_dump's custom format, restored into a scratch database
    const run = promisify(execFile);
    const dump = join(nodeDir, 'c2m.dump');
    const scratch = `c2m_t_restore_${randomBytes(4).toString('hex')}`;
    const { hostname, port, username } = new URL(testDatabaseUrl);
    const conn = ['--host', hostname, '--port', port || '5432', '--username', username];
    await run('pg_dump', [
      ...conn,
      '--dbname',
      'test',
      '--schema',
      schema,
      '--format=custom',
      '--file',
      dump,
    ]);
    await admin((c) => c.query(`create database ${scratch}`));
    try {
      await run('pg_restore', [...conn, '--dbname', scratch, '--no-owner', dump]);
      const restored = new URL(testDatabaseUrl);
      restored.pathname = `/${scratch}`;
      const client = new pg.Client({ connectionString: withSchema(restored.toString(), schema) });
      await client.connect();
      try {
        const { rows } = await client.query<{ accounts: number; migrations: number }>(
          `select (select count(*)::int from accounts) as accounts,
                  (select count(*)::int from kysely_migration) as migrations`,
        );
        assert.deepEqual(rows[0], { accounts: 1, migrations: MIGRATIONS });
      } finally {
        await client.end();
      }
    } finally {
      await admin((c) => c.query(`drop database if exists ${scratch}`));
    }
  });

  it('refuses a target that holds rows, unless told to replace them', async () => {
    const refused = await c2m(nodeDir, ['copy-data', '--from', `sqlite:${file}`, '--to', target]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--to: the target holds rows already \(.*accounts.*\); --replace/);

    const replaced = await c2m(nodeDir, [
      'copy-data',
      '--from',
      `sqlite:${file}`,
      '--to',
      target,
      '--replace',
    ]);
    assert.equal(replaced.code, 0, replaced.stderr);
    const accounts = await admin(
      async (c) =>
        (await c.query<{ n: number }>(`select count(*)::int as n from ${schema}.accounts`)).rows[0]
          .n,
    );
    assert.equal(accounts, 1);
  });
});
