// `npm run bench`: c2m's IVR deflection API against a bare Koa JSON endpoint, both in child
// processes, driven over loopback by autocannon from this process. Prints req/s, p50, p99 and the
// ratio to the baseline, the outbox drain, whether every invite was sent exactly once, then the
// issue's goals with PASS/MISS. Exit 0 when the run was clean (a missed goal is a finding, not a
// failure); non-zero when any request errored or was answered non-2xx, an eligibility answer was
// not eligible, or an answered invite was not sent exactly once.
//
//   npm run bench -- [--engine sqlite|postgres|sqlite,postgres|all] [--nodes N[,M]]
//   npm run bench -- [--history N] [--open-loop] [--profile] [--profile-dir DIR]   (SQLite only)
//   --engine E    sqlite (the default: one process on its file), postgres (c2m nodes on PostgreSQL
//                 + Redis, each setup on a fresh schema and key prefix, removed at the end), or
//                 both one after another in one run and one table (all = sqlite,postgres)
//   --nodes N,M   PostgreSQL: run with N nodes, then with M (default 1,2); each target's load is
//                 split evenly over the nodes, and every node's worker drains the one outbox
//   --history N   run the targets on the empty database, write N calls of history (bench/history.ts)
//                 into it, run them again, and compare the cost per request
//   --open-loop   instead of the closed-loop runs: eligibility at 300 and 1,000 req/s and invite at
//                 100 and 300 req/s at scheduled times (bench/open-loop.ts), the worker running
//   --profile     a CPU profile of the server per measured run (node:inspector in the child),
//                 written to DIR (default <tmpdir>/bench-profiles) and summarized by component
//
// Environment: BENCH_SECONDS (measured run per target, default 10), BENCH_WARMUP_SECONDS (default
// 2), BENCH_CONNECTIONS (default 50, split over the nodes), BENCH_CPU_PROF=<dir> (run c2m under
// `node --cpu-prof`, writing its profile there, and print each measured run's time window;
// bench/profile-summary.ts slices it), BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test)
// and BENCH_REDIS_URL (default redis://127.0.0.1:6379) for --engine postgres.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFile } from '../backend/src/db/database.js';
import { DAY_MS } from '../backend/contract/reporting.js';
import type { C2mReady, Drained as ChildDrained } from './c2m-server.js';
import { startChild, type Child, type LoopDelay, type ReadyMessage } from './children.js';
import { cpuBetween, exactlyOnce, planSetups, type Setup } from './engines.js';
import { generate, HISTORY_AREA_CODE, HISTORY_DAYS } from './history.js';
import { driveSpread, type Measured, type Target } from './load.js';
import { accountCpu, loadAverage, machineFacts } from './machine.js';
import { startNodes, type Nodes } from './nodes.js';
import { openLoop } from './open-loop.js';
import { readProfile, summarizeProfile, type Component } from './profile-summary.js';
import {
  componentsTable,
  deliveryTable,
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
  type Delivery,
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

/** A wrong command line: one line saying what is wrong, no stack. */
function refuse(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) refuse(`${name}: must be a positive number`);
  return value;
}

const { values: flags } = parseArgs({
  options: {
    engine: { type: 'string' },
    nodes: { type: 'string' },
    history: { type: 'string' },
    'open-loop': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
  },
  strict: true,
});
const history = flags.history === undefined ? undefined : Number(flags.history);
if (history !== undefined && !(Number.isInteger(history) && history > 0)) {
  refuse('--history: a positive whole number of calls');
}
const inspectorDir =
  flags.profile || flags['profile-dir']
    ? resolve(flags['profile-dir'] ?? join(tmpdir(), 'bench-profiles'))
    : undefined;
let setups: Setup[] = [];
try {
  setups = planSetups(flags.engine, flags.nodes);
} catch (err) {
  refuse((err as Error).message);
}
if (
  setups.some((s) => s.engine === 'postgres') &&
  (history !== undefined || flags['open-loop'] || inspectorDir)
) {
  refuse('--history, --open-loop and --profile run on SQLite only: use them with --engine sqlite');
}
/** One SQLite setup alone (the default run): its rows are named as they always were. */
const sqliteOnly = setups.length === 1 && setups[0].engine === 'sqlite';

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
const answered2xx = (m: Measured) =>
  Object.entries(m.statuses).reduce((n, [code, v]) => (code.startsWith('2') ? n + v : n), 0);

/** The processes a measured run is charged to: the server's node(s), and their database's CPU. */
interface Servers {
  nodes: Child<ReadyMessage>[];
  /** PostgreSQL: its backends' CPU by pid (bench/engines.ts); SQLite works inside the node. */
  dbCpu?: () => Promise<Map<number, number> | undefined>;
}

/**
 * Runs `work` as a measured run of `servers`: their CPU accounted (summed over the nodes, and the
 * database's apart), event-loop delay reset before and read after, and with --profile (one node,
 * SQLite) a CPU profile taken around it.
 */
async function observed<T>(
  name: string,
  servers: Servers,
  work: () => Promise<T>,
): Promise<{
  result: T;
  cpu: Awaited<ReturnType<typeof accountCpu>>['cpu'];
  dbUs: number | undefined;
  loop: LoopDelay;
}> {
  const [first] = servers.nodes;
  const profile = inspectorDir !== undefined && profiling;
  await Promise.all(servers.nodes.map((n) => n.ask('loop-delay-reset')));
  if (profile) await first.ask('profile-start');
  const nodesCpu = async () =>
    (await Promise.all(servers.nodes.map((n) => n.cpuMicros()))).reduce((a, b) => a + b, 0);
  const dbBefore = await servers.dbCpu?.();
  const { result, cpu } = await accountCpu(nodesCpu, work);
  const dbAfter = await servers.dbCpu?.();
  const dbUs = dbBefore && dbAfter ? cpuBetween(dbBefore, dbAfter) : undefined;
  // the database's CPU is its own column, not noise
  if (dbUs !== undefined && cpu.otherCores !== undefined) {
    cpu.otherCores -= dbUs / (cpu.window[1] - cpu.window[0]);
  }
  const loop = await first.ask<LoopDelay>('loop-delay');
  if (profile) {
    const file = join(inspectorDir, `${slug(name)}.cpuprofile`);
    await first.ask('profile-stop', { file });
    profiles.push({ name, file, ...summarizeProfile(readProfile(file)) });
  }
  if (profileDir) profileWindows.push(`${name} ${cpu.window.join('..')}`);
  return { result, cpu, dbUs, loop };
}

/**
 * A warm-up run (its figures are checked for errors, otherwise dropped), then the measured run;
 * `targets` holds one target per node, the connections split over them.
 */
async function measure(
  targets: Target[],
  servers: Servers,
  checked: Measured[],
): Promise<{ warmUp: Measured; measured: Measured }> {
  const { name } = targets[0];
  progress(`${name}: ${warmupSeconds} s warm-up + ${seconds} s`);
  const warmUp = await driveSpread(
    targets.map((t) => ({ ...t, name: `${name} (warm-up)` })),
    { connections, seconds: warmupSeconds },
  );
  checked.push(warmUp);
  const {
    result: measured,
    cpu,
    dbUs,
  } = await observed(name, servers, () => driveSpread(targets, { connections, seconds }));
  measured.serverCpuUs = cpu.serverUs / measured.responses;
  if (dbUs !== undefined) measured.dbCpuUs = dbUs / measured.responses;
  measured.generatorCores = cpu.generatorCores;
  measured.otherCores = cpu.otherCores;
  checked.push(measured);
  return { warmUp, measured };
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
    if (res.status !== 200)
      throw new Error(`${t.name} smoke test (${t.url}): ${res.status} ${text}`);
    t.onResponse?.(res.status, text);
  }
}

/** One setup's c2m node(s) with a token, the targets' state, and what was checked. */
interface Bench extends Servers {
  nodes: Child<C2mReady>[];
  /** The bench account, the same on every node. */
  c2m: C2mReady;
  /** Where each node is reached; one token serves all (the nodes share the secret). */
  auths: { baseUrl: string; token: string }[];
  phone: () => string;
  pool: CallIdPool;
  checked: Measured[];
  /** The SQLite node's data dir (--history writes into its file). */
  dataDir: string;
  /** Added to every row's name: '' for the default SQLite run, else the setup's label. */
  suffix: string;
}

const eligibilityTargets = (b: Bench, name?: string) =>
  b.auths.map((auth) => eligibilityTarget(b.c2m, auth, b.phone, b.pool, name));
const inviteTargets = (b: Bench) => b.auths.map((auth) => inviteTarget(b.c2m, auth, b.pool));

/** Makes sure `wanted` fresh callIds are ready for invites (closed-loop eligibility top-up). */
async function topUp(b: Bench, wanted: number): Promise<void> {
  if (b.pool.remaining >= wanted) return;
  progress(`pre-creating ${wanted - b.pool.remaining} more callIds for the invite run`);
  const targets = eligibilityTargets(b, 'eligibility (callId top-up)');
  b.checked.push(await driveSpread(targets, { connections, amount: wanted - b.pool.remaining }));
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
  delivery: Delivery;
}

/**
 * Eligibility, invite with the workers paused, then the drain of what the invites queued (every
 * node's worker at once over the one outbox), and whether each answered invite was sent once.
 */
async function closedPass(b: Bench, suffix: string): Promise<Pass> {
  const name = (n: string) => [n, b.suffix, suffix].filter(Boolean).join(' ');
  const { measured: eligibility } = await measure(
    eligibilityTargets(b, name('eligibility')),
    b,
    b.checked,
  );
  // every invite needs a call of its own: make sure there are more than the invite run can use
  await topUp(b, Math.ceil(eligibility.rps * (warmupSeconds + seconds) * CALL_ID_HEADROOM));
  const callIdsReady = b.pool.remaining;
  const since = Date.now();
  const invites = await measure(
    inviteTargets(b).map((t) => ({ ...t, name: name('invite') })),
    b,
    b.checked,
  );
  progress(`${name('drain')}: the outbox worker sends what the invites queued`);
  const [first] = b.nodes;
  const before = await first.ask<Record<string, number>>('done-by-kind');
  const {
    result: drains,
    cpu,
    dbUs,
  } = await observed(name('drain'), b, () =>
    Promise.all(b.nodes.map((n) => n.ask<ChildDrained>('drain'))),
  );
  const after = await first.ask<Record<string, number>>('done-by-kind');
  const ran = (kind: string) => (after[kind] ?? 0) - (before[kind] ?? 0);
  const statuses = await first.ask<Record<string, number>>('statuses', { since });
  const byMessages = await first.ask<Record<string, number>>('messages-per-invite', { since });
  const answered = answered2xx(invites.warmUp) + answered2xx(invites.measured);
  const sends = ran('send');
  return {
    callIdsReady,
    eligibility,
    invite: invites.measured,
    drain: {
      name: name('drain'),
      sends,
      receipts: ran('receipt'),
      seconds: Math.max(...drains.map((d) => d.ms)) / 1000,
      serverCpuUs: cpu.serverUs / sends,
      dbCpuUs: dbUs === undefined ? undefined : dbUs / sends,
      claimedByNode: drains.map((d) => d.claimed),
      done: Object.keys(after).reduce((n, kind) => n + ran(kind), 0),
      delivered: statuses.delivered ?? 0,
      // counted by the server: autocannon does not count the answers in flight when it stops
      invited: Object.values(statuses).reduce((n, v) => n + v, 0),
      otherCores: cpu.otherCores,
    },
    delivery: { name: name('invite'), answered, ...exactlyOnce({ answered, byMessages }) },
  };
}

/** What the closed loop prints: every setup's passes beside one baseline. */
interface ClosedResults {
  baseline?: Measured;
  passes: Pass[];
  goalLines: GoalLine[];
  callIdsReady: number[];
}

/** One setup's passes (two with --history) on nodes already started. */
async function closedSetup(b: Bench, out: ClosedResults): Promise<void> {
  if (history !== undefined) {
    // the seeded pass must not meet a warmer process (JIT, caches) than the empty one did
    progress('history: one unmeasured pass first, so both compared passes meet a warm process');
    profiling = false;
    await closedPass(b, '(process warm-up)');
    profiling = true;
  }
  const empty = await closedPass(b, '');
  out.passes.push(empty);
  out.callIdsReady.push(empty.callIdsReady);
  out.goalLines.push(...goals(out.baseline!, empty.eligibility, empty.invite, empty.drain));
  if (history !== undefined) {
    seedHistory(b, history);
    const seeded = await closedPass(b, `(+${history.toLocaleString('en')} history)`);
    out.passes.push(seeded);
    out.goalLines.push(
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
}

function printClosed(out: ClosedResults): GoalLine[] {
  const { passes } = out;
  say();
  say(
    resultsTable(
      out.baseline!,
      passes.flatMap((p) => [p.eligibility, p.invite]),
    ),
  );
  say();
  say(drainTable(passes.map((p) => p.drain)));
  say();
  say(deliveryTable(passes.map((p) => p.delivery)));
  say();
  const goalLines = [...out.goalLines];
  for (const { drain } of passes) {
    goalLines.push({
      goal: `${drain.name}: every invite of the run delivered`,
      measured: `${drain.delivered} of ${drain.invited}`,
      pass: drain.delivered === drain.invited,
    });
  }
  say(goalsTable(goalLines));
  say();
  for (const line of notes(out.callIdsReady, history, !sqliteOnly)) say(line);
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
  const { result, cpu, loop } = await observed(name, b, () =>
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
    const s = await b.nodes[0].ask<Record<string, number>>('statuses', { since });
    const delivered = s.delivered ?? 0;
    const invited = Object.values(s).reduce((n, v) => n + v, 0);
    const waitedMs = Date.now() - t0;
    const pending = (s.queued ?? 0) + (s.sent ?? 0);
    if (pending === 0 || waitedMs >= DELIVERY_GRACE_S * 1000)
      return { delivered, invited, waitedMs };
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Open loop: SQLite only, one node. */
async function openLoopMode(b: Bench): Promise<GoalLine[]> {
  if (history !== undefined) seedHistory(b, history);
  const [auth] = b.auths;
  const runs: OpenLoopRun[] = [];
  for (const { target, rate } of OPEN_LOOP_RUNS) {
    if (target === 'eligibility') {
      runs.push(await openLoopRun(b, eligibilityTarget(b.c2m, auth, b.phone, b.pool), rate));
      continue;
    }
    await topUp(b, Math.ceil(rate * (warmupSeconds + seconds) * 1.1));
    const since = Date.now();
    const run = await openLoopRun(b, inviteTarget(b.c2m, auth, b.pool), rate);
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

/** A setup's nodes up, a token, and a smoke test of every target on every node. */
async function benchOn(setup: Setup, nodes: Nodes): Promise<Bench> {
  const c2m = nodes.children[0].ready;
  const urls = nodes.children.map((n) => `http://127.0.0.1:${n.ready.port}`);
  const token = await fetchToken(urls[0], c2m);
  const b: Bench = {
    nodes: nodes.children,
    dbCpu: nodes.installation?.backendCpu,
    c2m,
    auths: urls.map((baseUrl) => ({ baseUrl, token })),
    phone: phoneNumbers(),
    pool: new CallIdPool(),
    checked: [],
    dataDir: nodes.dataDirs[0],
    suffix: sqliteOnly ? '' : `(${setup.label})`,
  };
  // eligibility on each node, then each invite on another node than its call's eligibility
  await smokeTest(eligibilityTargets(b));
  await smokeTest(inviteTargets(b));
  return b;
}

/** What a run made that must go at its end, whatever happens: see cleanUp. */
const made = {
  children: new Set<Child<ReadyMessage>>(),
  nodes: new Set<Nodes>(),
  runDir: mkdtempSync(join(tmpdir(), 'c2m-bench-')),
};

async function run(): Promise<number> {
  const mode = flags['open-loop'] ? 'open loop' : 'closed loop';
  say(`c2m deflection benchmark (${mode})`);
  for (const line of machineFacts()) say(`  ${line}`);
  say(
    flags['open-loop']
      ? `  settings: ${warmupSeconds} s warm-up + ${seconds} s measured per run, rates ${OPEN_LOOP_RUNS.map((r) => `${r.target} ${r.rate}/s`).join(', ')}`
      : `  settings: ${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s measured per target`,
  );
  if (!sqliteOnly) say(`  engines: ${setups.map((s) => s.label).join(', ')}, one after another`);
  if (history !== undefined) say(`  history: ${history.toLocaleString('en')} calls`);
  if (inspectorDir) {
    mkdirSync(inspectorDir, { recursive: true });
    say(`  profiles: ${inspectorDir}`);
  }
  say();

  const baselineChild = flags['open-loop']
    ? undefined
    : await startChild<ReadyMessage>('baseline', './baseline-server.ts');
  if (baselineChild) made.children.add(baselineChild);
  const closed: ClosedResults = { passes: [], goalLines: [], callIdsReady: [] };
  const checked: Measured[] = [];
  const found: string[] = [];
  let goalLines: GoalLine[] = [];
  for (const setup of setups) {
    if (!sqliteOnly) progress(`${setup.label}: starting ${setup.nodes} node(s)`);
    const nodes = await startNodes(setup, made.runDir, {
      env: {
        // closed loop: the invite request path alone, then a drain on request; open loop: running
        C2M_OUTBOX_WORKER: flags['open-loop'] ? '1' : '0',
        C2M_SANDBOX_RECEIPT_MS: process.env.C2M_SANDBOX_RECEIPT_MS ?? '0',
      },
      execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      started: (c) => made.children.add(c),
      created: (n) => made.nodes.add(n),
    });
    try {
      const b = await benchOn(setup, nodes);
      if (baselineChild && !closed.baseline) {
        const target = baselineTarget(baselineChild.ready.port, b.c2m, b.phone);
        await smokeTest([target]);
        closed.baseline = (await measure([target], { nodes: [baselineChild] }, checked)).measured;
      }
      if (baselineChild) await closedSetup(b, closed);
      else goalLines = await openLoopMode(b);
      checked.push(...b.checked);
      if (b.pool.ineligible) {
        found.push(`eligibility${b.suffix}: ${b.pool.ineligible} answers were not eligible`);
      }
      if (b.pool.reused) {
        found.push(
          `invite${b.suffix}: ran out of fresh callIds, ${b.pool.reused} requests repeated one`,
        );
      }
    } finally {
      // the next setup must not share the cores with this one's idle nodes
      await nodes.stop();
      for (const c of nodes.children) made.children.delete(c);
      made.nodes.delete(nodes);
    }
  }
  if (baselineChild) {
    goalLines = printClosed(closed);
    for (const { delivery, drain } of closed.passes) {
      if (!delivery.pass) {
        found.push(`${delivery.name}: not every answered invite sent exactly once`);
      }
      // a job claimed by two workers ran twice, even where its effect was deduplicated
      const claimed = drain.claimedByNode.reduce((a, b) => a + b, 0);
      if (claimed > drain.done) {
        found.push(`${drain.name}: the nodes claimed ${claimed} jobs for ${drain.done} done`);
      }
    }
  }
  if (profiles.length) {
    say();
    say('CPU profiles of the server (node:inspector, self time by component, share of samples):');
    say(componentsTable(profiles));
    for (const p of profiles) say(`  ${p.file}`);
    say('  more detail: node --import tsx bench/profile-summary.ts <file.cpuprofile>');
  }
  say(`load average at end: ${loadAverage()}`);

  found.unshift(...problems(checked));
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

/**
 * Children stopped, PostgreSQL schemas and Redis keys removed, the run's data dirs deleted, each
 * within a bound even if a child or a server hangs.
 */
async function cleanUp(): Promise<void> {
  const bounded = (work: Promise<unknown>, ms: number) =>
    Promise.race([work, new Promise((ok) => setTimeout(ok, ms).unref())]);
  await bounded(Promise.all([...made.children].map((c) => c.stop(5000))), 10_000);
  await bounded(
    Promise.allSettled([...made.nodes].map((n) => n.stop())).then((results) => {
      for (const r of results) {
        if (r.status === 'rejected') progress(`clean-up: ${String(r.reason)}`);
      }
    }),
    10_000,
  );
  rmSync(made.runDir, { recursive: true, force: true });
}

let exitCode = 1;
process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});
try {
  exitCode = await run();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
} finally {
  await cleanUp();
  if (profileDir) {
    say(`CPU profile of the c2m process written to ${profileDir}; measured runs (µs, its clock):`);
    for (const w of profileWindows) say(`  ${w}`);
    say(
      '  summarize one: node --import tsx bench/profile-summary.ts <file.cpuprofile> <from> <to>',
    );
  }
}
process.exit(exitCode);
