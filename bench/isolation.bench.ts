// Fairness between tenants (issue 11): account A has a long history and floods its heaviest
// allowed requests (59-day dashboard analytics as a read-only user, 59-day exports, widget
// subscribes) while account B's IVR asks for eligibility. B is measured alone, then under A's
// flood, in the same run against the same server. Goal: B's p99 under load <= 2 x its p99 alone.
//   npm run bench:isolation      (BENCH_ROWS=300000 calls for A, BENCH_SECONDS=10 per phase;
//   BENCH_PROF=dir writes CPU profiles of the server process and its threads there)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { startChild } from './children.js';
import type { IsolationReady } from './isolation-server.js';
import { drive, type Measured, type Target } from './load.js';
import { machineFacts } from './machine.js';
import { table } from './report.js';
import { bearer } from './reporting.bench.js';
import { phoneNumbers } from './targets.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** B's IVR: a few calls at a time, as a contact center's IVR sends them. */
const B_CONNECTIONS = 4;
/** A's flood: many dashboards, exports and widgets at once. */
const A_ANALYTICS_CONNECTIONS = 16;
const A_EXPORTS = 4;
const A_WIDGETS = 8;
const GOAL_RATIO = 2;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-bench-isolation-'));
  console.log(machineFacts().join('\n'));
  console.log(`seeding account A with ${ROWS.toLocaleString('en')} calls over 60 days…`);
  const server = await startChild<IsolationReady>('c2m', './isolation-server.ts', {
    env: { C2M_DATA_DIR: dataDir, BENCH_ROWS: String(ROWS) },
    execArgv: process.env.BENCH_PROF
      ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF]
      : [],
    timeoutMs: 600_000,
  });
  try {
    const ready = server.ready;
    const base = `http://127.0.0.1:${ready.port}`;
    console.log(`seeded in ${(ready.generatedMs / 1000).toFixed(1)} s`);
    const bToken = await bearer(base, ready.b.oauth2.clientId, ready.b.oauth2.clientSecret);
    const phone = phoneNumbers();
    const eligibility: Target = {
      name: 'B eligibility',
      url: `${base}/api/account/${ready.b.accountId}/eligibility?v=2.0`,
      headers: { authorization: `Bearer ${bToken}` },
      body: () =>
        JSON.stringify({
          skill: ready.b.skill,
          consumerPhoneNumber: phone(),
          handoffId: ready.b.handoffId,
        }),
    };
    // warm-up: B's path, and A's heavy reads once each (a worker thread starts on first use)
    await drive(eligibility, { connections: B_CONNECTIONS, seconds: 2 });
    const warm = await fetch(`${base}/api/admin/account/${ready.a.accountId}/reports/analytics`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ready.a.readOnlyToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(ready.window),
    });
    if (warm.status !== 200) throw new Error(`A's analytics answered ${warm.status}`);
    await warm.arrayBuffer();
    const alone = await drive(eligibility, { connections: B_CONNECTIONS, seconds: SECONDS });

    const flood = startFlood(base, ready);
    const [loaded, analytics] = await Promise.all([
      drive(eligibility, { connections: B_CONNECTIONS, seconds: SECONDS }),
      drive(
        {
          name: 'A analytics (59 days)',
          url: `${base}/api/admin/account/${ready.a.accountId}/reports/analytics`,
          headers: { authorization: `Bearer ${ready.a.readOnlyToken}` },
          body: () => JSON.stringify(ready.window),
        },
        { connections: A_ANALYTICS_CONNECTIONS, seconds: SECONDS },
      ),
    ]);
    const aSide = await flood.stop();

    const row = (phase: string, m: Measured) => [
      phase,
      m.rps.toFixed(0),
      m.p50.toFixed(1),
      m.p99.toFixed(1),
      String(m.responses),
      String(m.non2xx),
    ];
    console.log(`\nB's eligibility (${B_CONNECTIONS} connections, ${SECONDS} s per phase)`);
    console.log(
      table(
        ['phase', 'req/s', 'p50 ms', 'p99 ms', 'responses', 'non-2xx'],
        [row('B alone', alone), row("B under A's flood", loaded)],
      ),
    );
    console.log(`\nA's flood during the second phase`);
    console.log(
      table(
        ['what', 'answered', 'statuses / acks'],
        [
          [
            `analytics, ${A_ANALYTICS_CONNECTIONS} connections`,
            String(analytics.responses),
            statuses(analytics.statuses),
          ],
          [`exports, ${A_EXPORTS} at a time`, String(aSide.exports), statuses(aSide.exportStatus)],
          [
            `widget:subscribe, ${A_WIDGETS} sockets`,
            String(aSide.subscribes),
            statuses(aSide.acks),
          ],
        ],
      ),
    );
    const ratio = loaded.p99 / alone.p99;
    console.log(
      `\ngoal B p99 under load <= ${GOAL_RATIO} x B p99 alone: ${ratio <= GOAL_RATIO ? 'PASS' : 'FAIL'} ` +
        `(${loaded.p99.toFixed(1)} ms vs ${alone.p99.toFixed(1)} ms: ${ratio.toFixed(2)} x)`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const statuses = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ') || '-';

/** A's exports and widget subscribes, in loops until stopped; counts what each was answered. */
function startFlood(base: string, ready: IsolationReady) {
  let running = true;
  const exportStatus: Record<string, number> = {};
  const acks: Record<string, number> = {};
  let exports = 0;
  let subscribes = 0;
  const count = (to: Record<string, number>, key: string) => (to[key] = (to[key] ?? 0) + 1);
  const exporter = async () => {
    const [id, secret] = ready.a.reporting;
    const token = await bearer(base, id, secret);
    const { attemptedStartTime: from, attemptedEndTime: to } = ready.window;
    const url = `${base}/api/account/${ready.a.accountId}/app/c2m/exports/transactions.ndjson?attemptedStartTime=${from}&attemptedEndTime=${to}`;
    while (running) {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      count(exportStatus, String(res.status));
      // read it all, as a client would (a 429 waits its Retry-After, as a client should)
      for await (const chunk of res.body ?? []) void chunk;
      exports++;
      if (res.status === 429) await pause(1000);
    }
  };
  const widget = async () => {
    const socket = connect(base, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: ready.a.agentToken },
    });
    while (running) {
      const ack = (await socket
        .timeout(10_000)
        .emitWithAck('widget:subscribe', { consumerPhoneNumber: '+14151000001', limit: 50 })
        .catch(() => ({ error: { code: 'timeout' } }))) as { error?: { code: string } };
      count(acks, ack.error?.code ?? 'data');
      subscribes++;
    }
    socket.disconnect();
  };
  const loops = [
    ...Array.from({ length: A_EXPORTS }, exporter),
    ...Array.from({ length: A_WIDGETS }, widget),
  ];
  return {
    async stop() {
      running = false;
      await Promise.allSettled(loops);
      return { exports, exportStatus, subscribes, acks };
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await main();
