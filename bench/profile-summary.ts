// Summarizes V8 .cpuprofile files: by component (the one categorising, used by `npm run bench --
// --profile` too), by function, by package, and inclusive time of the busiest frames.
//   node --import tsx bench/profile-summary.ts <file.cpuprofile> [fromUs toUs] [rows]
// Samples are wall-clock: time the process spent descheduled lands on the frame it was in (often
// `writev`), and time waiting for work on (idle).
import { readFileSync } from 'node:fs';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber?: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame & { lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The components a sample's time is charged to, in the order the summary prints them. */
export const COMPONENTS = [
  'SQLite',
  'query building',
  'HTTP',
  'auth',
  'validation',
  'publisher',
  'worker',
  'GC',
  'idle/program',
  'other',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** better-sqlite3's native methods (Database and Statement), as V8 names their frames. */
const SQLITE_NATIVE = new Set([
  'prepare',
  'exec',
  'pragma',
  'run',
  'get',
  'all',
  'iterate',
  'raw',
  'pluck',
  'expand',
  'columns',
  'bind',
  'safeIntegers',
  'checkpoint',
  'transaction',
]);

/** First match wins: the file of a frame (its URL) says which component it belongs to. */
const BY_URL: [RegExp, Component][] = [
  [/node_modules\/better-sqlite3\//, 'SQLite'],
  [/node_modules\/kysely\//, 'query building'],
  [/node_modules\/zod\//, 'validation'],
  [/\/backend\/src\/http\/validate\.ts/, 'validation'],
  [/\/backend\/contract\//, 'validation'],
  [/\/backend\/src\/auth\//, 'auth'],
  [/\/backend\/src\/modules\/accounts\/ivr-auth\.ts/, 'auth'],
  [/^node:internal\/crypto\//, 'auth'],
  [/^node:crypto/, 'auth'],
  [/\/backend\/src\/realtime\//, 'publisher'],
  [/node_modules\/(socket\.io|engine\.io|socket\.io-adapter|socket\.io-parser|ws)\//, 'publisher'],
  [/\/backend\/src\/(outbox|channels|outbound)\//, 'worker'],
  [
    /node_modules\/(koa|@koa\/[^/]+|koa-compose|undici|raw-body|co-body|http-errors|on-finished|statuses|type-is|accepts|content-type|content-disposition|cookies|vary|encodeurl|fresh|negotiator|mime-types|destroy|iconv-lite)\//,
    'HTTP',
  ],
  [/\/backend\/src\/http\//, 'HTTP'],
  [
    /^node:(_http_|http|https|net|stream|internal\/http|internal\/streams|internal\/stream_base|internal\/js_stream|internal\/net|internal\/dns|internal\/url|internal\/deps\/undici)/,
    'HTTP',
  ],
];

/** Node's plumbing, used by every component: charged to the caller, like a native frame. */
const PLUMBING =
  /^node:(events|buffer|internal\/(process\/task_queues|timers|async_hooks|util|errors|validators))/;

/** A frame by itself: a component, or undefined for a frame its caller decides (native, plumbing). */
export function componentOfFrame(frame: CallFrame): Component | undefined {
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)' || name === '(program)' || name === '(root)') return 'idle/program';
  if (!frame.url) return SQLITE_NATIVE.has(name) ? 'SQLite' : undefined;
  if (PLUMBING.test(frame.url)) return undefined;
  for (const [pattern, component] of BY_URL) if (pattern.test(frame.url)) return component;
  return 'other';
}

/**
 * The component a sample is charged to: its own frame's, or for a native frame that is not
 * better-sqlite3's (writev, a crypto binding) or Node's plumbing (events, task queues) the
 * nearest caller's. `stack` is innermost first; the root frame decides nothing.
 */
export function componentOf(stack: CallFrame[]): Component {
  const [own] = stack;
  const c = own && componentOfFrame(own);
  if (c) return c;
  for (const frame of stack.slice(1)) {
    if (frame.functionName === '(root)') break;
    const caller = componentOfFrame(frame);
    if (caller) return caller;
  }
  return 'other';
}

export interface ProfileSummary {
  totalUs: number;
  /** Self time per component, every component present (0 when none). */
  components: [Component, number][];
  selfByFunction: [string, number][];
  selfByPackage: [string, number][];
  inclusiveByFunction: [string, number][];
}

/** Self time per node and the parent of each node, for samples in [from, to] (profile clock). */
export function summarizeProfile(
  profile: Profile,
  opts: { from?: number; to?: number; rows?: number; root?: string } = {},
): ProfileSummary {
  const { from = 0, to = Infinity, rows = 25, root = `file://${process.cwd()}/` } = opts;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);

  const selfUs = new Map<number, number>();
  let totalUs = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from || t > to) return;
    totalUs += dt;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });

  const stackOf = (id: number) => {
    const stack: CallFrame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parents.get(cur)) {
      stack.push(nodes.get(cur)!.callFrame);
    }
    return stack;
  };
  const components = new Map<Component, number>(COMPONENTS.map((c) => [c, 0]));
  for (const [id, us] of selfUs) {
    const c = componentOf(stackOf(id));
    components.set(c, components.get(c)! + us);
  }

  const where = (n: ProfileNode) =>
    n.callFrame.url.replace(root, '').replace(/^.*node_modules\//, '');
  const frame = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;
  const pkg = (n: ProfileNode) => {
    const url = n.callFrame.url;
    if (!url) return n.callFrame.functionName;
    const dep = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
    if (dep) return dep[1];
    return url.startsWith('node:') ? url.split('/')[0] : where(n);
  };
  const top = (by: (n: ProfileNode) => string, inclusive = false): [string, number][] => {
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
  };
  return {
    totalUs,
    components: [...components].sort((a, b) => b[1] - a[1]),
    selfByFunction: top(frame),
    selfByPackage: top(pkg),
    inclusiveByFunction: top(frame, true),
  };
}

export function readProfile(file: string): Profile {
  return JSON.parse(readFileSync(file, 'utf8')) as Profile;
}

/** `  1234 ms  45.6%  name` */
export function timeLine([key, us]: [string, number], totalUs: number): string {
  const share = totalUs > 0 ? (100 * us) / totalUs : 0;
  return `${(us / 1000).toFixed(0).padStart(7)} ms ${share.toFixed(1).padStart(5)}%  ${key}`;
}

function main() {
  const [file, from = '0', to = 'Infinity', rowsArg = '25'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: profile-summary.ts <file.cpuprofile> [fromUs toUs] [rows]');
    process.exit(2);
  }
  const s = summarizeProfile(readProfile(file), {
    from: Number(from),
    to: Number(to),
    rows: Number(rowsArg),
  });
  const line = (e: [string, number]) => timeLine(e, s.totalUs);
  console.log(`${(s.totalUs / 1000).toFixed(0)} ms sampled in ${file}`);
  console.log('\nself time by component');
  for (const entry of s.components) console.log(line(entry));
  console.log('\nself time by function');
  for (const entry of s.selfByFunction) console.log(line(entry));
  console.log('\nself time by package or file');
  for (const entry of s.selfByPackage) console.log(line(entry));
  console.log('\ninclusive time by function');
  for (const entry of s.inclusiveByFunction) console.log(line(entry));
}

// run as a script (not when the bench or a test imports the categorising)
if (import.meta.url === `file://${process.argv[1]}`) main();
