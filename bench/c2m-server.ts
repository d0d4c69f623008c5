// The c2m under test, as its own process: the real startC2m on a file database in the data dir the
// parent gives (C2M_DATA_DIR), plus one bench account. Tells the parent its port over IPC and
// answers its questions: start or drain the outbox worker (started paused with
// C2M_OUTBOX_WORKER=0), how the transactions invited since a time stand, what the outbox holds.
import { sql } from 'kysely';
import { loadConfig } from '../backend/src/config.js';
import { startC2m } from '../backend/src/server.js';
import { sendToParent, type ReadyMessage } from './children.js';
import { seedBenchAccount, type BenchAccount } from './seed.js';

export interface C2mReady extends ReadyMessage, BenchAccount {}

/** What a drain did: jobs run by kind, and how long it took. */
export interface Drained {
  jobs: Record<string, number>;
  ms: number;
}

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  C2M_DEMO: '0',
  C2M_LOG_LEVEL: process.env.C2M_LOG_LEVEL ?? 'warn',
});
const c2m = await startC2m(config);
const seeded = await seedBenchAccount(c2m.deps, 'Bench');
const { db } = c2m.deps;

async function doneByKind(): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'done')
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

async function outstanding(): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Runs every job until the outbox is empty, receipts included (due at once when
 * C2M_SANDBOX_RECEIPT_MS is 0, else waited for).
 */
async function drain(): Promise<Drained> {
  const before = await doneByKind();
  const t0 = performance.now();
  for (;;) {
    const ran = await c2m.worker.drain();
    if (ran > 0) continue;
    if ((await outstanding()) === 0) break;
    await new Promise((ok) => setTimeout(ok, 5));
  }
  const ms = performance.now() - t0;
  const after = await doneByKind();
  const jobs = Object.fromEntries(
    Object.entries(after).map(([kind, n]) => [kind, n - (before[kind] ?? 0)]),
  );
  return { jobs, ms };
}

/** Transactions of the bench account invited at or after `since`, counted by status. */
async function statuses(args: { since: number }): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('transactions')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('account_id', '=', seeded.accountId)
    .where('invited_at', '>=', args.since)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // process.exit (not a natural end) so --cpu-prof still writes its profile
  c2m.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop); // the parent died: do not outlive it

sendToParent({ type: 'ready', port: c2m.port, ...seeded } satisfies C2mReady, {
  'worker-start': () => c2m.worker.start(),
  drain,
  statuses,
  outstanding,
});
