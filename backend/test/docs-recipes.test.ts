// The recipes in docs/recipes/ work against a real c2m with the demo account: the Amazon Connect
// Lambda, the Twilio Function and the Asterisk AGI script ask eligibility, then invite.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { DemoCredentials } from '../src/modules/demo-page/bootstrap.js';
import { startTestC2m, type TestC2m } from './helpers.js';
import { docsDir } from './docs-fixtures.js';

/** The code block that follows `<!-- docs-test: name -->` in a recipe. */
function recipeCode(file: string, name: string): string {
  const markdown = readFileSync(join(docsDir, 'recipes', file), 'utf8');
  const at = markdown.indexOf(`<!-- docs-test: ${name} -->`);
  assert.ok(at >= 0, `${file} has no docs-test: ${name}`);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(markdown.slice(at));
  assert.ok(block, `${file}: no code block after docs-test: ${name}`);
  return block[1];
}

describe('the recipes against the demo account', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-docs-'));
  const work = mkdtempSync(join(tmpdir(), 'c2m-recipes-'));
  let t: TestC2m;
  let demo: DemoCredentials;

  before(async () => {
    t = await startTestC2m({ C2M_DEMO: '1' }, { dataDir });
    demo = JSON.parse(
      readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'),
    ) as DemoCredentials;
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const transactions = async () =>
    (await t.c2m.deps.db.selectFrom('transactions').select('call_id').execute()).map(
      (r) => r.call_id,
    );

  it('the Amazon Connect Lambda asks eligibility, then invites', async () => {
    const file = join(work, 'index.mjs');
    writeFileSync(file, recipeCode('amazon-connect.md', 'amazon-connect-lambda'));
    const env = {
      C2M_BASE_URL: demo.baseUrl,
      C2M_ACCOUNT_ID: demo.accountId,
      C2M_CLIENT_ID: demo.oauth2.clientId,
      C2M_CLIENT_SECRET: demo.oauth2.clientSecret,
      C2M_HANDOFF_ID: demo.handoffs.sms,
      C2M_SKILL: 'sales',
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const { handler } = (await import(pathToFileURL(file).href)) as {
        handler: (event: unknown) => Promise<Record<string, string>>;
      };
      const event = (phone: string, params: Record<string, string>) => ({
        Details: {
          ContactData: {
            ContactId: `contact-${phone}`,
            CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' },
            SystemEndpoint: { Address: '+18005550100', Type: 'TELEPHONE_NUMBER' },
          },
          Parameters: params,
        },
        Name: 'ContactFlowEvent',
      });
      const answer = await handler(
        event('+14155550123', { action: 'eligibility', firstName: 'Ada' }),
      );
      assert.equal(answer.result, 'eligible');
      assert.equal(answer.channel, 'sms');
      for (const value of Object.values(answer)) assert.equal(typeof value, 'string'); // STRING_MAP

      const invited = await handler(
        event('+14155550123', { action: 'invite', callId: answer.callId }),
      );
      assert.deepEqual(invited, { result: 'invited', callId: answer.callId });
      assert.ok((await transactions()).includes(answer.callId));

      const unreachable = await handler(event('+14155550000', { action: 'eligibility' }));
      assert.deepEqual(
        { result: unreachable.result, reason: unreachable.reason },
        { result: 'not_eligible', reason: 'not_reachable' },
      );
      const anonymous = await handler(event('anonymous', { action: 'eligibility' }));
      assert.equal(anonymous.reason, 'no_caller_id');
      const wrong = await handler(
        event('+14155550124', { action: 'eligibility', handoffId: 'H0' }),
      );
      assert.deepEqual(
        { result: wrong.result, httpStatus: wrong.httpStatus, errorCode: wrong.errorCode },
        { result: 'error', httpStatus: '400', errorCode: '1500' },
      );
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('the Twilio Function asks eligibility, then invites', async () => {
    const file = join(work, 'c2m.cjs');
    writeFileSync(file, recipeCode('twilio-studio.md', 'twilio-function'));
    const fn = createRequire(import.meta.url)(file) as {
      handler: (ctx: object, event: object, cb: (err: unknown, res: unknown) => void) => unknown;
    };
    const context = {
      C2M_BASE_URL: demo.baseUrl,
      C2M_ACCOUNT_ID: demo.accountId,
      C2M_CLIENT_ID: demo.oauth2.clientId,
      C2M_CLIENT_SECRET: demo.oauth2.clientSecret,
      C2M_HANDOFF_ID: demo.handoffs.waSms,
      C2M_SKILL: 'sales',
    };
    const run = (event: object) =>
      new Promise<Record<string, unknown>>((done, fail) => {
        void fn.handler(context, event, (err, res) =>
          err
            ? fail(err instanceof Error ? err : new Error(JSON.stringify(err)))
            : done(res as Record<string, unknown>),
        );
      });
    const call = { from: '+14155550131', to: '+18005550100', callSid: 'CAdocs1', firstName: 'Ada' };
    const answer = await run({ action: 'eligibility', ...call });
    assert.equal(answer.result, 'eligible');
    assert.equal(answer.channel, 'wa');
    assert.equal(answer.channelLabel, 'WhatsApp message');
    assert.deepEqual(answer.availableChannels, ['wa', 'sms']);
    // a retried widget (same CallSid) gets the same call context back
    assert.equal((await run({ action: 'eligibility', ...call })).callId, answer.callId);

    const invited = await run({
      action: 'invite',
      callId: answer.callId,
      callSid: 'CAdocs1',
      channel: 'sms',
    });
    assert.deepEqual(invited, { result: 'invited' });
    assert.ok((await transactions()).includes(answer.callId as string));

    const smsOnly = await run({
      action: 'eligibility',
      ...call,
      from: '+14155550001',
      callSid: 'CAdocs2',
    });
    assert.equal(smsOnly.channel, 'sms');
    const expired = await run({
      action: 'invite',
      callId: crypto.randomUUID(),
      callSid: 'CAdocs3',
    });
    assert.deepEqual(expired, {
      result: 'error',
      httpStatus: 404,
      errorCode: 1004,
      errorMessage: expired.errorMessage,
    });
  });

  it('the Asterisk AGI script asks eligibility, then invites', async (ctx) => {
    if (spawnSync('python3', ['--version']).status !== 0)
      return ctx.skip('python3 is not installed');
    const script = join(work, 'c2m-deflect.py');
    writeFileSync(script, recipeCode('asterisk.md', 'asterisk-agi'));
    const config = join(work, 'c2m.json');
    writeFileSync(
      config,
      JSON.stringify({
        baseUrl: demo.baseUrl,
        accountId: demo.accountId,
        clientId: demo.oauth2.clientId,
        clientSecret: demo.oauth2.clientSecret,
        handoffId: demo.handoffs.sms,
        skill: 'sales',
        defaultCountryCode: '1',
        tokenCache: join(work, 'token.json'),
      }),
    );
    /** Runs the script as Asterisk would: AGI environment, then `200 result=1` per command. */
    const agi = (...args: string[]) =>
      new Promise<Record<string, string>>((done, fail) => {
        const child = spawn('python3', [script, ...args], {
          env: { ...process.env, C2M_CONFIG: config },
        });
        const vars: Record<string, string> = {};
        let buffered = '';
        child.stdin.write('agi_request: c2m-deflect.py\nagi_channel: PJSIP/test\n\n');
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            const set = /^SET VARIABLE (\w+) "(.*)"$/.exec(line);
            if (set) vars[set[1]] = set[2];
            child.stdin.write('200 result=1\n');
          }
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', fail);
        child.on('close', (code) =>
          code === 0 ? done(vars) : fail(new Error(`exit ${code}: ${stderr}`)),
        );
      });

    // a national number from the trunk becomes E.164 with the default country code
    const answer = await agi('eligibility', '4155550141', 'uniq-1', '+18005550100');
    assert.equal(answer.C2M_RESULT, 'eligible');
    assert.equal(answer.C2M_CHANNEL, 'sms');
    assert.match(answer.C2M_CALL_ID, /^[0-9a-f-]{36}$/);
    const invited = await agi('invite', answer.C2M_CALL_ID, 'uniq-1');
    assert.equal(invited.C2M_RESULT, 'invited');
    assert.ok((await transactions()).includes(answer.C2M_CALL_ID));

    const unreachable = await agi('eligibility', '+14155550000', 'uniq-2');
    assert.deepEqual(
      { ...unreachable, C2M_CALL_ID: undefined },
      {
        C2M_CALL_ID: undefined,
        C2M_CHANNEL: '',
        C2M_AVAILABLE: '',
        C2M_RESULT: 'not_eligible',
        C2M_REASON: 'not_reachable',
      },
    );
    assert.deepEqual(await agi('eligibility', '', 'uniq-3'), {
      C2M_RESULT: 'not_eligible',
      C2M_REASON: 'no_caller_id',
    });
    const expired = await agi('invite', crypto.randomUUID(), 'uniq-4');
    assert.deepEqual(
      { result: expired.C2M_RESULT, status: expired.C2M_HTTP_STATUS, code: expired.C2M_ERROR_CODE },
      { result: 'error', status: '404', code: '1004' },
    );
  });
});
