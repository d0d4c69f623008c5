// `npm run bench`: c2m's IVR deflection API against a bare Koa JSON endpoint, both in child
// processes, driven over loopback by autocannon from this process. Prints req/s, p50, p99 and the
// ratio to the baseline, the outbox drain, then the issue's goals with PASS/MISS. Exit 0 when the
// run was clean (a missed goal is a finding, not a failure); non-zero when any request errored or
// was answered non-2xx, or an eligibility answer was not eligible.
//
//   npm run bench -- [--history N] [--open-loop] [--profile] [--profile-dir DIR]
//   --history N   run the targets on the empty database, write N calls of history (bench/history.ts)
//                 into it, run them again, and compare the cost per request
//   --open-loop   instead of the closed-loop runs: eligibility at 300 and 1,000 req/s and invite at
//                 100 and 300 req/s at scheduled times (bench/open-loop.ts), the worker running
//   --profile     a CPU profile of the server per measured run (node:inspector in the child),
//                 written to DIR (default <tmpdir>/bench-profiles) and summarized by component
//
// Environment: BENCH_SECONDS (measured run per target, default 10), BENCH_WARMUP_SECONDS (default
// 2), BENCH_CONNECTIONS (default 50), BENCH_CPU_PROF=<dir> (run c2m under `node --cpu-prof`, writing
// its profile there, and print each measured run's time window; bench/profile-summary.ts slices it).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFile } from '../backend/src/db/database.js';
import { DAY_MS } from '../backend/contract/reporting.js';
import type { C2mReady, Drained as ChildDrained } from './c2m-server.js';
import { startChild, type Child, type LoopDelay, type ReadyMessage } from './children.js';
import { generate, HISTORY_AREA_CODE, HISTORY_DAYS } from './history.js';
import { drive, type Measured, type Target } from './load.js';
import { accountCpu, loadAverage, machineFacts } from './machine.js';
import { openLoop } from './open-loop.js';
import { readProfile, summarizeProfile, type Component } from './profile-summary.js';
import {
  componentsTable,
  drainTable,
  goals,
  goalsTable,
  historyGoals,
  notes,
  openLoopGoals,
  openLoopNotes,
  openLoopTable,
  problems,
  resultsTable,
  type Drained,
  type GoalLine,
  type OpenLoopRun,
} from './report.js';
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

const { values: flags } = parseArgs({
  options: {
    history: { type: 'string' },
    'open-loop': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
  },
  strict: true,
});
const history = flags.history === undefined ? undefined : Number(flags.history);
if (history !== undefined && !(Number.isInteger(history) && history > 0)) {
  throw new Error('--history: a positive whole number of calls');
}
const inspectorDir =
  flags.profile || flags['profile-dir']
    ? resolve(flags['profile-dir'] ?? join(tmpdir(), 'bench-profiles'))
    : undefined;

const seconds = envNumber('BENCH_SECONDS', 10);
const warmupSeconds = envNumber('BENCH_WARMUP_SECONDS', 2);
const connections = envNumber('BENCH_CONNECTIONS', 50);
const profileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
/** Pre-made callIds per expected invite: invites must never run out of fresh calls mid-run. */
const CALL_ID_HEADROOM = 2;
/** Open loop: the runs, and how long invites may take to be delivered after their run. */
const OPEN_LOOP_RUNS = [
  { target: 'eligibility', rate: 300 },
  { target: 'eligibility', rate: 1000 },
  { target: 'invite', rate: 100 },
  { target: 'invite', rate: 300 },
] as const;
const DELIVERY_GRACE_S = 5;
/** With BENCH_CPU_PROF: when each measured run happened, in the profile's clock. */
const profileWindows: string[] = [];
/** Off for runs whose figures are dropped. */
let profiling = true;
/** With --profile: each measured run's profile, summarized. */
const profiles: {
  name: string;
  file: string;
  totalUs: number;
  components: [Component, number][];
}[] = [];

const say = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');

/**
 * Runs `work` as a measured run of `server`: its CPU accounted, its event-loop delay reset before
 * and read after, and with --profile a CPU profile taken around it.
 */
async function observed<T>(
  name: string,
  server: Child<ReadyMessage>,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: Awaited<ReturnType<typeof accountCpu>>['cpu']; loop: LoopDelay }> {
  const profile = inspectorDir !== undefined && profiling;
  await server.ask('loop-delay-reset');
  if (profile) await server.ask('profile-start');
  const { result, cpu } = await accountCpu(() => server.cpuMicros(), work);
  const loop = await server.ask<LoopDelay>('loop-delay');
  if (profile) {
    const file = join(inspectorDir, `${slug(name)}.cpuprofile`);
    await server.ask('profile-stop', { file });
    profiles.push({ name, file, ...summarizeProfile(readProfile(file)) });
  }
  if (profileDir) profileWindows.push(`${name} ${cpu.window.join('..')}`);
  return { result, cpu, loop };
}

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
  const { result: measured, cpu } = await observed(target.name, server, () =>
    drive(target, { connections, seconds }),
  );
  measured.serverCpuUs = cpu.serverUs / measured.responses;
  measured.generatorCores = cpu.generatorCores;
  measured.otherCores = cpu.otherCores;
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

/** The shared set-up of both modes: c2m (+ the baseline), a token, the targets, a smoke test. */
interface Bench {
  c2mChild: Child<C2mReady>;
  c2m: C2mReady;
  auth: { baseUrl: string; token: string };
  phone: () => string;
  pool: CallIdPool;
  checked: Measured[];
  dataDir: string;
}

/** Makes sure `wanted` fresh callIds are ready for invites (closed-loop eligibility top-up). */
async function topUp(b: Bench, wanted: number): Promise<void> {
  if (b.pool.remaining >= wanted) return;
  progress(`pre-creating ${wanted - b.pool.remaining} more callIds for the invite run`);
  const t = eligibilityTarget(b.c2m, b.auth, b.phone, b.pool, 'eligibility (callId top-up)');
  b.checked.push(await drive(t, { connections, amount: wanted - b.pool.remaining }));
}

function seedHistory(b: Bench, calls: number): void {
  progress(`writing ${calls.toLocaleString('en')} calls of history over ${HISTORY_DAYS} days…`);
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const g = generate(databaseFile(b.dataDir), b.c2m.accountId, end - HISTORY_DAYS * DAY_MS, calls);
  say(
    `history: ${g.calls.toLocaleString('en')} calls, ${g.transactions.toLocaleString('en')} transactions, ` +
      `${g.events.toLocaleString('en')} events, ${g.messages.toLocaleString('en')} messages, ` +
      `${g.conversations.toLocaleString('en')} conversations written in ${(g.ms / 1000).toFixed(1)} s ` +
      `(area code ${HISTORY_AREA_CODE})`,
  );
}

interface Pass {
  /** Fresh callIds ready when the invite run started. */
  callIdsReady: number;
  eligibility: Measured;
  invite: Measured;
  drain: Drained;
}

/** Eligibility, invite with the worker paused, then the drain of what the invites queued. */
async function closedPass(b: Bench, suffix: string): Promise<Pass> {
  const name = (n: string) => (suffix ? `${n} ${suffix}` : n);
  const eligibility = await measure(
    eligibilityTarget(b.c2m, b.auth, b.phone, b.pool, name('eligibility')),
    b.c2mChild,
    b.checked,
  );
  // every invite needs a call of its own: make sure there are more than the invite run can use
  await topUp(b, Math.ceil(eligibility.rps * (warmupSeconds + seconds) * CALL_ID_HEADROOM));
  const callIdsReady = b.pool.remaining;
  const since = Date.now();
  const invite = await measure(
    { ...inviteTarget(b.c2m, b.auth, b.pool), name: name('invite') },
    b.c2mChild,
    b.checked,
  );
  progress(`${name('drain')}: the outbox worker sends what the invites queued`);
  const { result: drained, cpu } = await observed(name('drain'), b.c2mChild, () =>
    b.c2mChild.ask<ChildDrained>('drain'),
  );
  const statuses = await b.c2mChild.ask<Record<string, number>>('statuses', { since });
  const sends = drained.jobs.send ?? 0;
  return {
    callIdsReady,
    eligibility,
    invite,
    drain: {
      name: name('drain'),
      sends,
      receipts: drained.jobs.receipt ?? 0,
      seconds: drained.ms / 1000,
      serverCpuUs: cpu.serverUs / sends,
      delivered: statuses.delivered ?? 0,
      // counted by the server: autocannon does not count the answers in flight when it stops
      invited: Object.values(statuses).reduce((n, v) => n + v, 0),
      otherCores: cpu.otherCores,
    },
  };
}

async function closedLoop(b: Bench, baselineChild: Child<ReadyMessage>): Promise<GoalLine[]> {
  const baselineT = baselineTarget(baselineChild.ready.port, b.c2m, b.phone);
  const baseline = await measure(baselineT, baselineChild, b.checked);
  if (history !== undefined) {
    // the seeded pass must not meet a warmer process (JIT, caches) than the empty one did
    progress('history: one unmeasured pass first, so both compared passes meet a warm process');
    profiling = false;
    await closedPass(b, '(process warm-up)');
    profiling = true;
  }
  const empty = await closedPass(b, '');
  const passes = [empty];
  if (history !== undefined) {
    seedHistory(b, history);
    passes.push(await closedPass(b, `(+${history.toLocaleString('en')} history)`));
  }

  say();
  say(
    resultsTable(
      baseline,
      passes.flatMap((p) => [p.eligibility, p.invite]),
    ),
  );
  say();
  say(drainTable(passes.map((p) => p.drain)));
  say();
  const goalLines = goals(baseline, empty.eligibility, empty.invite, empty.drain);
  const seeded = passes[1];
  if (history !== undefined && seeded) {
    goalLines.push(
      ...historyGoals(
        history,
        [
          [empty.eligibility, seeded.eligibility],
          [empty.invite, seeded.invite],
        ],
        [empty.drain, seeded.drain],
      ),
    );
  }
  for (const { drain } of passes) {
    goalLines.push({
      goal: `${drain.name}: every invite of the run delivered`,
      measured: `${drain.delivered} of ${drain.invited}`,
      pass: drain.delivered === drain.invited,
    });
  }
  say(goalsTable(goalLines));
  say();
  for (const line of notes(empty.callIdsReady, history)) say(line);
  return goalLines;
}

/** One open-loop run at `rate`, after a warm-up at the same rate. */
async function openLoopRun(b: Bench, target: Target, rate: number): Promise<OpenLoopRun> {
  const name = `${target.name} @${rate}/s`;
  progress(`${name}: ${warmupSeconds} s warm-up + ${seconds} s, open loop`);
  const warm = await openLoop(
    { ...target, name: `${name} (warm-up)` },
    { rate, seconds: warmupSeconds },
  );
  b.checked.push({ ...warm, rps: warm.achievedRps, timeouts: 0 });
  const { result, cpu, loop } = await observed(name, b.c2mChild, () =>
    openLoop({ ...target, name }, { rate, seconds }),
  );
  b.checked.push({ ...result, rps: result.achievedRps, timeouts: 0 });
  return {
    ...result,
    serverCpuUs: cpu.serverUs / result.responses,
    loop,
    otherCores: cpu.otherCores,
  };
}

/** Invites of a run delivered, waiting up to the grace for the last receipts. */
async function deliveredSince(b: Bench, since: number) {
  const t0 = Date.now();
  for (;;) {
    const s = await b.c2mChild.ask<Record<string, number>>('statuses', { since });
    const delivered = s.delivered ?? 0;
    const invited = Object.values(s).reduce((n, v) => n + v, 0);
    const waitedMs = Date.now() - t0;
    const pending = (s.queued ?? 0) + (s.sent ?? 0);
    if (pending === 0 || waitedMs >= DELIVERY_GRACE_S * 1000)
      return { delivered, invited, waitedMs };
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

async function openLoopMode(b: Bench): Promise<GoalLine[]> {
  if (history !== undefined) seedHistory(b, history);
  const runs: OpenLoopRun[] = [];
  for (const { target, rate } of OPEN_LOOP_RUNS) {
    if (target === 'eligibility') {
      runs.push(await openLoopRun(b, eligibilityTarget(b.c2m, b.auth, b.phone, b.pool), rate));
      continue;
    }
    await topUp(b, Math.ceil(rate * (warmupSeconds + seconds) * 1.1));
    const since = Date.now();
    const run = await openLoopRun(b, inviteTarget(b.c2m, b.auth, b.pool), rate);
    run.delivered = await deliveredSince(b, since);
    runs.push(run);
  }
  say();
  say(openLoopTable(runs));
  say();
  const goalLines = openLoopGoals(runs);
  say(goalsTable(goalLines));
  say();
  for (const line of openLoopNotes(DELIVERY_GRACE_S, history)) say(line);
  return goalLines;
}

async function run(children: Child<ReadyMessage>[], dataDir: string): Promise<number> {
  const mode = flags['open-loop'] ? 'open loop' : 'closed loop';
  say(`c2m deflection benchmark (${mode})`);
  for (const line of machineFacts()) say(`  ${line}`);
  say(
    flags['open-loop']
      ? `  settings: ${warmupSeconds} s warm-up + ${seconds} s measured per run, rates ${OPEN_LOOP_RUNS.map((r) => `${r.target} ${r.rate}/s`).join(', ')}`
      : `  settings: ${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s measured per target`,
  );
  if (history !== undefined) say(`  history: ${history.toLocaleString('en')} calls`);
  if (inspectorDir) {
    mkdirSync(inspectorDir, { recursive: true });
    say(`  profiles: ${inspectorDir}`);
  }
  say();

  const c2mEnv = {
    C2M_DATA_DIR: dataDir,
    // closed loop: the invite request path alone, then a drain on request; open loop: running
    C2M_OUTBOX_WORKER: flags['open-loop'] ? '1' : '0',
    C2M_SANDBOX_RECEIPT_MS: process.env.C2M_SANDBOX_RECEIPT_MS ?? '0',
  };
  const [c2mChild, baselineChild] = await Promise.all([
    startChild<C2mReady>('c2m', './c2m-server.ts', {
      env: c2mEnv,
      execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    }).then((c) => (children.push(c), c)),
    flags['open-loop']
      ? undefined
      : startChild<ReadyMessage>('baseline', './baseline-server.ts').then(
          (c) => (children.push(c), c),
        ),
  ]);
  const c2m = c2mChild.ready;
  const baseUrl = `http://127.0.0.1:${c2m.port}`;
  const b: Bench = {
    c2mChild,
    c2m,
    auth: { baseUrl, token: await fetchToken(baseUrl, c2m) },
    phone: phoneNumbers(),
    pool: new CallIdPool(),
    checked: [],
    dataDir,
  };
  await smokeTest([
    ...(baselineChild ? [baselineTarget(baselineChild.ready.port, c2m, b.phone)] : []),
    eligibilityTarget(c2m, b.auth, b.phone, b.pool),
    inviteTarget(c2m, b.auth, b.pool),
  ]);

  const goalLines = baselineChild ? await closedLoop(b, baselineChild) : await openLoopMode(b);
  if (profiles.length) {
    say();
    say('CPU profiles of the server (node:inspector, self time by component, share of samples):');
    say(componentsTable(profiles));
    for (const p of profiles) say(`  ${p.file}`);
    say('  more detail: node --import tsx bench/profile-summary.ts <file.cpuprofile>');
  }
  say(`load average at end: ${loadAverage()}`);

  const found = problems(b.checked);
  if (b.pool.ineligible) found.push(`eligibility: ${b.pool.ineligible} answers were not eligible`);
  if (b.pool.reused) {
    found.push(`invite: ran out of fresh callIds, ${b.pool.reused} requests repeated one`);
  }
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
