// `c2m account list`, `handoff list --account`, `user list --account` (also `users list`), and
// `credentials create` printing the URL the server of the data dir really listens at.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestC2m } from './helpers.js';
import { c2m, cliAccount, ok } from './cli-run.js';
import { dropEngineData } from './test-engine.js';

describe('c2m lists', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cli-'));
  let accountId: string;
  let handoffId: string;

  before(async () => {
    ({ accountId, handoffId } = await cliAccount(dataDir));
  });
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropEngineData(dataDir);
  });

  it('lists accounts, handoffs and users, readable and as JSON', async () => {
    const second = ok(await c2m(dataDir, ['account', 'create', '--name', 'Second Brand']));
    const accounts = ok(await c2m(dataDir, ['account', 'list'])).split('\n');
    assert.equal(accounts.length, 2);
    assert.match(accounts[0], new RegExp(`^${accountId}  \\d{4}-\\d\\d-\\d\\dT\\S+  CLI Brand$`));
    assert.match(accounts[1], new RegExp(`^${second}  .*  Second Brand$`));
    const json = JSON.parse(ok(await c2m(dataDir, ['account', 'list', '--json']))) as {
      id: string;
    }[];
    assert.deepEqual(
      json.map((a) => a.id),
      [accountId, second],
    );

    assert.equal(
      ok(await c2m(dataDir, ['handoff', 'list', '--account', accountId])),
      `${handoffId}  sms  CLI SMS`,
    );
    const empty = await c2m(dataDir, ['handoff', 'list', '--account', second]);
    assert.equal(ok(empty), '');
    assert.match(empty.stderr, new RegExp(`account ${second} has no handoffs`));

    const password = { stdin: 'a-long-password\n' };
    const add = (u: string, role: string) =>
      c2m(
        dataDir,
        [
          'user',
          'add',
          '--account',
          accountId,
          '--username',
          u,
          '--role',
          role,
          '--password-stdin',
        ],
        password,
      );
    ok(await add('zoe', 'agent'));
    ok(await add('ada', 'admin'));
    const users = ok(await c2m(dataDir, ['users', 'list', '--account', accountId])).split('\n');
    assert.equal(users.length, 2);
    // oldest first, as the admin element's Users view lists them
    assert.match(users[0], /^zoe {2}agent {2}\d{4}-/);
    assert.match(users[1], /^ada {2}admin {2}\d{4}-/);
    const usersJson = ok(await c2m(dataDir, ['user', 'list', '--account', accountId, '--json']));
    assert.doesNotMatch(usersJson, /password|hash/i);
  });

  it('names the flag of a missing or unknown account', async () => {
    const missing = await c2m(dataDir, ['user', 'list']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--account: is required/);
    const unknown = await c2m(dataDir, ['handoff', 'list', '--account', '99999999']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--account: no account 99999999/);
  });

  it('shows the lists in the help', async () => {
    const help = ok(await c2m(dataDir, ['--help']));
    for (const name of ['account list', 'handoff list', 'user list']) {
      assert.match(help, new RegExp(`  ${name} `));
    }
  });
});

describe('c2m credentials create, beside a server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cli-'));
  let accountId: string;

  before(async () => {
    ({ accountId } = await cliAccount(dataDir));
  });
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropEngineData(dataDir);
  });

  const create = (env?: Record<string, string>) =>
    c2m(dataDir, ['credentials', 'create', '--account', accountId, '--kind', 'oauth2', '--json'], {
      env,
    });

  it("prints the URL the server listens at (its port, not the default's), or C2M_PUBLIC_URL", async () => {
    // the server on port 0: a port the CLI cannot guess from its own environment
    const t = await startTestC2m({ C2M_DEMO: '0' }, { dataDir });
    try {
      const made = JSON.parse(ok(await create())) as { serverUrl: string; tokenUrl: string };
      assert.equal(made.serverUrl, t.url);
      assert.equal(made.tokenUrl, `${t.url}/oauth/token`);
      const readable = ok(
        await c2m(dataDir, ['credentials', 'create', '--account', accountId, '--kind', 'oauth1']),
      );
      assert.match(readable, new RegExp(`serverUrl:\\s+${t.url.replace(/\./g, '\\.')}\\n`));

      const proxied = JSON.parse(
        ok(await create({ C2M_PUBLIC_URL: 'https://c2m.example.com/' })),
      ) as { serverUrl: string; tokenUrl: string };
      assert.equal(proxied.serverUrl, 'https://c2m.example.com');
      assert.equal(proxied.tokenUrl, 'https://c2m.example.com/oauth/token');
    } finally {
      await t.close();
    }
  });
});
