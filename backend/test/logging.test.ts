// What `node --import tsx backend/src/main.ts` prints: JSON lines for a collector, readable lines
// for a person, and in both where it listens, where its data is and how to reach the demo.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { logFormat } from '../src/log.js';
import { waitFor } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STARTUP_MS = 60_000;
const dataDirs: string[] = [];

after(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts c2m on a port of its choosing, waits for its start-up line, checks it answers at the URL
 * that line names, stops it with SIGTERM and returns all it wrote to stdout.
 */
async function runOnce(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-logging-'));
  dataDirs.push(dataDir);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('C2M_') && k !== 'NODE_ENV'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: root,
    env: { ...clean, PORT: '0', HOST: '127.0.0.1', C2M_DATA_DIR: dataDir, ...env },
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  try {
    const url = await waitFor(
      () => /c2m listening on (http:\/\/(?:127\.0\.0\.1|localhost):\d+)/.exec(stdout)?.[1],
      `the start-up line (stdout so far: ${stdout}${stderr})`,
      STARTUP_MS,
    );
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    return { url, dataDir, stdout, stderr };
  } finally {
    child.kill('SIGKILL');
  }
}

describe('logging and start-up output', { timeout: 300_000 }, () => {
  it('writes only JSON lines with C2M_LOG_FORMAT=json, the start-up facts as fields', async () => {
    const { url, dataDir, stdout } = await runOnce({ C2M_LOG_FORMAT: 'json' });
    const lines = stdout.split('\n').filter((l) => l !== '');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const startup = records.find((r) => r.msg === `c2m listening on ${url}`);
    assert.deepEqual(startup && { url: startup.url, dataDir: startup.dataDir }, { url, dataDir });
    const demo = startup?.demo as Record<string, string>;
    // the demo page's URL carries this start's key, written on this line and nowhere else
    assert.match(demo.page, new RegExp(`^${url}/#demo=[\\w-]{32}$`));
    const key = demo.page.split('#demo=')[1];
    assert.equal(stdout.split(key).length - 1, 1, 'the demo key is in the start-up line only');
    assert.equal(demo.admin, `${url}/admin`);
    assert.equal(demo.credentialsFile, join(dataDir, 'demo-credentials.json'));
    assert.match(demo.accountId, /^\d+$/);
    assert.ok(records.some((r) => r.msg === 'shutting down' && r.signal === 'SIGTERM'));
    // the demo's secrets stay in its file, out of the logs
    assert.doesNotMatch(stdout, /c2m_sec_/);
  });

  it('writes readable lines with C2M_LOG_FORMAT=pretty: where, data, demo and admin', async () => {
    const { url, dataDir, stdout } = await runOnce({ C2M_LOG_FORMAT: 'pretty' });
    const lines = stdout.split('\n');
    assert.ok(!lines.some((l) => l.trimStart().startsWith('{')), stdout);
    assert.match(stdout, new RegExp(`INFO.*: c2m listening on ${url}\n`));
    assert.ok(stdout.includes(`data:  ${dataDir}`), stdout);
    assert.match(
      stdout,
      new RegExp(`demo: {2}${url}/#demo=[\\w-]{32} \\(account \\d+; demo page on`),
    );
    assert.ok(stdout.includes(`admin: ${url}/admin`), stdout);
    assert.match(stdout, /npx c2m user add --account \d+ --username \w+ --role admin/);
    assert.ok(stdout.includes(`IVR credentials: ${join(dataDir, 'demo-credentials.json')}`));
    // the first start created the demo account: its ready-to-paste example follows
    assert.ok(stdout.includes(`${url}/oauth/token`), stdout);
    assert.match(stdout, /INFO.*: shutting down/);
  });

  it('says the demo page is off when c2m listens beyond loopback and the demo was not asked for', async () => {
    const { stdout } = await runOnce({ C2M_LOG_FORMAT: 'pretty', HOST: '0.0.0.0' });
    assert.match(stdout, /demo: {2}page off: listening on 0\.0\.0\.0, not loopback/);
    assert.doesNotMatch(stdout, /#demo=/);
  });

  it('is JSON when stdout is not a terminal and nothing is said', async () => {
    const { stdout } = await runOnce({ C2M_DEMO: '0' });
    for (const line of stdout.split('\n').filter((l) => l !== '')) JSON.parse(line);
    assert.doesNotMatch(stdout, /"demo"/);
  });

  it('is readable at a terminal outside production, and JSON in production', () => {
    assert.equal(logFormat(loadConfig({}), true), 'pretty');
    assert.equal(logFormat(loadConfig({}), false), 'json');
    assert.equal(logFormat(loadConfig({ NODE_ENV: 'production' }), true), 'json');
    assert.equal(
      logFormat(loadConfig({ NODE_ENV: 'production', C2M_LOG_FORMAT: 'pretty' }), false),
      'pretty',
    );
    assert.equal(logFormat(loadConfig({ C2M_LOG_FORMAT: 'json' }), true), 'json');
  });
});
