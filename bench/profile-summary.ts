// Summarizes a V8 .cpuprofile (from `BENCH_CPU_PROF=dir npm run bench`) over one measured run:
//   node --import tsx bench/profile-summary.ts <file.cpuprofile> [fromUs toUs] [rows]
// Prints self time by function and by package, and inclusive time of the busiest frames. Samples are
// wall-clock: time the process spent descheduled lands on the frame it was in (often `writev`).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, from = '0', to = 'Infinity', rowsArg = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [fromUs toUs] [rows]');
  process.exit(2);
}
const rows = Number(rowsArg);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parents = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);

const selfUs = new Map<number, number>();
let totalUs = 0;
let t = profile.startTime;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t < Number(from) || t > Number(to)) return;
  totalUs += dt;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});

const root = `file://${process.cwd()}/`;
const where = (n: ProfileNode) => n.callFrame.url.replace(root, '').replace(/^node_modules\//, '');
const frame = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;
const pkg = (n: ProfileNode) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName;
  const dep = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1];
  return url.startsWith('node:') ? url.split('/')[0] : where(n);
};

function top(by: (n: ProfileNode) => string, inclusive = false): [string, number][] {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parents.get(cur)) {
      const key = by(nodes.get(cur)!);
      if (!seen.has(key)) sums.set(key, (sums.get(key) ?? 0) + us);
      seen.add(key);
      if (!inclusive) break;
    }
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, rows);
}

const line = ([key, us]: [string, number]) =>
  `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${key}`;
console.log(`${(totalUs / 1000).toFixed(0)} ms sampled in ${file}`);
console.log('\nself time by function');
for (const entry of top(frame)) console.log(line(entry));
console.log('\nself time by package or file');
for (const entry of top(pkg)) console.log(line(entry));
console.log('\ninclusive time by function');
for (const entry of top(frame, true)) console.log(line(entry));
