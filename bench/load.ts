import autocannon from 'autocannon';
import { splitEvenly } from './engines.js';

/** One endpoint to drive: a POST whose JSON body is made fresh for every request. */
export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: () => string;
  /** Sees every response body (autocannon only reads bodies when this is set). */
  onResponse?: (status: number, body: string) => void;
}

export interface Measured {
  name: string;
  seconds: number;
  responses: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /** CPU time the server process(es) spent per answered request (user + system), when known. */
  serverCpuUs?: number;
  /** PostgreSQL: CPU of the database backends serving the nodes, per answered request. */
  dbCpuUs?: number;
  /** Cores the load generator (this process) kept busy during the run. */
  generatorCores?: number;
  /** Cores used by every other process on the machine during the run (noise), when known. */
  otherCores?: number;
}

export interface LoadOptions {
  connections: number;
  /** Run for this long (seconds)… */
  seconds?: number;
  /** …or until this many requests have been answered. */
  amount?: number;
}

/** What one autocannon instance saw, before it is summarized. */
export interface RawRun {
  duration: number;
  /** Per-response times in ms, in arrival order. */
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

/**
 * One closed-model autocannon run. Latency is taken from autocannon's per-response timings
 * (process.hrtime, sub-millisecond) rather than its histogram, which rounds to whole
 * milliseconds — too coarse for a 1 ms baseline.
 */
export async function drive(target: Target, opts: LoadOptions): Promise<Measured> {
  return summarize(target.name, [await run(target, opts)]);
}

/**
 * Several nodes driven at once as one run, `targets[i]` on node i: the connections (or the
 * amount) split evenly over them, one autocannon instance each, latencies pooled.
 */
export async function driveSpread(targets: Target[], opts: LoadOptions): Promise<Measured> {
  if (targets.length === 1) return drive(targets[0], opts);
  const connections = splitEvenly(opts.connections, targets.length);
  const amounts = opts.amount === undefined ? undefined : splitEvenly(opts.amount, targets.length);
  const runs = await Promise.all(
    targets.map((t, i) =>
      run(t, { ...opts, connections: connections[i], ...(amounts && { amount: amounts[i] }) }),
    ),
  );
  return summarize(targets[0].name, runs);
}

function run(target: Target, opts: LoadOptions): Promise<RawRun> {
  const latencies: number[] = [];
  return new Promise((ok, fail) => {
    const instance = autocannon(
      {
        url: target.url,
        connections: opts.connections,
        ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.seconds }),
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...target.headers },
            setupRequest: (req) => ({ ...req, body: target.body() }),
            ...(target.onResponse && {
              onResponse: (status: number, body: string) => target.onResponse?.(status, body),
            }),
          },
        ],
      },
      (err: unknown, result) => {
        if (err) {
          fail(err instanceof Error ? err : new Error('autocannon failed', { cause: err }));
          return;
        }
        const statuses: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
          statuses[code] = stat.count ?? 0;
        }
        ok({
          duration: result.duration,
          latencies,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statuses,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

/**
 * One run's figures from the instances that made it (several when the load was spread): the
 * answers of all of them over the longest instance's time, percentiles over all latencies.
 */
export function summarize(name: string, runs: RawRun[]): Measured {
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const seconds = Math.max(...runs.map((r) => r.duration));
  const statuses: Record<string, number> = {};
  for (const r of runs) {
    for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  }
  const sum = (pick: (r: RawRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  return {
    name,
    seconds,
    responses: sorted.length,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statuses,
  };
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
