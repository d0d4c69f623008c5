// engine: postgres
// A wrong C2M_DATABASE_URL stops `node backend/src/main.ts` with one line on stderr that names the
// variable and what failed, and exit code 1: no stack trace, nothing listening. The processes get
// their environment from the test, whatever the pass; it runs once, on the PostgreSQL pass, where
// a PostgreSQL is there to refuse a missing database or user.
import { assertOneLine, freePort } from './node-process.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { root } from './cli-run.js';
import { testDatabaseUrl, testRedisUrl } from './test-engine.js';

const dataDir = mkdtempSync(join(tmpdir(), 'c2m-startup-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** main.ts with `env` on top of a quiet, loopback-only start; its exit code and stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'backend/src/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH, C2M_DATA_DIR: dataDir, PORT: '0', C2M_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

function postgresUrl(change: (url: URL) => void): string {
  const url = new URL(testDatabaseUrl);
  change(url);
  return url.toString();
}

describe('start-up with a wrong C2M_DATABASE_URL', { timeout: 120_000 }, () => {
  const withRedis = (url: string) => ({
    C2M_DATABASE_URL: url,
    C2M_REDIS_URL: testRedisUrl,
    C2M_SECRET: 'a-secret-of-at-least-thirty-two-characters',
  });

  it('names each failure in one line', async () => {
    const port = await freePort();
    const cases: [Record<string, string>, RegExp][] = [
      [
        withRedis('mysql://root@127.0.0.1/test'),
        /C2M_DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
      ],
      [
        withRedis(postgresUrl((u) => (u.port = String(port)))),
        new RegExp(
          `C2M_DATABASE_URL: cannot use PostgreSQL at 127\\.0\\.0\\.1:${port}/test: connect ECONNREFUSED`,
        ),
      ],
      [
        withRedis(postgresUrl((u) => (u.pathname = '/c2m_no_such_database'))),
        /C2M_DATABASE_URL: cannot use PostgreSQL at .*\/c2m_no_such_database: database "c2m_no_such_database" does not exist/,
      ],
      [
        withRedis(postgresUrl((u) => (u.username = 'c2m_no_such_user'))),
        /C2M_DATABASE_URL: cannot use PostgreSQL at .*: role "c2m_no_such_user" does not exist/,
      ],
      [{ C2M_DATABASE_URL: testDatabaseUrl }, /C2M_REDIS_URL is required with C2M_DATABASE_URL/],
      [
        { C2M_DATABASE_URL: testDatabaseUrl, C2M_REDIS_URL: testRedisUrl },
        /C2M_SECRET is required with C2M_DATABASE_URL/,
      ],
      [
        { ...withRedis(testDatabaseUrl), C2M_REDIS_URL: `redis://127.0.0.1:${port}` },
        new RegExp(`C2M_REDIS_URL: cannot connect to redis://127\\.0\\.0\\.1:${port}`),
      ],
      [
        { ...withRedis(testDatabaseUrl), C2M_REDIS_URL: 'http://x' },
        /C2M_REDIS_URL: must be a redis/,
      ],
    ];
    // each its own process, started together
    const results = await Promise.all(cases.map(([env]) => start(env)));
    results.forEach((res, i) => assertOneLine(res, cases[i][1]));
  });

  it('refuses, in one line, a database that newer code migrated', async () => {
    const opened = openDatabase(join(dataDir, 'c2m.sqlite'), {
      synchronous: 'normal',
      busyTimeoutMs: 1000,
    });
    await migrateToLatest(opened.db);
    await sql`insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2099-01-01')`.execute(
      opened.db,
    );
    await opened.close();
    assertOneLine(
      await start({}),
      /C2M_DATA_DIR \(.*c2m\.sqlite\): the database has migrations this c2m does not know \(999_from_the_future\)/,
    );
  });
});
