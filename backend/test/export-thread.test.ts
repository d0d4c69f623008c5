// engine: sqlite
// Exports read and format on a worker thread: the request thread only writes the chunks it is
// handed, so a large export leaves it free for other accounts; a client that leaves frees its place.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { databaseFile } from '../src/db/database.js';
import {
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const ROWS = 100_000;
const HOUR_MS = 3_600_000;

describe('exports off the request thread', () => {
  let t: TestC2m;
  let a: SeededAccount;

  before(async () => {
    t = await startTestC2m({ C2M_QUERY_PER_ACCOUNT: '1', C2M_REPORTING_RATE_LIMIT: '0' });
    a = await seedAccount(t, { permissions: ['ivr', 'reporting'] });
    const res = await ivrClient(t, a).eligibility({
      skill: 'sales',
      consumerPhoneNumber: '+14155550101',
      handoffId: a.handoffs.sms,
    });
    assert.equal(res.status, 200);
    // copies of that call, one per millisecond, written beside the server as the CLI would
    const sqlite = new SqliteDatabase(databaseFile(t.dataDir));
    const call = sqlite
      .prepare('select * from calls where account_id = ?')
      .get(a.accountId) as Record<string, unknown>;
    const columns = Object.keys(call);
    const insert = sqlite.prepare(
      `insert into calls (${columns.join(',')}) values (${columns.map((c) => `@${c}`).join(',')})`,
    );
    sqlite.transaction(() => {
      for (let i = 1; i < ROWS; i++) {
        insert.run({ ...call, id: `${String(call.id)}-${i}`, created_at: t.clock.now() - i });
      }
    })();
    sqlite.close();
  });
  after(() => t.close());

  const exportUrl = (name: string) =>
    `${t.url}/api/account/${a.accountId}/app/c2m/exports/${name}` +
    `?attemptedStartTime=${t.clock.now() - HOUR_MS}&attemptedEndTime=${t.clock.now() + HOUR_MS}`;
  const auth = (url: string) => ({ Authorization: oauth1Header(a.oauth1, 'GET', url) });

  it('keeps the request thread free while a 100k-row export streams', async () => {
    // the export thread starts on first use: started before the measure
    const warm = exportUrl('optouts.csv');
    const warmed = await fetch(warm, { headers: auth(warm) });
    assert.equal(warmed.status, 200);
    await warmed.arrayBuffer();
    const url = exportUrl('transactions.csv');
    // the client is another process, so this thread's time is the server's alone
    const curl = spawn('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{size_download}',
      '-H',
      `Authorization: ${auth(url).Authorization}`,
      url,
    ]);
    let out = '';
    curl.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const busyBefore = performance.eventLoopUtilization();
    delay.enable();
    const [code] = (await once(curl, 'close')) as [number];
    delay.disable();
    const busy = performance.eventLoopUtilization(busyBefore);
    const [status, bytes] = out.split(' ').map(Number);
    assert.equal(code, 0);
    assert.equal(status, 200);
    assert.ok(bytes > ROWS * 50, `${bytes} bytes for ${ROWS} rows`);
    // reading and formatting 100k rows here would keep this thread busy most of the time
    assert.ok(busy.utilization < 0.35, `request thread busy ${busy.utilization.toFixed(2)}`);
    const p99 = delay.percentile(99) / 1e6;
    assert.ok(p99 < 50, `event loop delay p99 ${p99.toFixed(1)} ms`);
  });

  it("gives the account's place back when the client leaves mid-export", async () => {
    const url = exportUrl('transactions.ndjson');
    const leaving = new AbortController();
    const res = await fetch(url, { headers: auth(url), signal: leaving.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    assert.ok((await reader.read()).value!.length > 0);
    // the one place (C2M_QUERY_PER_ACCOUNT=1) is held while the export is open
    const meanwhile = exportUrl('optouts.csv');
    const refused = await fetch(meanwhile, { headers: auth(meanwhile) });
    assert.equal(refused.status, 429);
    await refused.arrayBuffer();
    leaving.abort();
    await waitFor(async () => {
      const next = exportUrl('optouts.csv');
      const again = await fetch(next, { headers: auth(next) });
      await again.arrayBuffer();
      return again.status === 200;
    }, 'a following export admitted');
  });
});
