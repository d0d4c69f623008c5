import type { Measured } from './load.js';

/** The goals (§7): measured against the baseline on the same machine in the same run. */
export const GOALS = { eligibilityShareOfBaseline: 0.4, p99Ms: 25 } as const;

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const cores = (v: number | undefined) => (v === undefined ? '-' : Math.max(0, v).toFixed(2));

/** Fixed-width rows; the first column is left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function resultsTable(baseline: Measured, runs: Measured[]): string {
  return table(
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
      m.serverCpuUs === undefined ? '-' : m.serverCpuUs.toFixed(0),
      m.serverCpuUs && baseline.serverCpuUs ? pct(baseline.serverCpuUs / m.serverCpuUs) : '-',
      cores(m.generatorCores),
      cores(m.otherCores),
    ]),
  );
}

export interface GoalLine {
  goal: string;
  measured: string;
  pass: boolean;
}

export function goals(baseline: Measured, eligibility: Measured, invite: Measured): GoalLine[] {
  const share = eligibility.rps / baseline.rps;
  const p99 = (m: Measured): GoalLine => ({
    goal: `${m.name} p99 < ${GOALS.p99Ms} ms`,
    measured: `${ms(m.p99)} ms`,
    pass: m.p99 < GOALS.p99Ms,
  });
  return [
    {
      goal: `eligibility >= ${pct(GOALS.eligibilityShareOfBaseline)} of baseline req/s`,
      measured: pct(share),
      pass: share >= GOALS.eligibilityShareOfBaseline,
    },
    p99(eligibility),
    p99(invite),
  ];
}

export function goalsTable(lines: GoalLine[]): string {
  return table(
    ['goal', 'measured', 'result'],
    lines.map((g) => [g.goal, g.measured, g.pass ? 'PASS' : 'MISS']),
  );
}

/** Anything that makes the figures untrustworthy: the run then exits non-zero. */
export function problems(runs: Measured[]): string[] {
  return runs.flatMap((m) => {
    const found: string[] = [];
    if (m.errors || m.timeouts) found.push(`${m.errors} errors (${m.timeouts} timeouts)`);
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

/** What each figure is, printed under the tables so a reader of a pasted run needs nothing else. */
export function notes(callIdsReady: number): string[] {
  return [
    'What was measured (closed model: each connection sends its next request on an answer;',
    'the load generator shares the cores with the server under test):',
    '  baseline     POST /echo on bare Koa 3 in its own process: read the raw body, JSON.parse,',
    '               answer a 2-field JSON object. Same body as eligibility.',
    '  eligibility  POST /api/account/:id/eligibility?v=2.0, Authorization: Bearer (OAuth 2.0',
    '               client credentials JWT), a fresh valid E.164 number per request; every',
    '               answer is eligible and stores its call (one SQLite write).',
    '  invite       POST /api/account/:id/invite?v=2.0, each with a fresh callId made by the',
    `               eligibility runs beforehand (${callIdsReady} ready), so every request is a first`,
    '               invite: transaction + outbox job + event in one SQLite transaction, while the',
    '               outbox worker sends through the sandbox channel in the same process.',
    '               Latencies are the invite requests only.',
    '  p50/p99      from autocannon per-response timings (sub-ms), over all measured responses.',
    '  server CPU   user + system CPU of the server process during the measured run, per answer',
    '               (invite includes the outbox worker); "CPU vs baseline" is the throughput',
    '               ratio a CPU-bound server would show, whatever share the generator takes.',
    '  generator / other cores: CPU used during the run by autocannon (the parent process) and by',
    '               every other process on the machine; other cores above ~0.1 make figures noisy.',
  ];
}
