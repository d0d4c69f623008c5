// `c2m migrate` and the start-up rule: migrations are applied once for the cluster, a node on
// PostgreSQL waits for them rather than racing or serving behind its code, and a database that
// newer code migrated stops a start with one line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { latestMigration } from '../src/db/migrate.js';
import { openConfiguredDatabase } from '../src/server.js';
import { StartupError } from '../src/startup-error.js';
import { c2m, root } from './cli-run.js';
import { call, startTestC2m, waitFor } from './helpers.js';
import { dropEngineData, engineEnv, onPostgres } from './test-engine.js';

const MIGRATION_COUNT = Number(latestMigration.slice(0, 3));

/** A data dir (and on PostgreSQL its schema), removed after the file. */
function installations() {
  const made: string[] = [];
  after(async () => {
    for (const dir of made) {
      rmSync(dir, { recursive: true, force: true });
      await dropEngineData(dir);
    }
  });
  return async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'c2m-migrate-'));
    made.push(dataDir);
    // the node's own rule on PostgreSQL (wait), not the harness's C2M_MIGRATE=auto
    const env = { ...(await engineEnv(dataDir)), C2M_MIGRATE: 'wait' };
    return { dataDir, env };
  };
}

/** Records a migration no version of c2m has: what a newer c2m would leave behind. */
async function migrateFromTheFuture(dataDir: string, env: Record<string, string>) {
  const opened = await openConfiguredDatabase(loadConfig({ ...env, C2M_DATA_DIR: dataDir }));
  try {
    await sql`insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2099-01-01')`.execute(
      opened.db,
    );
  } finally {
    await opened.close();
  }
}

describe('c2m migrate', () => {
  const installation = installations();

  it('applies every migration once, then says the database is current', async () => {
    const { dataDir, env } = await installation();
    const first = await c2m(dataDir, ['migrate'], { env });
    assert.equal(first.code, 0, first.stderr);
    const applied = first.stdout.split('\n').filter((l) => l.startsWith('applied '));
    assert.equal(applied.length, MIGRATION_COUNT);
    assert.equal(applied[0], 'applied 001_initial');
    assert.match(
      first.stdout,
      new RegExp(`${MIGRATION_COUNT} migration\\(s\\) applied, now at ${latestMigration}`),
    );

    const again = await c2m(dataDir, ['migrate'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /applied /);
    assert.match(again.stdout, new RegExp(`already current at ${latestMigration}`));
  });

  it('refuses a database that newer code migrated, and so does a start', async () => {
    const { dataDir, env } = await installation();
    assert.equal((await c2m(dataDir, ['migrate'], { env })).code, 0);
    await migrateFromTheFuture(dataDir, env);

    const refused = await c2m(dataDir, ['migrate'], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /has migrations this c2m does not know \(999_from_the_future\)/);
    await assert.rejects(
      startTestC2m({ ...env, C2M_MIGRATE: 'auto' }, { dataDir }),
      (err: Error) =>
        err instanceof StartupError &&
        /the database has migrations this c2m does not know \(999_from_the_future\); a newer c2m migrated it/.test(
          err.message,
        ),
    );
  });
});

// the waiting and refusing are PostgreSQL's (SQLite migrates itself): on that pass only
if (onPostgres)
  describe('start-up on PostgreSQL', () => {
    const installation = installations();

    it('two c2m migrate at once apply each migration once', async () => {
      const { dataDir, env } = await installation();
      const runs = await Promise.all([
        c2m(dataDir, ['migrate'], { env }),
        c2m(dataDir, ['migrate'], { env }),
      ]);
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const applied = runs.flatMap((r) =>
        r.stdout.split('\n').filter((l) => l.startsWith('applied ')),
      );
      assert.equal(applied.length, MIGRATION_COUNT);
      assert.equal(new Set(applied).size, MIGRATION_COUNT);
    });

    it('a command other than migrate does not migrate: it says to run c2m migrate', async () => {
      const { dataDir, env } = await installation();
      const res = await c2m(dataDir, ['account', 'create', '--name', 'Acme'], { env });
      assert.equal(res.code, 1);
      assert.match(
        res.stderr,
        /migrations not applied yet \(001_initial, .*\); run 'npx c2m migrate' first/,
      );
    });

    it('a node waits for c2m migrate, saying once what it waits for, then serves', async () => {
      const { dataDir, env } = await installation();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(root, 'backend/src/main.ts')],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH,
            ...env,
            C2M_DATA_DIR: dataDir,
            PORT: '0',
            C2M_DEMO: '0',
            C2M_LOG_FORMAT: 'json',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        await waitFor(() => output.includes('waiting for migrations'), 'the waiting line', 20_000);
        // it keeps waiting: nothing listens, nothing is migrated behind the operator's back
        await new Promise((resolve) => setTimeout(resolve, 2500));
        assert.doesNotMatch(output, /listening/);
        assert.equal(output.match(/waiting for migrations/g)?.length, 1, output);
        assert.match(output, /run 'npx c2m migrate'/);

        const migrated = await c2m(dataDir, ['migrate'], { env });
        assert.equal(migrated.code, 0, migrated.stderr);
        const url = await waitFor(
          () => /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1],
          'the node listening',
          20_000,
        );
        const ready = await call(`${url}/readyz`, { method: 'GET' });
        assert.equal(ready.status, 200, JSON.stringify(ready.body));
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    });
  });
