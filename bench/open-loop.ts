// An open-loop load generator: requests go out at evenly spaced scheduled times whatever the
// server does, over a pool of keep-alive connections large enough never to be the limit, and each
// latency is counted from the request's SCHEDULED time. A server that stalls for 100 ms then shows
// 100 ms on every request scheduled meanwhile (a closed loop would just send fewer of them).
import { Pool } from 'undici';
import type { Target } from './load.js';

export interface OpenLoopOptions {
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Keep-alive connections the pool may open (default 1024); they are opened as needed. */
  connections?: number;
  /** A request without an answer this long counts as an error (default 30 s). */
  timeoutMs?: number;
}

export interface OpenLoopMeasured {
  name: string;
  rate: number;
  seconds: number;
  /** Requests scheduled (rate × seconds), all sent. */
  scheduled: number;
  responses: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** Answers per second over the run, first scheduled send to last answer. */
  achievedRps: number;
  /** From the scheduled send time to the whole answer, in ms. */
  p50: number;
  p99: number;
  max: number;
  /** How late the generator sent, after the scheduled time (ms): above ~1 ms it was the limit. */
  sendLagP99: number;
  sendLagMax: number;
  /** The most connections open at once, and the most requests that waited for one. */
  connectionsUsed: number;
  maxQueued: number;
  /** Every latency (ms), in scheduling order, for callers that want more than the percentiles. */
  latencies: Float64Array;
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Drives `target` at `opts.rate` requests per second for `opts.seconds`. */
export async function openLoop(target: Target, opts: OpenLoopOptions): Promise<OpenLoopMeasured> {
  const url = new URL(target.url);
  const path = url.pathname + url.search;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pool = new Pool(url.origin, {
    connections: opts.connections ?? 1024,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const total = Math.max(1, Math.round(opts.rate * opts.seconds));
  const interval = 1000 / opts.rate;
  const latencies = new Float64Array(total).fill(NaN);
  const lags = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let errors = 0;
  let connectionsUsed = 0;
  let maxQueued = 0;
  let lastAnswer = 0;
  const inFlight = new Set<Promise<void>>();

  const fire = (i: number, scheduled: number) => {
    lags[i] = performance.now() - scheduled;
    const done = pool
      .request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body(),
      })
      .then(async (res) => {
        const text = await res.body.text();
        const end = performance.now();
        latencies[i] = end - scheduled;
        lastAnswer = Math.max(lastAnswer, end);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        target.onResponse?.(res.statusCode, text);
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  // a few ms ahead, so the first arrivals are not already late when the loop starts
  const start = performance.now() + 5;
  await new Promise<void>((finished) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(next, start + next * interval);
        next++;
      }
      const { connected, queued } = pool.stats;
      connectionsUsed = Math.max(connectionsUsed, connected);
      maxQueued = Math.max(maxQueued, queued);
      if (next >= total) return finished();
      setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  while (inFlight.size) await Promise.all(inFlight);
  await pool.close();

  const answered = latencies.filter((v) => !Number.isNaN(v)).sort();
  const sortedLags = Float64Array.from(lags).sort();
  const non2xx = Object.entries(statuses)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((n, [, count]) => n + count, 0);
  return {
    name: target.name,
    rate: opts.rate,
    seconds: opts.seconds,
    scheduled: total,
    responses: answered.length,
    non2xx,
    errors,
    statuses,
    achievedRps: answered.length / ((Math.max(lastAnswer, start) - start) / 1000 || 1),
    p50: percentile(answered, 50),
    p99: percentile(answered, 99),
    max: answered.length ? answered[answered.length - 1] : NaN,
    sendLagP99: percentile(sortedLags, 99),
    sendLagMax: sortedLags[sortedLags.length - 1],
    connectionsUsed,
    maxQueued,
    latencies,
  };
}
