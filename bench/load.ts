import autocannon from 'autocannon';

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
  /** CPU time the server process spent per answered request (user + system), when known. */
  serverCpuUs?: number;
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

/**
 * One closed-model autocannon run. Latency is taken from autocannon's per-response timings
 * (process.hrtime, sub-millisecond) rather than its histogram, which rounds to whole
 * milliseconds — too coarse for a 1 ms baseline.
 */
export function drive(target: Target, opts: LoadOptions): Promise<Measured> {
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
        if (err) fail(err instanceof Error ? err : new Error('autocannon failed', { cause: err }));
        else ok(summarize(target.name, result, latencies));
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

function summarize(name: string, result: autocannon.Result, latencies: number[]): Measured {
  const sorted = Float64Array.from(latencies).sort();
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[code] = stat.count ?? 0;
  }
  return {
    name,
    seconds: result.duration,
    responses: sorted.length,
    rps: sorted.length / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  };
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
