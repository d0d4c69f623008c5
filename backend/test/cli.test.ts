// The c2m binary itself (a child process per command), and the demo command. The commands'
// behaviour is tested in-process: cli-credentials, cli-handoffs and cli-settings.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { c2m, ok, spawnC2m } from './cli-run.js';

describe('the c2m binary', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cli-bin-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs through bin/c2m.mjs from any directory', async () => {
    const res = await spawnC2m(dataDir, ['--help'], { bin: true, cwd: tmpdir() });
    assert.match(ok(res), /credentials create/);
  });

  it('exits with code 2 and names the flag on bad input (npm run c2m)', async () => {
    const res = await spawnC2m(dataDir, ['account', 'create', '--rate-limit', 'fast']);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /--name: is required/);
    assert.equal(res.stdout, '');
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
