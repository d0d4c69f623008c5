// `npm run bench`: c2m's IVR deflection API against a bare Koa JSON endpoint, both in child
// processes, driven over loopback by autocannon from this process. Prints req/s, p50, p99 and the
// ratio to the baseline, then the goals. Exit 0 when the run was clean (a missed goal is a
// finding, not a failure); non-zero when any request errored or was answered non-2xx.
//
// Environment: BENCH_SECONDS (measured run per target, default 10), BENCH_WARMUP_SECONDS (default
// 2), BENCH_CONNECTIONS (default 50), BENCH_CPU_PROF=<dir> (run c2m under `node --cpu-prof`, writing
// its profile there, and print each measured run's time window; bench/profile-summary.ts slices it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { C2mReady } from './c2m-server.js';
import { startChild, type Child, type ReadyMessage } from './children.js';
import { drive, type Measured, type Target } from './load.js';
import { accountCpu, loadAverage, machineFacts } from './machine.js';
import { goals, goalsTable, notes, problems, resultsTable } from './report.js';
import {
  baselineTarget,
  CallIdPool,
  eligibilityTarget,
  inviteTarget,
  phoneNumbers,
} from './targets.js';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: must be a positive number`);
  return value;
}

const seconds = envNumber('BENCH_SECONDS', 10);
const warmupSeconds = envNumber('BENCH_WARMUP_SECONDS', 2);
const connections = envNumber('BENCH_CONNECTIONS', 50);
const profileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
/** Pre-made callIds per expected invite: invites must never run out of fresh calls mid-run. */
const CALL_ID_HEADROOM = 2;
/** With BENCH_CPU_PROF: when each measured run happened, in the profile's clock. */
const profileWindows: string[] = [];

const say = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

/** A warm-up run (its figures are checked for errors, otherwise dropped), then the measured run. */
async function measure(
  target: Target,
  server: Child<ReadyMessage>,
  checked: Measured[],
): Promise<Measured> {
  progress(`${target.name}: ${warmupSeconds} s warm-up + ${seconds} s`);
  checked.push(
    await drive(
      { ...target, name: `${target.name} (warm-up)` },
      { connections, seconds: warmupSeconds },
    ),
  );
  const { result: measured, cpu } = await accountCpu(
    () => server.cpuMicros(),
    () => drive(target, { connections, seconds }),
  );
  measured.serverCpuUs = cpu.serverUs / measured.responses;
  measured.generatorCores = cpu.generatorCores;
  measured.otherCores = cpu.otherCores;
  if (profileDir) profileWindows.push(`${target.name} ${cpu.window.join('..')}`);
  checked.push(measured);
  return measured;
}

async function fetchToken(baseUrl: string, c2m: C2mReady): Promise<string> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c2m.oauth2.clientId,
      client_secret: c2m.oauth2.clientSecret,
    }),
  });
  if (!res.ok) throw new Error(`token endpoint: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** One request of each kind first, so a broken set-up fails with its answer, not 100k of them. */
async function smokeTest(targets: Target[]): Promise<void> {
  for (const t of targets) {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...t.headers },
      body: t.body(),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${t.name} smoke test: ${res.status} ${text}`);
    t.onResponse?.(res.status, text);
  }
}

async function run(children: Child<ReadyMessage>[], dataDir: string): Promise<number> {
  say('c2m deflection benchmark');
  for (const line of machineFacts()) say(`  ${line}`);
  say(
    `  settings: ${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s measured per target`,
  );
  say();

  const [c2mChild, baselineChild] = await Promise.all([
    startChild<C2mReady>('c2m', './c2m-server.ts', {
      env: { C2M_DATA_DIR: dataDir },
      execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    }).then((c) => (children.push(c), c)),
    startChild<ReadyMessage>('baseline', './baseline-server.ts').then((c) => (children.push(c), c)),
  ]);
  const c2m = c2mChild.ready;
  const baseUrl = `http://127.0.0.1:${c2m.port}`;
  const auth = { baseUrl, token: await fetchToken(baseUrl, c2m) };
  const phone = phoneNumbers();
  const pool = new CallIdPool();
  const baselineT = baselineTarget(baselineChild.ready.port, c2m, phone);
  const eligibilityT = eligibilityTarget(c2m, auth, phone, pool);
  const inviteT = inviteTarget(c2m, auth, pool);
  await smokeTest([baselineT, eligibilityT, inviteT]);

  const checked: Measured[] = [];
  const baseline = await measure(baselineT, baselineChild, checked);
  const eligibility = await measure(eligibilityT, c2mChild, checked);
  // every invite needs a call of its own: make sure there are more than the invite run can use
  const wanted = Math.ceil(eligibility.rps * (warmupSeconds + seconds) * CALL_ID_HEADROOM);
  if (pool.remaining < wanted) {
    progress(`pre-creating ${wanted - pool.remaining} more callIds for the invite run`);
    const topUp = eligibilityTarget(c2m, auth, phone, pool, 'eligibility (callId top-up)');
    checked.push(await drive(topUp, { connections, amount: wanted - pool.remaining }));
  }
  const poolAtStart = pool.remaining;
  const invite = await measure(inviteT, c2mChild, checked);

  say(resultsTable(baseline, [eligibility, invite]));
  say();
  const goalLines = goals(baseline, eligibility, invite);
  say(goalsTable(goalLines));
  say();
  for (const line of notes(poolAtStart)) say(line);
  say(`load average at end: ${loadAverage()}`);

  const found = problems(checked);
  if (pool.ineligible) found.push(`eligibility: ${pool.ineligible} answers were not eligible`);
  if (pool.reused)
    found.push(`invite: ran out of fresh callIds, ${pool.reused} requests repeated one`);
  say();
  if (found.length) {
    say('RUN NOT CLEAN (exit 1):');
    for (const f of found) say(`  ${f}`);
    return 1;
  }
  const missed = goalLines.filter((g) => !g.pass).length;
  say(
    missed
      ? `Clean run; ${missed} goal(s) missed (a measurement, so exit 0).`
      : 'Clean run; all goals met.',
  );
  return 0;
}

/** Children stopped and the data dir removed, within a bound even if a child hangs. */
async function cleanUp(children: Child<ReadyMessage>[], dataDir: string): Promise<void> {
  await Promise.race([
    Promise.all(children.map((c) => c.stop(5000))),
    new Promise((ok) => setTimeout(ok, 10_000).unref()),
  ]);
  rmSync(dataDir, { recursive: true, force: true });
}

const children: Child<ReadyMessage>[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'c2m-bench-'));
let exitCode = 1;
process.once('SIGINT', () => {
  void cleanUp(children, dataDir).finally(() => process.exit(130));
});
try {
  exitCode = await run(children, dataDir);
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
} finally {
  await cleanUp(children, dataDir);
  if (profileDir) {
    say(`CPU profile of the c2m process written to ${profileDir}; measured runs (µs, its clock):`);
    for (const w of profileWindows) say(`  ${w}`);
    say(
      '  summarize one: node --import tsx bench/profile-summary.ts <file.cpuprofile> <from> <to>',
    );
  }
}
process.exit(exitCode);
