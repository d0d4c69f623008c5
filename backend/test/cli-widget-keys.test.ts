// `npx c2m widget-keys create|list|revoke`: the key printed once (the Agent Workspace URL with it),
// listed without it, revoked so that the running c2m refuses it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CreatedWidgetKey } from '../contract/widget-keys.js';
import { call, startTestC2m, type TestC2m } from './helpers.js';
import { c2m, cliAccount, ok } from './cli-run.js';

describe('c2m widget-keys', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cli-'));
  let t: TestC2m | undefined;
  let accountId: string;

  before(async () => {
    ({ accountId } = await cliAccount(dataDir));
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a key (printed once), lists it without the key, and revokes it', async () => {
    const created = await c2m(dataDir, [
      'widget-keys',
      'create',
      '--account',
      accountId,
      '--name',
      'Workspace EU',
      '--json',
    ]);
    assert.match(created.stderr, /will not show it again/);
    const key = JSON.parse(ok(created)) as CreatedWidgetKey;
    assert.match(key.key, /^c2m_wk_/);
    assert.match(key.workspaceUrl, /\/agent-workspace#key=c2m_wk_/);

    const readable = ok(await c2m(dataDir, ['widget-keys', 'create', '--account', accountId]));
    assert.match(
      readable,
      /register in LivePerson's Agent Workspace: .*\/agent-workspace#key=c2m_wk_/,
    );

    const list = ok(await c2m(dataDir, ['widget-keys', 'list', '--account', accountId]));
    assert.match(list, new RegExp(`${key.id}  .*  active  Workspace EU`));
    assert.ok(!list.includes('c2m_wk_'), 'no key in the list');

    t = await startTestC2m({ C2M_DEMO: '0' }, { dataDir });
    const mint = () => call(`${t!.url}/api/widget/sessions`, { body: { key: key.key } });
    assert.equal((await mint()).status, 200);

    const revoked = await c2m(dataDir, [
      'widget-keys',
      'revoke',
      '--account',
      accountId,
      '--id',
      key.id,
    ]);
    assert.equal(ok(revoked), `widget key ${key.id} revoked`);
    assert.equal((await mint()).status, 403);
    const again = await c2m(dataDir, [
      'widget-keys',
      'revoke',
      '--account',
      accountId,
      '--id',
      key.id,
    ]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /--id: account \d+ has no active widget key/);
  });

  it('refuses an empty name, naming the flag', async () => {
    const res = await c2m(dataDir, [
      'widget-keys',
      'create',
      '--account',
      accountId,
      '--name',
      ' ',
    ]);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /name/);
  });
});
