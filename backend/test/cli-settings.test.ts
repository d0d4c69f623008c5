import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from './helpers.js';
import { c2m, cliAccountBesideServer, ok } from './cli-run.js';

describe('c2m account settings, providers and opt-outs', () => {
  const world = cliAccountBesideServer();
  const { dataDir } = world;

  it('opts a number out and back in', async () => {
    const args = ['--account', world.accountId, '--phone', '+14155550152'];
    ok(await c2m(dataDir, ['optout', 'add', ...args]));
    const { db } = world.t.c2m.deps;
    const optedOut = () =>
      db
        .selectFrom('optouts')
        .select('source')
        .where('phone', '=', '+14155550152')
        .executeTakeFirst();
    assert.equal((await optedOut())?.source, 'cli');
    ok(await c2m(dataDir, ['optout', 'remove', ...args]));
    assert.equal(await optedOut(), undefined);
  });

  it('changes account settings and providers, refusing bad values', async () => {
    const account = ['--account', world.accountId];
    ok(
      await c2m(dataDir, [
        ...['account', 'set', ...account, '--rate-limit', '55', '--device-check', 'on'],
        ...['--default-skill', 'sales', '--receipt-timeout-hours', '24'],
      ]),
    );
    const { db } = world.t.c2m.deps;
    const row = await db
      .selectFrom('accounts')
      .select(['rate_limit_per_sec', 'device_check', 'default_skill', 'receipt_timeout_hours'])
      .where('id', '=', world.accountId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, {
      rate_limit_per_sec: 55,
      device_check: 1,
      default_skill: 'sales',
      receipt_timeout_hours: 24,
    });
    const badSkill = await c2m(dataDir, ['account', 'set', ...account, '--default-skill', 'nope']);
    assert.equal(badSkill.code, 2);
    assert.match(badSkill.stderr, /--default-skill/);

    const twilio = JSON.stringify({
      provider: 'twilio',
      accountSid: 'AC' + '0'.repeat(32),
      authToken: 'secret-token-0123456789',
    });
    const set = ok(
      await c2m(dataDir, ['provider', 'set', ...account, '--channel', 'sms', '--settings', twilio]),
    );
    assert.doesNotMatch(set, /secret-token/);
    assert.match(set, /"authToken":\{"set":true\}/);
    const listed = ok(await c2m(dataDir, ['provider', 'list', ...account]));
    assert.match(listed, /"provider":"twilio"/);
    assert.doesNotMatch(listed, /secret-token/);
    const wrong = await c2m(dataDir, [
      'provider',
      'set',
      ...account,
      '--channel',
      'wa',
      '--settings',
      twilio,
    ]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /cannot serve wa/);
    ok(await c2m(dataDir, ['provider', 'remove', ...account, '--channel', 'sms']));
    assert.match(ok(await c2m(dataDir, ['provider', 'list', ...account])), /sandbox/);
  });

  it('adds a user who signs in with the password from stdin; refuses a short one or a taken name', async () => {
    const args = [
      'user',
      'add',
      '--account',
      world.accountId,
      '--role',
      'admin',
      '--password-stdin',
    ];
    ok(await c2m(dataDir, [...args, '--username', 'ada'], { stdin: 'correct horse\n' }));
    const login = (password: string) =>
      call(`${world.t.url}/api/login`, {
        body: { accountId: world.accountId, username: 'ada', password },
      });
    assert.equal((await login('correct horse')).status, 200);
    assert.equal((await login('correct horse\n')).status, 401);
    const { db } = world.t.c2m.deps;
    const stored = await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.password_hash, /correct horse/);

    const short = await c2m(dataDir, [...args, '--username', 'bob'], { stdin: 'short\n' });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /--password-stdin: at least 8 characters/);
    const taken = await c2m(dataDir, [...args, '--username', 'ada'], { stdin: 'another one\n' });
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /--username: account \d+ already has a user 'ada'/);
    const users = await db.selectFrom('users').select('username').execute();
    assert.deepEqual(users, [{ username: 'ada' }]);
  });

  it('sets the conversation sink under the API rules: a short secret or a loopback URL is refused', async () => {
    const args = ['sink', 'set', '--account', world.accountId, '--url', 'http://127.0.0.1:9/c2m'];
    // a local receiver, as in development: the outbound guard's loopback flag is on
    const sink = (secret: string) =>
      c2m(dataDir, [...args, '--secret', secret], { env: { C2M_ALLOW_LOOPBACK_URLS: '1' } });
    const local = await c2m(dataDir, [...args, '--secret', 'a-secret-of-some-length']);
    assert.equal(local.code, 2);
    assert.match(local.stderr, /--url: /);
    const short = await sink('too-short');
    assert.equal(short.code, 2);
    assert.match(short.stderr, /--secret: at least 16 characters/);
    ok(await sink('a-secret-of-some-length'));
    const { db } = world.t.c2m.deps;
    const row = await db.selectFrom('sink_settings').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.url, 'http://127.0.0.1:9/c2m');
    assert.doesNotMatch(row.secret_enc, /a-secret-of-some-length/);
  });
});
