// The benchmark's pure pieces: the open-loop generator (bench/open-loop.ts) keeps its arrival
// spacing and counts latency from the scheduled send time, so a slow answer or a stalled server
// shows in p99; the profile categoriser (bench/profile-summary.ts) charges frames to components;
// the engines' plan, the load split over nodes and its pooled figures, the exactly-once verdict
// and the database's CPU (bench/engines.ts, bench/load.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpuBetween, exactlyOnce, planSetups, splitEvenly } from '../../bench/engines.js';
import { summarize, type RawRun } from '../../bench/load.js';
import { openLoop } from '../../bench/open-loop.js';
import {
  componentOf,
  summarizeProfile,
  type CallFrame,
  type Profile,
} from '../../bench/profile-summary.js';

const RATE = 200;
const SPACING_MS = 1000 / RATE;

describe('open-loop generator', () => {
  let server: Server;
  let url = '';
  /** Arrival time (performance.now()) of every request the server read. */
  let arrivals: number[] = [];
  /** How the server answers the n-th request (0-based) of the current run. */
  let answer: (n: number, res: ServerResponse) => void = (_n, res) => res.end('{}');

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const n = arrivals.length;
        arrivals.push(performance.now());
        answer(n, res);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });

  const target = () => ({ name: 't', url, headers: {}, body: () => '{"a":1}' });
  const reset = (how: typeof answer) => {
    arrivals = [];
    answer = how;
  };

  it('sends rate × seconds requests at evenly spaced times', async () => {
    reset((_n, res) => res.end('{}'));
    const m = await openLoop(target(), { rate: RATE, seconds: 1 });
    assert.equal(m.scheduled, RATE);
    assert.equal(m.responses, RATE);
    assert.equal(arrivals.length, RATE);
    assert.equal(m.errors + m.non2xx, 0);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
    gaps.sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)];
    assert.ok(Math.abs(median - SPACING_MS) < 1.5, `median gap ${median} ms`);
    const span = arrivals[arrivals.length - 1] - arrivals[0];
    const expected = (RATE - 1) * SPACING_MS;
    assert.ok(Math.abs(span - expected) < 100, `arrivals span ${span} ms, expected ${expected}`);
    assert.ok(m.p50 < 20, `p50 ${m.p50} ms`);
  });

  it('shows answers the server delays in p99 while p50 stays low', async () => {
    // every 20th answer (5 %) 80 ms late: the spacing goes on, the pool opens more connections
    reset((n, res) => (n % 20 === 0 ? setTimeout(() => res.end('{}'), 80) : res.end('{}')));
    const m = await openLoop(target(), { rate: RATE, seconds: 1 });
    assert.equal(m.responses, RATE);
    assert.ok(m.p99 >= 80, `p99 ${m.p99} ms`);
    assert.ok(m.p50 < 20, `p50 ${m.p50} ms`);
    assert.ok(m.connectionsUsed > 1, `${m.connectionsUsed} connections`);
  });

  it('counts latency from the scheduled time: a stall delays every request scheduled in it', async () => {
    // the server blocks the (shared) event loop for 150 ms on its 50th request: the generator
    // cannot send meanwhile either, and those late sends are charged to the latency
    const STALL_MS = 150;
    reset((n, res) => {
      if (n === 50) {
        const until = performance.now() + STALL_MS;
        while (performance.now() < until);
      }
      res.end('{}');
    });
    const m = await openLoop(target(), { rate: RATE, seconds: 1 });
    assert.equal(m.responses, RATE);
    const slow = m.latencies.filter((v) => v >= 50).length;
    // ~30 requests were scheduled during the stall; those in its first 100 ms waited >= 50 ms
    assert.ok(slow >= 15, `${slow} requests at >= 50 ms`);
    assert.ok(m.max >= STALL_MS - 10, `max ${m.max} ms`);
    assert.ok(m.p99 >= 50, `p99 ${m.p99} ms`);
    assert.ok(m.sendLagMax >= 100, `send lag ${m.sendLagMax} ms`);
  });
});

describe('profile categoriser', () => {
  const file = (path: string) => `file:///work/c2m/${path}`;
  const dep = (path: string) => file(`node_modules/${path}`);
  const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url });

  const cases: [string, CallFrame[], string][] = [
    [
      'a better-sqlite3 native call from kysely',
      [frame('all'), frame('executeQuery', dep('kysely/dist/esm/dialect/sqlite/sqlite-driver.js'))],
      'SQLite',
    ],
    [
      'better-sqlite3 JS',
      [frame('transaction', dep('better-sqlite3/lib/methods/transaction.js'))],
      'SQLite',
    ],
    [
      'kysely',
      [frame('compileQuery', dep('kysely/dist/esm/query-compiler/default-query-compiler.js'))],
      'query building',
    ],
    ['a socket write from node:net', [frame('writev'), frame('_writeGeneric', 'node:net')], 'HTTP'],
    ["node's HTTP parser", [frame('parserOnHeadersComplete', 'node:_http_common')], 'HTTP'],
    ['koa', [frame('handleRequest', dep('koa/lib/application.js'))], 'HTTP'],
    ['@koa/router', [frame('dispatch', dep('@koa/router/dist/index.mjs'))], 'HTTP'],
    ['undici', [frame('request', dep('undici/lib/api/api-request.js'))], 'HTTP'],
    ["c2m's route declaration", [frame('handle', file('backend/src/http/route.ts'))], 'HTTP'],
    ['JWT verification', [frame('verifyJwt', file('backend/src/auth/jwt.ts'))], 'auth'],
    [
      'an HMAC under the IVR auth',
      [
        frame('digest'),
        frame('digest', 'node:internal/crypto/hash'),
        frame('ivrAuth', file('backend/src/modules/accounts/ivr-auth.ts')),
      ],
      'auth',
    ],
    ['zod', [frame('_parse', dep('zod/v4/core/schemas.js'))], 'validation'],
    ["c2m's validation", [frame('parseBody', file('backend/src/http/validate.ts'))], 'validation'],
    ['the publisher', [frame('publish', file('backend/src/realtime/publisher.ts'))], 'publisher'],
    ['socket.io', [frame('emit', dep('socket.io/dist/namespace.js'))], 'publisher'],
    ['the outbox worker', [frame('runOne', file('backend/src/outbox/worker.ts'))], 'worker'],
    ['a channel adapter', [frame('send', file('backend/src/channels/sandbox.ts'))], 'worker'],
    [
      "an event emitted by node's HTTP server",
      [frame('emit', 'node:events'), frame('parserOnIncoming', 'node:_http_server')],
      'HTTP',
    ],
    [
      'a microtask queue at the root',
      [frame('processTicksAndRejections', 'node:internal/process/task_queues'), frame('(root)')],
      'other',
    ],
    ['GC', [frame('(garbage collector)')], 'GC'],
    ['idle', [frame('(idle)')], 'idle/program'],
    ['program', [frame('(program)')], 'idle/program'],
    [
      'a service',
      [frame('eligibility', file('backend/src/modules/deflection/eligibility.service.ts'))],
      'other',
    ],
    ['an unknown native at the root', [frame('someNative')], 'other'],
  ];
  for (const [what, stack, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(componentOf(stack), expected));
  }

  it('sums self time per component over a window of the profile', () => {
    const node = (id: number, functionName: string, url: string, children: number[] = []) => ({
      id,
      callFrame: { functionName, url, lineNumber: 0 },
      children,
    });
    const profile: Profile = {
      nodes: [
        node(1, '(root)', '', [2, 5, 6]),
        node(2, 'handleRequest', dep('koa/lib/application.js'), [3]),
        node(3, 'executeQuery', dep('kysely/dist/esm/dialect/sqlite/sqlite-driver.js'), [4]),
        node(4, 'run', ''),
        node(5, '(garbage collector)', ''),
        node(6, '(idle)', ''),
      ],
      startTime: 0,
      // times after each delta: 100 (run), 200 (run), 300 (koa), 400 (GC), 500 (idle), 600 (run)
      samples: [4, 4, 2, 5, 6, 4],
      timeDeltas: [100, 100, 100, 100, 100, 100],
    };
    const within = summarizeProfile(profile, { from: 0, to: 500 });
    const of = (c: string) => within.components.find(([name]) => name === c)?.[1];
    assert.equal(within.totalUs, 500);
    assert.equal(of('SQLite'), 200);
    assert.equal(of('HTTP'), 100);
    assert.equal(of('GC'), 100);
    assert.equal(of('idle/program'), 100);
    assert.equal(of('query building'), 0);
  });
});

describe('bench engines', () => {
  const labels = (engine?: string, nodes?: string) =>
    planSetups(engine, nodes).map((s) => `${s.engine}:${s.nodes}:${s.label}`);

  it('runs SQLite alone by default, and each engine in the order asked', () => {
    assert.deepEqual(labels(), ['sqlite:1:SQLite']);
    assert.deepEqual(labels('postgres', '1'), ['postgres:1:PG×1']);
    assert.deepEqual(labels('postgres', '2'), ['postgres:2:PG×2']);
    assert.deepEqual(labels('postgres'), ['postgres:1:PG×1', 'postgres:2:PG×2']);
    assert.deepEqual(labels('all'), ['sqlite:1:SQLite', 'postgres:1:PG×1', 'postgres:2:PG×2']);
    assert.deepEqual(labels('postgres,sqlite', '2'), ['postgres:2:PG×2', 'sqlite:1:SQLite']);
  });

  it('refuses unknown engines, bad node counts, and several SQLite nodes', () => {
    assert.throws(() => planSetups('mysql'), /--engine: .*"mysql"/);
    assert.throws(() => planSetups('sqlite,sqlite'), /an engine twice/);
    assert.throws(() => planSetups('postgres', '0'), /--nodes/);
    assert.throws(() => planSetups('postgres', '1.5'), /--nodes/);
    assert.throws(() => planSetups('postgres', 'two'), /--nodes/);
    assert.throws(() => planSetups('sqlite', '2'), /SQLite runs one node/);
    assert.deepEqual(labels('sqlite', '1'), ['sqlite:1:SQLite']);
  });

  it('splits connections and amounts evenly, the remainder to the first nodes', () => {
    assert.deepEqual(splitEvenly(50, 1), [50]);
    assert.deepEqual(splitEvenly(50, 2), [25, 25]);
    assert.deepEqual(splitEvenly(51, 2), [26, 25]);
    assert.deepEqual(splitEvenly(50, 3), [17, 17, 16]);
    assert.deepEqual(splitEvenly(3, 3), [1, 1, 1]);
    assert.throws(() => splitEvenly(1, 2), /at least one/);
    assert.throws(() => splitEvenly(10, 0), /cannot split/);
  });

  it('pools the runs of several nodes into one: answers summed, percentiles over all', () => {
    const raw = (over: Partial<RawRun>): RawRun => ({
      duration: 3,
      latencies: [],
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      statuses: {},
      ...over,
    });
    // node 1 answers fast, node 2 slow: pooled p50 sits between, p99 is node 2's
    const fast = raw({
      latencies: Array(60).fill(1),
      statuses: { '200': 59, '503': 1 },
      non2xx: 1,
    });
    const slow = raw({
      duration: 3.1,
      latencies: Array(40).fill(10),
      statuses: { '200': 40 },
      errors: 2,
    });
    const m = summarize('invite', [fast, slow]);
    assert.equal(m.name, 'invite');
    assert.equal(m.responses, 100);
    assert.equal(m.seconds, 3.1);
    assert.equal(m.rps, 100 / 3.1);
    assert.equal(m.p50, 1);
    assert.equal(m.p99, 10);
    assert.deepEqual(m.statuses, { '200': 99, '503': 1 });
    assert.equal(m.non2xx, 1);
    assert.equal(m.errors, 2);
  });

  it('passes exactly once only when every invite has one message and every 2xx an invite', () => {
    const ok = exactlyOnce({ answered: 900, byMessages: { '1': 950 } });
    assert.deepEqual(ok, {
      pass: true,
      invited: 950,
      messages: 950,
      lost: 0,
      duplicated: 0,
      unrecorded: 0,
    });
    const lost = exactlyOnce({ answered: 900, byMessages: { '0': 3, '1': 947 } });
    assert.equal(lost.pass, false);
    assert.equal(lost.lost, 3);
    assert.equal(lost.messages, 947);
    const twice = exactlyOnce({ answered: 900, byMessages: { '1': 940, '2': 8, '3': 2 } });
    assert.equal(twice.pass, false);
    assert.equal(twice.duplicated, 10);
    assert.equal(twice.messages, 940 + 16 + 6);
    // an invite answered 2xx whose transaction is not in the database
    const unrecorded = exactlyOnce({ answered: 951, byMessages: { '1': 950 } });
    assert.equal(unrecorded.pass, false);
    assert.equal(unrecorded.unrecorded, 1);
    assert.equal(exactlyOnce({ answered: 0, byMessages: {} }).pass, false, 'nothing invited');
  });

  it("counts a database backend's CPU since the first reading, in full when it appeared since", () => {
    const before = new Map([
      [10, 1_000],
      [11, 5_000],
      [12, 7_000],
    ]);
    // 11 used 2,000 more, 12 ended (not seen), 13 connected during the run
    const after = new Map([
      [10, 1_000],
      [11, 7_000],
      [13, 3_000],
    ]);
    assert.equal(cpuBetween(before, after), 5_000);
  });
});
