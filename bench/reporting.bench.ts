// Reporting at scale: 1,000,000 calls over 60 days written through the real schema (the triggers
// keep the sums; bench/history.ts writes them, with their events and messages), then a real c2m answers 60-day analytics and streams a 60-day export over HTTP.
// Goals (issue 6): analytics for 60 days < 200 ms; export >= 50,000 rows/s.
//   npm run bench:reporting            (BENCH_ROWS=200000 for a quicker run)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DAY_MS } from '../backend/contract/reporting.js';
import { loadConfig } from '../backend/src/config.js';
import { createOAuth2Credential } from '../backend/src/modules/accounts/credentials.service.js';
import { startC2m } from '../backend/src/server.js';
import { generate, HISTORY_DAYS as DAYS } from './history.js';
import { machineFacts } from './machine.js';
import { table } from './report.js';
import { seedBenchAccount } from './seed.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const GOAL_ANALYTICS_MS = 200;
const GOAL_EXPORT_ROWS_PER_S = 50_000;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-bench-reporting-'));
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const start = end - DAYS * DAY_MS;
  const config = loadConfig({
    C2M_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    C2M_DEMO: '0',
    C2M_REPORTING_RATE_LIMIT: '0',
    C2M_OUTBOX_WORKER: '0',
  });
  const c2m = await startC2m(config, { log: pino({ level: 'silent' }) });
  try {
    const account = await seedBenchAccount(c2m.deps, 'Reporting bench');
    const credential = await createOAuth2Credential(c2m.deps.db, {
      accountId: account.accountId,
      name: 'reporting bench',
      permissions: ['reporting'],
      now: Date.now(),
    });

    console.log(machineFacts().join('\n'));
    console.log(`generating ${ROWS.toLocaleString('en')} calls over ${DAYS} days…`);
    const generated = generate(join(dataDir, 'c2m.sqlite'), account.accountId, start, ROWS);
    console.log(
      `generated in ${(generated.ms / 1000).toFixed(1)} s (${Math.round((ROWS / generated.ms) * 1000).toLocaleString('en')} calls/s through the reporting triggers; ${generated.events.toLocaleString('en')} events, ${generated.messages.toLocaleString('en')} messages); ` +
        `sums rows: ${generated.sumsRows.toLocaleString('en')}`,
    );

    const token = await bearer(c2m.url, credential.clientId, credential.clientSecret);
    const base = `${c2m.url}/api/account/${account.accountId}/app/c2m`;
    const window = `attemptedStartTime=${start}&attemptedEndTime=${end}`;
    const auth = { Authorization: `Bearer ${token}` };

    // a window that starts and ends inside a day, as "the last 60 days until now" does
    const ragged = `attemptedStartTime=${start + 7 * 3_600_000}&attemptedEndTime=${end - 5 * 3_600_000}`;
    const analytics = async (body?: unknown, query = window) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/analytics?${query}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as { analytics: { attempted: number }[] };
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`analytics answered ${res.status}`);
      return { ms, rows: json.analytics.length, attempted: sum(json.analytics) };
    };
    const cases: [string, unknown, string?][] = [
      ['60 days, channel × skill × day', undefined],
      ['60 days from 07:00 to 19:00', undefined, ragged],
      ['60 days, + handoff', { groupby: ['handoff'] }],
      ['60 days, + handoff + IVR number', { groupby: ['handoff', 'ivrnumber'] }],
      ['60 days, filtered: sms, 2 skills', { channels: ['sms'], skills: ['sales', 'billing'] }],
    ];
    const analyticsRows: string[][] = [];
    let worstP50 = 0;
    for (const [name, body, query] of cases) {
      await analytics(body, query); // warm the statement cache
      const runs = [];
      for (let i = 0; i < 15; i++) runs.push(await analytics(body, query));
      const times = runs.map((r) => r.ms).sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length / 2)];
      worstP50 = Math.max(worstP50, p50);
      if (body === undefined && query === undefined && runs[0].attempted !== ROWS) {
        throw new Error(`analytics counted ${runs[0].attempted} attempts, generated ${ROWS}`);
      }
      analyticsRows.push([
        name,
        String(runs[0].rows),
        runs[0].attempted.toLocaleString('en'),
        p50.toFixed(1),
        times[times.length - 1].toFixed(1),
      ]);
    }
    console.log('\nanalytics over HTTP (15 runs each, after one warm-up)');
    console.log(table(['request', 'rows', 'attempted', 'p50 ms', 'max ms'], analyticsRows));

    const exportRows: string[][] = [];
    let worstRate = Infinity;
    for (const format of ['ndjson', 'csv'] as const) {
      const url = `${base}/exports/transactions.${format}?${window}`;
      const { lines, bytes, seconds } = await download(url, auth.Authorization);
      const records = format === 'csv' ? lines - 1 : lines;
      if (records !== ROWS)
        throw new Error(`${format} export gave ${records} rows, expected ${ROWS}`);
      const rate = records / seconds;
      worstRate = Math.min(worstRate, rate);
      exportRows.push([
        format,
        records.toLocaleString('en'),
        (bytes / 2 ** 20).toFixed(0),
        seconds.toFixed(1),
        Math.round(rate).toLocaleString('en'),
      ]);
    }
    console.log(
      '\nexport of the 60-day window over HTTP to a client process (every record, streamed)',
    );
    console.log(table(['format', 'rows', 'MiB', 'seconds', 'rows/s'], exportRows));

    console.log(
      `\ngoal analytics p50 < ${GOAL_ANALYTICS_MS} ms: ${worstP50 < GOAL_ANALYTICS_MS ? 'PASS' : 'MISSED'} (worst case ${worstP50.toFixed(1)} ms)`,
    );
    console.log(
      `goal export >= ${GOAL_EXPORT_ROWS_PER_S.toLocaleString('en')} rows/s: ${worstRate >= GOAL_EXPORT_ROWS_PER_S ? 'PASS' : 'MISSED'} (slowest ${Math.round(worstRate).toLocaleString('en')} rows/s)`,
    );
  } finally {
    await c2m.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Downloads in a child process, as a user's client would: the reading does not share c2m's event
 * loop or core. Counts line feeds in the bytes.
 */
async function download(url: string, authorization: string) {
  const script = `
    const t0 = performance.now();
    const res = await fetch(process.argv[1], { headers: { Authorization: process.argv[2] } });
    if (res.status !== 200) throw new Error('export answered ' + res.status);
    let lines = 0, bytes = 0;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
    console.log(JSON.stringify({ lines, bytes, seconds: (performance.now() - t0) / 1000 }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, url, authorization], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`the download exited with ${code}`);
  return JSON.parse(out) as { lines: number; bytes: number; seconds: number };
}

const sum = (rows: { attempted: number }[]) => rows.reduce((n, r) => n + r.attempted, 0);

export async function bearer(url: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

// run as a script (not when a profiling or experiment script imports `generate`)
if (import.meta.url === `file://${process.argv[1]}`) await main();
