// TEMPORARY experiment (not for commit): time every SQLite statement by SQL text.
import Database from 'better-sqlite3';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

type Stat = { n: number; ms: number; max: number };
const stats = new Map<string, Stat>();
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
for (const m of ['run', 'get', 'all']) {
  const orig = proto[m] as (...a: unknown[]) => unknown;
  proto[m] = function (this: { source: string }, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return orig.apply(this, args);
    } finally {
      const d = performance.now() - t0;
      const key = this.source.replace(/\s+/g, ' ').slice(0, 110);
      const s = stats.get(key) ?? { n: 0, ms: 0, max: 0 };
      s.n++;
      s.ms += d;
      s.max = Math.max(s.max, d);
      stats.set(key, s);
    }
  };
}
const dbProto = Database.prototype as unknown as Record<string, unknown>;
const origPrepare = dbProto.prepare as (...a: unknown[]) => unknown;
let prepN = 0,
  prepMs = 0;
const cache = new Map<string, unknown>();
const useCache = process.env.EXP_PCACHE === '1';
dbProto.prepare = function (this: unknown, ...args: unknown[]) {
  const t0 = performance.now();
  try {
    if (!useCache) return origPrepare.apply(this, args);
    let st = cache.get(args[0] as string);
    if (!st) {
      st = origPrepare.apply(this, args);
      cache.set(args[0] as string, st);
    }
    return st;
  } finally {
    prepN++;
    prepMs += performance.now() - t0;
  }
};
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
let elu = performance.eventLoopUtilization();
let cpu = process.cpuUsage();
export function resetTiming() {
  cpu = process.cpuUsage();
  stats.clear();
  prepN = 0;
  prepMs = 0;
  h.reset();
  elu = performance.eventLoopUtilization();
}
export function dumpTiming(label: string) {
  const u = performance.eventLoopUtilization(elu);
  const c = process.cpuUsage(cpu);
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((a, [, s]) => a + s.ms, 0);
  const out = [
    `== ${label} hr=${process.hrtime.bigint() / 1000n}: ELU ${(u.utilization * 100).toFixed(1)}% over ${(u.idle + u.active).toFixed(0)} ms, active ${u.active.toFixed(0)} ms; loop delay p50 ${(h.percentile(50) / 1e6).toFixed(1)} p99 ${(h.percentile(99) / 1e6).toFixed(1)} max ${(h.max / 1e6).toFixed(1)} ms`,
    `   cpu user ${(c.user / 1000).toFixed(0)} ms sys ${(c.system / 1000).toFixed(0)} ms; sqlite exec total ${total.toFixed(0)} ms; prepare ${prepN} x = ${prepMs.toFixed(0)} ms`,
  ];
  for (const [k, s] of rows.slice(0, 30))
    out.push(
      `${s.ms.toFixed(0).padStart(7)} ms ${String(s.n).padStart(7)} x ${((1000 * s.ms) / s.n).toFixed(0).padStart(6)} µs max ${s.max.toFixed(1).padStart(6)}  ${k}`,
    );
  process.stderr.write(out.join('\n') + '\n');
}
