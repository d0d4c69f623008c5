// engine: sqlite
// What a newcomer meets when starting c2m (issue 15, item 11): a taken port is one line, not a
// stack trace; a second c2m on the same SQLite data dir is refused in one line; with C2M_DEMO=0
// the start-up line does not advertise the demo; an installation without accounts says how to
// make one; /favicon.ico is there. The processes get their environment from the test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StartupError } from '../src/startup-error.js';
import { root } from './cli-run.js';
import { startTestC2m } from './helpers.js';
import { assertOneLine, freePort } from './node-process.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'c2m-startup-'));
  dirs.push(dir);
  return dir;
}

/**
 * main.ts with `env` on a loopback-only start: its exit code and output once it exits, or, when
 * it comes up, its output up to the start-up line (then it is stopped with SIGTERM).
 */
async function start(
  dataDir: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'backend/src/main.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      C2M_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      C2M_LOG_FORMAT: 'pretty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (/c2m listening on/.test(stdout)) setTimeout(() => child.kill('SIGTERM'), 200);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  return { code, stdout, stderr };
}

describe('start-up errors', { timeout: 120_000 }, () => {
  it('says in one line that the port is taken', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((ok) => taken.listen(port, '127.0.0.1', ok));
    try {
      const res = await start(tempDir(), { PORT: String(port), C2M_DEMO: '0' });
      assertOneLine(res, new RegExp(`PORT ${port} on HOST 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await new Promise((ok) => taken.close(ok));
    }
  });

  it('refuses a second c2m on the same SQLite data dir, in one line', async () => {
    const dataDir = tempDir();
    const first = await startTestC2m({}, { dataDir });
    try {
      // another process
      assertOneLine(
        await start(dataDir, { C2M_DEMO: '0' }),
        /C2M_DATA_DIR \(.*\): another c2m is already running on this data dir/,
      );
      // and in this one
      await assert.rejects(
        startTestC2m({}, { dataDir }),
        (err) => err instanceof StartupError && /already running/.test(err.message),
      );
      assert.equal((await fetch(`${first.url}/healthz`)).status, 200, 'the first one still serves');
    } finally {
      await first.close();
    }
    // once the first has stopped, the data dir is free again
    const again = await startTestC2m({}, { dataDir });
    await again.close();
  });
});

describe('the start-up line', { timeout: 120_000 }, () => {
  it('on an empty installation says how to create the first account', async () => {
    const res = await start(tempDir(), { C2M_DEMO: '0' });
    assert.match(res.stdout, /c2m listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(res.stdout, /no accounts yet: create one with `npx c2m account create --name/);
    assert.doesNotMatch(res.stdout, /demo/i);
  });

  it('with C2M_DEMO=0 does not advertise the demo an earlier start made', async () => {
    const dataDir = tempDir();
    const withDemo = await start(dataDir, {});
    assert.match(withDemo.stdout, /demo: /, withDemo.stdout + withDemo.stderr);
    const res = await start(dataDir, { C2M_DEMO: '0' });
    assert.match(res.stdout, /c2m listening on/);
    assert.doesNotMatch(res.stdout, /demo/i);
    assert.doesNotMatch(res.stdout, /no accounts yet/, 'the demo account is an account');
  });
});

describe('/favicon.ico', () => {
  it('is an icon, not a 404', async () => {
    const t = await startTestC2m();
    try {
      const res = await fetch(`${t.url}/favicon.ico`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/svg+xml');
      assert.match(await res.text(), /^<svg /);
    } finally {
      await t.close();
    }
  });
});
