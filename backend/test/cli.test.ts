import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { HandoffChannel } from '../contract/handoffs.js';
import type { OAuth1Secrets, OAuth2Secrets } from '../src/modules/accounts/credentials.service.js';
import { insertApprovedTemplate } from './template-rows.js';
import { bearerToken, call, oauth1Header, startTestC2m, type TestC2m } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process, as a user would; killed if it hangs. */
function c2m(
  dataDir: string,
  args: string[],
  opts: { bin?: boolean; cwd?: string } = {},
): Promise<CliResult> {
  const entry = opts.bin
    ? [join(root, 'bin/c2m.mjs')]
    : ['--import', 'tsx', join(root, 'backend/src/cli/main.ts')];
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('C2M_')),
  );
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: opts.cwd ?? root,
    env: { ...env, C2M_DATA_DIR: dataDir },
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('close', (code) => ok({ code, stdout, stderr }));
  });
}

function ok(res: CliResult): string {
  assert.equal(res.code, 0, `exit ${res.code}: ${res.stderr}`);
  return res.stdout.trim();
}

/** The README's example template, approved in the account (WhatsApp's review is not the CLI's). */
const ORDER = 'order_update';
const waFlags = (language = 'en_US') => ['--wa-template', ORDER, '--wa-language', language];

async function approveTemplate(t: TestC2m) {
  const account = await t.c2m.deps.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
  await insertApprovedTemplate(t.c2m.deps.db, account.id, {
    name: ORDER,
    language: 'en_US',
    body: 'Hi {{1}}, your order {{2}} is ready.',
    examples: ['Ada', 'A-1'],
    now: Date.now(),
  });
}

async function storedHandoff(t: TestC2m, id: string) {
  const row = await t.c2m.deps.db
    .selectFrom('handoffs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { ...row, channels: JSON.parse(row.channels_json) as unknown[] };
}

describe('c2m CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cli-'));
  let t: TestC2m | undefined;
  let accountId: string;
  let handoffId: string;
  let oauth1: OAuth1Secrets;
  let oauth2: OAuth2Secrets & { tokenUrl: string };

  before(async () => {
    accountId = ok(await c2m(dataDir, ['account', 'create', '--name', 'CLI Brand']));
    ok(await c2m(dataDir, ['skill', 'add', '--account', accountId, '--name', 'sales']));
    handoffId = ok(
      await c2m(dataDir, [
        'handoff',
        'create',
        ...['--account', accountId, '--title', 'CLI SMS', '--channels', 'sms'],
        ...['--message', 'Hi {{1}}', '--outbound-number', '+15005550006'],
      ]),
    );
    const credentials = (kind: string) =>
      c2m(dataDir, ['credentials', 'create', '--account', accountId, '--kind', kind, '--json']);
    const [one, two] = [await credentials('oauth1'), await credentials('oauth2')];
    for (const res of [one, two]) assert.match(res.stderr, /will not show them again/);
    oauth1 = JSON.parse(ok(one)) as OAuth1Secrets;
    oauth2 = JSON.parse(ok(two)) as OAuth2Secrets & { tokenUrl: string };
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints ids an IVR can use', () => {
    assert.match(accountId, /^\d{8}$/);
    assert.match(handoffId, /^H\d{15}$/);
    assert.match(oauth1.consumerSecret, /^c2m_cs_/);
    assert.match(oauth2.clientSecret, /^c2m_sec_/);
    assert.match(oauth2.tokenUrl, /\/oauth\/token$/);
  });

  it('runs through bin/c2m.mjs from any directory', async () => {
    const res = await c2m(dataDir, ['--help'], { bin: true, cwd: tmpdir() });
    assert.match(ok(res), /credentials create/);
  });

  it('prints readable secrets once, with the warning, without --json', async () => {
    const args = ['credentials', 'create', '--account', accountId, '--kind', 'oauth2'];
    const res = await c2m(dataDir, [...args, '--name', 'readable']);
    assert.match(ok(res), /clientSecret:\s+c2m_sec_/);
    assert.match(res.stderr, /will not show them again/);
  });

  it('makes credentials that authenticate eligibility on the printed handoff', async () => {
    t = await startTestC2m({ C2M_DEMO: '0' }, { dataDir });
    const url = `${t.url}/api/account/${accountId}/eligibility?v=2.0`;
    const body = { skill: 'sales', consumerPhoneNumber: '+14155550150', handoffId };
    const signed = await call(url, { body, authorization: oauth1Header(oauth1, 'POST', url) });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    assert.equal((signed.body as { recommendedChannelName: string }).recommendedChannelName, 'sms');

    const token = await bearerToken(t.url, oauth2);
    const bearer = await call(url, { body, authorization: `Bearer ${token}` });
    assert.equal(bearer.status, 200, JSON.stringify(bearer.body));
  });

  it('lists credentials without a secret', async () => {
    const out = ok(await c2m(dataDir, ['credentials', 'list', '--account', accountId, '--json']));
    const list = JSON.parse(out) as { id: string; keyId: string; revokedAt: number | null }[];
    assert.deepEqual(
      list.filter((c) => c.id === oauth1.id || c.id === oauth2.id).map((c) => c.keyId),
      [oauth1.consumerKey, oauth2.clientId],
    );
    for (const secret of [oauth1.consumerSecret, oauth1.tokenSecret, oauth1.token]) {
      assert.equal(out.includes(secret), false);
    }
    assert.equal(out.includes(oauth2.clientSecret), false);
    const readable = ok(await c2m(dataDir, ['credentials', 'list', '--account', accountId]));
    assert.equal(readable.includes(oauth1.consumerSecret), false);
    assert.match(readable, new RegExp(`${oauth1.id}\\s+oauth1`));
  });

  it('revokes credentials beside the running server: both schemes then answer 401', async () => {
    assert.ok(t);
    const url = `${t.url}/api/account/${accountId}/eligibility?v=2.0`;
    const body = { skill: 'sales', consumerPhoneNumber: '+14155550151', handoffId };
    const token = await bearerToken(t.url, oauth2);
    for (const id of [oauth1.id, oauth2.id]) {
      ok(await c2m(dataDir, ['credentials', 'revoke', '--account', accountId, '--id', id]));
    }
    const signed = await call(url, { body, authorization: oauth1Header(oauth1, 'POST', url) });
    assert.equal(signed.status, 401);
    assert.equal((signed.body as { errorCode: number }).errorCode, 1100);
    const bearer = await call(url, { body, authorization: `Bearer ${token}` });
    assert.equal(bearer.status, 401);
    const again = await call(`${t.url}/oauth/token`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${oauth2.clientId}&client_secret=${oauth2.clientSecret}`,
    });
    assert.equal(again.status, 401);

    const twice = await c2m(dataDir, [
      'credentials',
      'revoke',
      '--account',
      accountId,
      '--id',
      oauth1.id,
    ]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /--id/);
  });

  it('creates a WhatsApp handoff with an approved template; the IVR fills what has no default', async () => {
    assert.ok(t);
    await approveTemplate(t);
    const id = ok(
      await c2m(dataDir, [
        ...['handoff', 'create', '--account', accountId, '--title', 'CLI WhatsApp'],
        ...['--channels', 'wa,sms', ...waFlags(), '--wa-var', '2=A-1'],
        ...['--message', 'Hi {{1}}, reply here.'],
      ]),
    );
    assert.match(id, /^H\d{15}$/);
    const stored = await storedHandoff(t, id);
    assert.deepEqual(stored.channels, [
      {
        name: 'wa',
        enabled: true,
        message: 'Hi {{1}}, your order A-1 is ready.',
        templateName: ORDER,
        templateLanguage: 'en_US',
      },
      { name: 'sms', enabled: true, message: 'Hi {{1}}, reply here.' },
    ]);
    assert.equal(stored.lookback_minutes, 24 * 60);

    const ivr = JSON.parse(
      ok(
        await c2m(dataDir, [
          'credentials',
          'create',
          '--account',
          accountId,
          '--kind',
          'oauth1',
          '--json',
        ]),
      ),
    ) as OAuth1Secrets;
    const url = `${t.url}/api/account/${accountId}/eligibility?v=2.0`;
    const eligibility = (templateVariables: Record<string, string>) => {
      const body = { skill: 'sales', consumerPhoneNumber: '+14155550152', handoffId: id };
      const signed = { ...body, templateVariables };
      return call(url, { body: signed, authorization: oauth1Header(ivr, 'POST', url) });
    };
    assert.equal((await eligibility({ 1: 'Grace' })).status, 200);
    const missing = await eligibility({});
    assert.equal(missing.status, 400);
    assert.match((missing.body as { errorMessage: string }).errorMessage, /^templateVariables\.1:/);
  });

  it("runs the README's handoff examples as printed", async () => {
    assert.ok(t);
    await approveTemplate(t);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const examples = [...readme.replace(/\\\n\s*/g, '').matchAll(/^npx c2m (handoff create .*)$/gm)]
      .map((m) => m[1].replace(/#.*$/, ''))
      .map((line) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((w) => w[1] ?? w[2]))
      .map((words) => words.map((w) => (w === '12345678' ? accountId : w)));
    assert.ok(
      examples.some((words) => words.includes('wa,sms')),
      'a WhatsApp example',
    );
    for (const words of examples) {
      const id = ok(await c2m(dataDir, words));
      assert.match(id, /^H\d{15}$/, words.join(' '));
      // a WhatsApp channel that can be sent: an approved template, in its language
      for (const c of (await storedHandoff(t, id)).channels as HandoffChannel[]) {
        if (c.name !== 'wa') continue;
        assert.equal(c.templateName, ORDER, words.join(' '));
        assert.equal(c.templateLanguage, 'en_US', words.join(' '));
      }
    }
  });

  it('refuses bad input with exit code 2 and a message naming the flag, storing nothing', async () => {
    assert.ok(t);
    await approveTemplate(t);
    const { db } = t.c2m.deps;
    const counts = async () =>
      Promise.all(
        (['accounts', 'handoffs', 'skills', 'credentials', 'optouts'] as const).map(
          async (table) => {
            const rows = await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .execute();
            return Number(rows[0].n);
          },
        ),
      );
    const before = await counts();
    const handoff = (...args: string[]) => ['handoff', 'create', '--account', accountId, ...args];
    const cases: [string[], string][] = [
      [['account', 'create'], '--name'],
      [['account', 'create', '--name', 'X', '--rate-limit', 'fast'], '--rate-limit'],
      [handoff('--title', 'a<b', '--channels', 'sms'), '--title'],
      [handoff('--title', 'CLI SMS', '--channels', 'sms'), '--title'],
      [handoff('--title', 'T1', '--channels', 'sms,fax'), '--channels'],
      [handoff('--title', 'T2', '--channels', 'inapp,sms'), '--channels'],
      [
        handoff('--title', 'T3', '--channels', 'sms', '--lookback-minutes', '59'),
        '--lookback-minutes',
      ],
      [
        handoff(
          '--title',
          'T4',
          '--channels',
          'inapp',
          ...'abcd'.split('').flatMap((a) => ['--app', a]),
        ),
        '--app',
      ],
      [
        handoff('--title', 'T5', '--channels', 'sms', '--outbound-number', '12345'),
        '--outbound-number',
      ],
      [
        ['handoff', 'create', '--account', '99999999', '--title', 'T6', '--channels', 'sms'],
        '--account',
      ],
      // WhatsApp sends an approved template, as the admin API requires
      [handoff('--title', 'T7', '--channels', 'wa,sms'), '--wa-template'],
      [handoff('--title', 'T8', '--channels', 'wa', '--wa-template', 'nope'), '--wa-template'],
      [handoff('--title', 'T9', '--channels', 'sms', '--wa-template', ORDER), '--wa-template'],
      [handoff('--title', 'T10', '--channels', 'wa', ...waFlags('fr')), '--wa-language'],
      [handoff('--title', 'T11', '--channels', 'wa', ...waFlags(), '--wa-var', '3=x'), '--wa-var'],
      [handoff('--title', 'T12', '--channels', 'wa', ...waFlags(), '--wa-var', 'Ada'), '--wa-var'],
      [
        handoff('--title', 'T13', '--channels', 'wa', ...waFlags(), '--wa-var', '1={{2}}'),
        '--wa-var',
      ],
      // channels the account has switched off, as the admin API refuses them
      [handoff('--title', 'T14', '--channels', 'rcs'), '--channels'],
      [['credentials', 'create', '--account', accountId, '--kind', 'oauth3'], '--kind'],
      [
        [
          'credentials',
          'create',
          '--account',
          accountId,
          '--kind',
          'oauth1',
          '--permissions',
          'root',
        ],
        '--permissions',
      ],
      [['skill', 'add', '--account', accountId, '--name', 'billing', '--bogus'], '--bogus'],
      [['optout', 'add', '--account', accountId, '--phone', '555'], '--phone'],
      [['skill', 'add', '--account', accountId, '--name', '<script>'], '--name: must not'],
      [['skill', 'add', '--account', accountId, '--name', 'sa\u202Eles'], '--name: must not'],
    ];
    // a few at a time: each child compiles TypeScript, and the machine may be busy
    const results: CliResult[] = [];
    for (let i = 0; i < cases.length; i += 4) {
      const batch = cases.slice(i, i + 4).map(([args]) => c2m(dataDir, args));
      results.push(...(await Promise.all(batch)));
    }
    for (const [i, res] of results.entries()) {
      const [args, flag] = cases[i];
      assert.equal(res.code, 2, `${args.join(' ')} → exit ${res.code}: ${res.stderr}`);
      assert.ok(res.stderr.includes(flag), `${args.join(' ')} → ${res.stderr}`);
      assert.equal(res.stdout, '');
    }
    assert.deepEqual(await counts(), before);
  });

  it('opts a number out and back in', async () => {
    const args = ['--account', accountId, '--phone', '+14155550152'];
    ok(await c2m(dataDir, ['optout', 'add', ...args]));
    const { db } = t!.c2m.deps;
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
    const account = ['--account', accountId];
    ok(
      await c2m(dataDir, [
        ...['account', 'set', ...account, '--rate-limit', '55', '--device-check', 'on'],
        ...['--default-skill', 'sales', '--receipt-timeout-hours', '24'],
      ]),
    );
    const { db } = t!.c2m.deps;
    const row = await db
      .selectFrom('accounts')
      .select(['rate_limit_per_sec', 'device_check', 'default_skill', 'receipt_timeout_hours'])
      .where('id', '=', accountId)
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
});

describe('c2m demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cli-demo-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the demo in an empty data dir once, and prints its curl example', async () => {
    const first = ok(await c2m(dataDir, ['demo']));
    assert.match(first, /curl /);
    assert.ok(existsSync(join(dataDir, 'demo-credentials.json')));
    const second = await c2m(dataDir, ['demo']);
    assert.equal(ok(second), first);
    assert.match(second.stderr, /already exists/);
  });
});
