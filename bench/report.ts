import type { LoopDelay } from './children.js';
import type { ExactlyOnce } from './engines.js';
import type { Measured } from './load.js';
import type { OpenLoopMeasured } from './open-loop.js';
import { COMPONENTS, type Component } from './profile-summary.js';

/** The goals (§7, issue 13): measured against the baseline on the same machine in the same run. */
export const GOALS = {
  eligibilityShareOfBaseline: 0.4,
  inviteShareOfBaseline: 0.3,
  p99Ms: 25,
  /** Sandbox invites sent (and their receipts run) per second by the worker on its one core. */
  drainMessagesPerS: 2000,
  /** With --history: cost per request at most this much above the empty database's. */
  historyTolerance: 0.1,
  openLoop: { eligibilityRate: 300, eligibilityP99Ms: 10, inviteRate: 300, inviteP99Ms: 25 },
} as const;

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const cores = (v: number | undefined) => (v === undefined ? '-' : Math.max(0, v).toFixed(2));
const us = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(0));
const count = (v: number) => v.toLocaleString('en');

/**
 * The column `header` removed, from the header and every row, unless `keep`: a column that only
 * one engine fills is left out of runs without that engine.
 */
function withoutColumn(
  header: string[],
  rows: string[][],
  column: string,
  keep: boolean,
): [string[], string[][]] {
  const at = header.indexOf(column);
  if (keep || at < 0) return [header, rows];
  const drop = (cells: string[]) => cells.filter((_, i) => i !== at);
  return [drop(header), rows.map(drop)];
}

/** Fixed-width rows; the first column is left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function resultsTable(baseline: Measured, runs: Measured[]): string {
  const [header, rows] = withoutColumn(
    [
      'target',
      'req/s',
      'p50 ms',
      'p99 ms',
      'responses',
      'non-2xx',
      'errors',
      'vs baseline',
      'server CPU µs/req',
      'DB CPU µs/req',
      'CPU vs baseline',
      'generator cores',
      'other cores',
    ],
    [baseline, ...runs].map((m) => [
      m.name,
      m.rps.toFixed(0),
      ms(m.p50),
      ms(m.p99),
      String(m.responses),
      String(m.non2xx),
      String(m.errors + m.timeouts),
      pct(m.rps / baseline.rps),
      us(m.serverCpuUs),
      us(m.dbCpuUs),
      m.serverCpuUs && baseline.serverCpuUs
        ? pct(baseline.serverCpuUs / (m.serverCpuUs + (m.dbCpuUs ?? 0)))
        : '-',
      cores(m.generatorCores),
      cores(m.otherCores),
    ]),
    'DB CPU µs/req',
    runs.some((m) => m.dbCpuUs !== undefined),
  );
  return table(header, rows);
}

/** The outbox worker draining what an invite run queued (started paused, then drained). */
export interface Drained {
  name: string;
  /** Invites sent (send jobs) and receipts run (receipt jobs). */
  sends: number;
  receipts: number;
  seconds: number;
  /** Server CPU per invite sent, its receipt included (summed over the nodes). */
  serverCpuUs: number;
  /** PostgreSQL: its backends' CPU per invite sent. */
  dbCpuUs?: number;
  /** Jobs each node's worker claimed (more in all than were done: a job ran twice). */
  claimedByNode: number[];
  /** Jobs of every kind done during the drain. */
  done: number;
  /** Transactions of the invite run now delivered, of how many invited. */
  delivered: number;
  invited: number;
  otherCores?: number;
}

export function drainTable(drains: Drained[]): string {
  const [header, rows] = withoutColumn(
    [
      'drain',
      'sends',
      'receipts',
      'seconds',
      'messages/s',
      'server CPU µs/msg',
      'DB CPU µs/msg',
      'messages/s per CPU core',
      'jobs by node',
      'delivered',
      'other cores',
    ],
    drains.map((d) => [
      d.name,
      count(d.sends),
      count(d.receipts),
      d.seconds.toFixed(2),
      (d.sends / d.seconds).toFixed(0),
      us(d.serverCpuUs),
      us(d.dbCpuUs),
      (1e6 / (d.serverCpuUs + (d.dbCpuUs ?? 0))).toFixed(0),
      d.claimedByNode.map(count).join(' + '),
      `${count(d.delivered)} / ${count(d.invited)}`,
      cores(d.otherCores),
    ]),
    'DB CPU µs/msg',
    drains.some((d) => d.dbCpuUs !== undefined),
  );
  return table(
    ...withoutColumn(
      header,
      rows,
      'jobs by node',
      drains.some((d) => d.claimedByNode.length > 1),
    ),
  );
}

/** Whether the invites a run answered 2xx were each sent exactly once (bench/engines.ts). */
export interface Delivery extends ExactlyOnce {
  name: string;
  answered: number;
}

export function deliveryTable(rows: Delivery[]): string {
  return table(
    [
      'nothing lost',
      'answered 2xx',
      'invited',
      'outbound messages',
      'lost',
      'sent twice+',
      'answered, not invited',
      'result',
    ],
    rows.map((d) => [
      d.name,
      count(d.answered),
      count(d.invited),
      count(d.messages),
      count(d.lost),
      count(d.duplicated),
      count(d.unrecorded),
      d.pass ? 'PASS' : 'FAIL',
    ]),
  );
}

export interface GoalLine {
  goal: string;
  measured: string;
  pass: boolean;
}

const p99Goal = (m: { name: string; p99: number }, limitMs: number): GoalLine => ({
  goal: `${m.name} p99 < ${limitMs} ms`,
  measured: `${ms(m.p99)} ms`,
  pass: m.p99 < limitMs,
});

const shareGoal = (baseline: Measured, m: Measured, share: number): GoalLine => ({
  goal: `${m.name} >= ${pct(share)} of baseline req/s`,
  measured: pct(m.rps / baseline.rps),
  pass: m.rps / baseline.rps >= share,
});

export function goals(
  baseline: Measured,
  eligibility: Measured,
  invite: Measured,
  drain: Drained,
): GoalLine[] {
  const rate = drain.sends / drain.seconds;
  return [
    shareGoal(baseline, eligibility, GOALS.eligibilityShareOfBaseline),
    p99Goal(eligibility, GOALS.p99Ms),
    shareGoal(baseline, invite, GOALS.inviteShareOfBaseline),
    p99Goal(invite, GOALS.p99Ms),
    {
      goal: `${drain.name}: >= ${count(GOALS.drainMessagesPerS)} sandbox messages/s (one core)`,
      measured: `${rate.toFixed(0)}/s (${(1e6 / drain.serverCpuUs).toFixed(0)}/s per CPU core)`,
      pass: rate >= GOALS.drainMessagesPerS,
    },
  ];
}

/** With --history: each target's cost on the seeded database against the empty one. */
export function historyGoals(
  history: number,
  pairs: [empty: Measured, seeded: Measured][],
  drains: [empty: Drained, seeded: Drained],
): GoalLine[] {
  const within = (what: string, empty: number, seeded: number, unit: string): GoalLine => {
    const ratio = seeded / empty;
    return {
      goal: `${what} with ${count(history)} history within ${pct(GOALS.historyTolerance)} of empty`,
      measured: `${seeded.toFixed(unit === 'ms' ? 2 : 0)} vs ${empty.toFixed(unit === 'ms' ? 2 : 0)} ${unit} (${ratio >= 1 ? '+' : ''}${pct(ratio - 1)})`,
      pass: ratio <= 1 + GOALS.historyTolerance,
    };
  };
  return [
    ...pairs.flatMap(([empty, seeded]) => [
      within(
        `${empty.name} server CPU/req`,
        empty.serverCpuUs ?? NaN,
        seeded.serverCpuUs ?? NaN,
        'µs',
      ),
      within(`${empty.name} p50`, empty.p50, seeded.p50, 'ms'),
    ]),
    within('drain server CPU/message', drains[0].serverCpuUs, drains[1].serverCpuUs, 'µs'),
  ];
}

export function goalsTable(lines: GoalLine[]): string {
  return table(
    ['goal', 'measured', 'result'],
    lines.map((g) => [g.goal, g.measured, g.pass ? 'PASS' : 'MISS']),
  );
}

/** Anything that makes the figures untrustworthy: the run then exits non-zero. */
export function problems(
  runs: (Pick<Measured, 'name' | 'errors' | 'non2xx' | 'statuses' | 'responses'> & {
    timeouts?: number;
  })[],
): string[] {
  return runs.flatMap((m) => {
    const found: string[] = [];
    const timeouts = m.timeouts ?? 0;
    if (m.errors || timeouts) found.push(`${m.errors} errors (${timeouts} timeouts)`);
    if (m.non2xx) {
      const codes = Object.entries(m.statuses)
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, n]) => `${n} x ${code}`);
      found.push(`${m.non2xx} non-2xx (${codes.join(', ')})`);
    }
    if (m.responses === 0) found.push('no responses');
    return found.map((f) => `${m.name}: ${f}`);
  });
}

/** An open-loop run with what the server said about it. */
export interface OpenLoopRun extends OpenLoopMeasured {
  serverCpuUs: number;
  loop: LoopDelay;
  otherCores?: number;
  /** Invite runs: transactions delivered by the end of the run + grace, of how many invited. */
  delivered?: { delivered: number; invited: number; waitedMs: number };
}

export function openLoopTable(runs: OpenLoopRun[]): string {
  return table(
    [
      'run',
      'rate/s',
      'answered',
      'p50 ms',
      'p99 ms',
      'max ms',
      'send lag p99/max ms',
      'conns',
      'queued',
      'server CPU µs/req',
      'loop delay p99 ms',
      'longest stall ms',
      'delivered',
      'other cores',
    ],
    runs.map((r) => [
      r.name,
      String(r.rate),
      `${count(r.responses)}/${count(r.scheduled)}`,
      ms(r.p50),
      ms(r.p99),
      ms(r.max),
      `${ms(r.sendLagP99)}/${ms(r.sendLagMax)}`,
      String(r.connectionsUsed),
      String(r.maxQueued),
      us(r.serverCpuUs),
      ms(r.loop.p99),
      ms(r.loop.max),
      r.delivered ? `${count(r.delivered.delivered)}/${count(r.delivered.invited)}` : '-',
      cores(r.otherCores),
    ]),
  );
}

export function openLoopGoals(runs: OpenLoopRun[]): GoalLine[] {
  const { eligibilityRate, eligibilityP99Ms, inviteRate, inviteP99Ms } = GOALS.openLoop;
  const lines: GoalLine[] = [];
  const at = (prefix: string, rate: number) =>
    runs.find((r) => r.name.startsWith(prefix) && r.rate === rate);
  const eligibility = at('eligibility', eligibilityRate);
  const invite = at('invite', inviteRate);
  if (eligibility) lines.push(p99Goal(eligibility, eligibilityP99Ms));
  if (invite) lines.push(p99Goal(invite, inviteP99Ms));
  for (const r of runs) {
    if (!r.delivered) continue;
    lines.push({
      goal: `${r.name}: every invite delivered by the end of the run + grace`,
      measured: `${count(r.delivered.delivered)} of ${count(r.delivered.invited)} (waited ${(r.delivered.waitedMs / 1000).toFixed(1)} s)`,
      pass: r.delivered.delivered === r.delivered.invited,
    });
  }
  return lines;
}

/** Self time by component per profiled run, as a share of the samples taken during the run. */
export function componentsTable(
  profiles: { name: string; totalUs: number; components: [Component, number][] }[],
): string {
  return table(
    ['profile', 'sampled ms', ...COMPONENTS],
    profiles.map((p) => {
      const of = new Map(p.components);
      return [
        p.name,
        (p.totalUs / 1000).toFixed(0),
        ...COMPONENTS.map((c) => pct((of.get(c) ?? 0) / (p.totalUs || 1))),
      ];
    }),
  );
}

/** What each figure is, printed under the tables so a reader of a pasted run needs nothing else. */
export function notes(
  callIdsReady: number[],
  history: number | undefined,
  engines: boolean,
): string[] {
  return [
    'What was measured (closed model: each connection sends its next request on an answer;',
    'the load generator shares the cores with the server under test):',
    '  baseline     POST /echo on bare Koa 3 in its own process: read the raw body, JSON.parse,',
    '               answer a 2-field JSON object. Same body as eligibility.',
    '  eligibility  POST /api/account/:id/eligibility?v=2.0, Authorization: Bearer (OAuth 2.0',
    '               client credentials JWT), a fresh valid E.164 number per request; every',
    '               answer is eligible and stores its call (one database write).',
    '  invite       POST /api/account/:id/invite?v=2.0, each with a fresh callId made by the',
    `               eligibility runs beforehand (${callIdsReady.join(' / ')} ready), so every request is a`,
    '               first invite: transaction + outbox job + event in one database transaction. The',
    '               outbox worker is PAUSED (C2M_OUTBOX_WORKER=0): this is the request path alone.',
    '  drain        then the child drains the outbox (OutboxWorker.drain() until no job is left):',
    '               each invite is one send job on the sandbox channel plus its delivery receipt',
    '               job (C2M_SANDBOX_RECEIPT_MS=0: due at once). messages/s = sends / wall time;',
    '               server CPU per message includes its receipt; "per CPU core" = 1e6 / that',
    '               (plus DB CPU on PostgreSQL).',
    "  nothing lost after the drain, the database's count of outbound messages per transaction",
    '               the invite runs (warm-up included) made: PASS when none has 0 (lost) or 2+',
    '               (sent twice) and no invite answered 2xx is missing; "invited" may exceed',
    '               "answered 2xx" by the answers in flight when autocannon stopped.',
    '  p50/p99      from autocannon per-response timings (sub-ms), over all measured responses.',
    '  server CPU   user + system CPU of the server process during the measured run, per answer;',
    '               "CPU vs baseline" is the throughput ratio a CPU-bound server would show,',
    "               whatever share the generator takes (server + DB CPU against the baseline's).",
    '  generator / other cores: CPU used during the run by autocannon (the parent process) and by',
    '               every other process on the machine; other cores above ~0.1 make figures noisy.',
    ...(!engines
      ? []
      : [
          '  SQLite       one c2m process on its file; the database works inside it (DB CPU: -).',
          '  PG×n         n c2m processes on one PostgreSQL schema and one Redis key prefix, fresh',
          '               for the setup and removed after it (its nodes stopped before the next',
          "               setup). Each target's connections are split evenly over the nodes (one",
          '               autocannon instance per node, latencies pooled); callIds from eligibility',
          '               on any node are invited on any node. Server CPU is the sum over the nodes;',
          '               DB CPU is the PostgreSQL backends serving their connections (/proc, found by',
          "               application_name); Redis and PostgreSQL's own background processes count",
          '               under "other cores". The drain runs on every node at once, over one outbox;',
          "               jobs by node = the jobs each node's worker claimed: more in all than jobs",
          '               done means a job ran twice (the run is then not clean).',
        ]),
    ...(history === undefined
      ? []
      : [
          '  history      after one unmeasured pass (so both compared passes meet a warm process)',
          `               the targets ran on the empty database, then ${count(history)} calls over 60`,
          '               days (transactions, events, messages, conversations; bench/history.ts) were',
          '               written into it on a second connection, and the targets ran again. The',
          "               history's numbers are in area code 628, the bench's in 415: no history",
          '               conversation or opt-out makes a bench request ineligible. Invites without a',
          '               receipt for 72 h are failed in the history (no housekeeping sweep runs into',
          '               it), and the event-webhook cursor is past it (fanned out long ago).',
        ]),
  ];
}

export function openLoopNotes(graceS: number, history: number | undefined): string[] {
  return [
    'What was measured (open model: requests at evenly spaced scheduled times whatever the',
    'server does, over a keep-alive pool that opens connections as needed; latency from the',
    'SCHEDULED send time to the whole answer, so queueing behind a stall counts):',
    '  send lag     how late the generator sent after the scheduled time (above ~1 ms the',
    '               generator, sharing the cores, was part of the latency).',
    '  conns        the most connections the pool had open at once; queued: the most requests',
    '               that waited for a connection (0: the pool was never the limit).',
    '  loop delay   the server process event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms',
    '               resolution, reset before each measured run); longest stall = its max.',
    '  invite runs  the outbox worker RUNNING in the same process (sandbox channel, receipts due',
    `               at once); delivered = transactions of the run delivered within the run + ${graceS} s.`,
    ...(history === undefined
      ? []
      : [
          `  history      ${count(history)} calls over 60 days (bench/history.ts) were written before the`,
          "               runs; the history's numbers are in area code 628, the bench's in 415.",
        ]),
  ];
}
