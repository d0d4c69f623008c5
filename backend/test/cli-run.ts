// Runs the c2m CLI for tests: in this process through runCli (what most tests use), or as a child
// process through bin/c2m.mjs or main.ts (a few, to prove the binary itself works).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { runCli } from '../src/cli/run.js';
import { insertApprovedTemplate } from './template-rows.js';
import { startTestC2m, type TestC2m } from './helpers.js';
import { dropEngineData, engineEnv } from './test-engine.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * This process's environment without any C2M_ setting, and the data dir given (on the PostgreSQL
 * pass, with the data dir's database: the one a test c2m on that dir uses).
 */
async function cliEnv(dataDir: string): Promise<Record<string, string | undefined>> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('C2M_')),
  );
  return { ...env, ...(await engineEnv(dataDir)), C2M_DATA_DIR: dataDir };
}

/** Runs one command line in this process, as `c2m …` would; `stdin` feeds --password-stdin. */
export async function c2m(
  dataDir: string,
  args: string[],
  opts: { stdin?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { ...(await cliEnv(dataDir)), ...opts.env },
    out: (line) => void (stdout += line + '\n'),
    err: (line) => void (stderr += line + '\n'),
    stdin: opts.stdin === undefined ? undefined : Readable.from([opts.stdin]),
  });
  return { code, stdout, stderr };
}

/** Runs the CLI as a child process, as a user would; killed if it hangs. */
export async function spawnC2m(
  dataDir: string,
  args: string[],
  opts: { bin?: boolean; cwd?: string } = {},
): Promise<CliResult> {
  const entry = opts.bin
    ? [join(root, 'bin/c2m.mjs')]
    : ['--import', 'tsx', join(root, 'backend/src/cli/main.ts')];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: opts.cwd ?? root,
    env: await cliEnv(dataDir),
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

export function ok(res: CliResult): string {
  assert.equal(res.code, 0, `exit ${res.code}: ${res.stderr}`);
  return res.stdout.trim();
}

/** An account with the skill `sales` and an SMS handoff, made through the CLI. */
export async function cliAccount(dataDir: string) {
  const accountId = ok(await c2m(dataDir, ['account', 'create', '--name', 'CLI Brand']));
  ok(await c2m(dataDir, ['skill', 'add', '--account', accountId, '--name', 'sales']));
  const handoffId = ok(
    await c2m(dataDir, [
      'handoff',
      'create',
      ...['--account', accountId, '--title', 'CLI SMS', '--channels', 'sms'],
      ...['--message', 'Hi {{1}}', '--var', '1=there', '--outbound-number', '+15005550006'],
    ]),
  );
  return { accountId, handoffId };
}

/**
 * For one describe block: a data dir with a CLI-made account (cliAccount) and a server running on
 * it, the CLI writing beside the server as an operator would. Read the fields inside tests.
 */
export function cliAccountBesideServer() {
  const world = {
    dataDir: mkdtempSync(join(tmpdir(), 'c2m-cli-')),
    accountId: '',
    t: undefined as unknown as TestC2m,
  };
  before(async () => {
    ({ accountId: world.accountId } = await cliAccount(world.dataDir));
    world.t = await startTestC2m({ C2M_DEMO: '0' }, { dataDir: world.dataDir });
  });
  after(async () => {
    await world.t?.close();
    rmSync(world.dataDir, { recursive: true, force: true });
    await dropEngineData(world.dataDir);
  });
  return world;
}

/** The README's example template, approved in the account (WhatsApp's review is not the CLI's). */
export const ORDER = 'order_update';
export const waFlags = (language = 'en_US') => ['--wa-template', ORDER, '--wa-language', language];

export async function approveTemplate(t: TestC2m) {
  const account = await t.c2m.deps.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
  await insertApprovedTemplate(t.c2m.deps.db, account.id, {
    name: ORDER,
    language: 'en_US',
    body: 'Hi {{1}}, your order {{2}} is ready.',
    examples: ['Ada', 'A-1'],
    now: Date.now(),
  });
}

export async function storedHandoff(t: TestC2m, id: string) {
  const row = await t.c2m.deps.db
    .selectFrom('handoffs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { ...row, channels: JSON.parse(row.channels_json) as unknown[] };
}
