import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { HandoffChannel } from '../contract/handoffs.js';
import type { OAuth1Secrets } from '../src/modules/accounts/credentials.service.js';
import { call, oauth1Header } from './helpers.js';
import {
  approveTemplate,
  c2m,
  cliAccountBesideServer,
  ok,
  ORDER,
  root,
  storedHandoff,
  waFlags,
  type CliResult,
} from './cli-run.js';

describe('c2m handoff create', () => {
  const world = cliAccountBesideServer();
  const { dataDir } = world;
  const credentials = (...args: string[]) => [
    ...['credentials', 'create', '--account', world.accountId],
    ...args,
  ];

  it('creates a WhatsApp handoff with an approved template; the IVR fills what has no default', async () => {
    await approveTemplate(world.t);
    const id = ok(
      await c2m(dataDir, [
        ...['handoff', 'create', '--account', world.accountId, '--title', 'CLI WhatsApp'],
        ...['--channels', 'wa,sms', ...waFlags(), '--wa-var', '2=A-1'],
        ...['--message', 'Hi {{1}}, reply here.', '--var', '1=there'],
      ]),
    );
    assert.match(id, /^H\d{15}$/);
    const stored = await storedHandoff(world.t, id);
    assert.deepEqual(stored.channels, [
      {
        name: 'wa',
        enabled: true,
        message: 'Hi {{1}}, your order A-1 is ready.',
        templateName: ORDER,
        templateLanguage: 'en_US',
      },
      { name: 'sms', enabled: true, message: 'Hi {{1}}, reply here.', defaults: { 1: 'there' } },
    ]);
    assert.equal(stored.lookback_minutes, 24 * 60);

    const ivr = JSON.parse(
      ok(await c2m(dataDir, credentials('--kind', 'oauth1', '--json'))),
    ) as OAuth1Secrets;
    const url = `${world.t.url}/api/account/${world.accountId}/eligibility?v=2.0`;
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
    await approveTemplate(world.t);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const examples = [...readme.replace(/\\\n\s*/g, '').matchAll(/^npx c2m (handoff create .*)$/gm)]
      .map((m) => m[1].replace(/#.*$/, ''))
      .map((line) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((w) => w[1] ?? w[2]))
      .map((words) => words.map((w) => (w === '12345678' ? world.accountId : w)));
    assert.ok(
      examples.some((words) => words.includes('wa,sms')),
      'a WhatsApp example',
    );
    for (const words of examples) {
      const id = ok(await c2m(dataDir, words));
      assert.match(id, /^H\d{15}$/, words.join(' '));
      // a WhatsApp channel that can be sent: an approved template, in its language
      for (const c of (await storedHandoff(world.t, id)).channels as HandoffChannel[]) {
        if (c.name !== 'wa') continue;
        assert.equal(c.templateName, ORDER, words.join(' '));
        assert.equal(c.templateLanguage, 'en_US', words.join(' '));
      }
    }
  });

  it('refuses bad input with exit code 2 and a message naming the flag, storing nothing', async () => {
    await approveTemplate(world.t);
    const { db } = world.t.c2m.deps;
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
    const handoff = (...args: string[]) => [
      'handoff',
      'create',
      '--account',
      world.accountId,
      ...args,
    ];
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
      [credentials('--kind', 'oauth3'), '--kind'],
      [credentials('--kind', 'oauth1', '--permissions', 'root'), '--permissions'],
      [['skill', 'add', '--account', world.accountId, '--name', 'billing', '--bogus'], '--bogus'],
      [['optout', 'add', '--account', world.accountId, '--phone', '555'], '--phone'],
      [['skill', 'add', '--account', world.accountId, '--name', '<script>'], '--name: must not'],
      [['skill', 'add', '--account', world.accountId, '--name', 'sa\u202Eles'], '--name: must not'],
    ];
    const results: CliResult[] = [];
    for (const [args] of cases) results.push(await c2m(dataDir, args));
    for (const [i, res] of results.entries()) {
      const [args, flag] = cases[i];
      assert.equal(res.code, 2, `${args.join(' ')} → exit ${res.code}: ${res.stderr}`);
      assert.ok(res.stderr.includes(flag), `${args.join(' ')} → ${res.stderr}`);
      assert.equal(res.stdout, '');
    }
    assert.deepEqual(await counts(), before);
  });
});
