// The c2m under test, as its own process: the real startC2m on the database its environment names
// (the file in C2M_DATA_DIR, or C2M_DATABASE_URL), plus one bench account — seeded by the first
// node, handed to the others in BENCH_ACCOUNT. Tells the parent its port over IPC and answers its
// questions: start or drain the outbox worker (started paused with C2M_OUTBOX_WORKER=0), how the
// transactions invited since a time stand and how many messages each has, what the outbox holds.
import { sql } from 'kysely';
import { loadConfig } from '../backend/src/config.js';
import { startC2m } from '../backend/src/server.js';
import { sendToParent, type ReadyMessage } from './children.js';
import { seedBenchAccount, type BenchAccount } from './seed.js';

export interface C2mReady extends ReadyMessage, BenchAccount {}

/**
 * How long a drain took and how many jobs this node claimed (jobs done: `done-by-kind` before and
 * after, the outbox being shared).
 */
export interface Drained {
  ms: number;
  claimed: number;
}

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  C2M_DEMO: '0',
  C2M_LOG_LEVEL: process.env.C2M_LOG_LEVEL ?? 'warn',
});
const c2m = await startC2m(config);
const seeded: BenchAccount = process.env.BENCH_ACCOUNT
  ? (JSON.parse(process.env.BENCH_ACCOUNT) as BenchAccount)
  : await seedBenchAccount(c2m.deps, 'Bench');
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
 * C2M_SANDBOX_RECEIPT_MS is 0, else waited for). With several nodes each drains the one outbox
 * until none is left, jobs another node holds included.
 */
async function drain(): Promise<Drained> {
  const t0 = performance.now();
  let claimed = 0;
  for (;;) {
    const ran = await c2m.worker.drain();
    claimed += ran;
    if (ran > 0) continue;
    if ((await outstanding()) === 0) break;
    await new Promise((ok) => setTimeout(ok, 5));
  }
  return { ms: performance.now() - t0, claimed };
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

/**
 * Transactions of the bench account invited at or after `since`, by how many outbound messages
 * each has ({ "1": n } when every invite was sent exactly once).
 */
async function messagesPerInvite(args: { since: number }): Promise<Record<string, number>> {
  const perTransaction = db
    .selectFrom('transactions as t')
    .leftJoin('messages as m', (j) =>
      j.onRef('m.transaction_id', '=', 't.id').on('m.direction', '=', 'outbound'),
    )
    .select(['t.id', sql<number>`count(m.id)`.as('messages')])
    .where('t.account_id', '=', seeded.accountId)
    .where('t.invited_at', '>=', args.since)
    .groupBy('t.id')
    .as('per');
  const rows = await db
    .selectFrom(perTransaction)
    .select(['per.messages', sql<number>`count(*)`.as('n')])
    .groupBy('per.messages')
    .execute();
  return Object.fromEntries(rows.map((r) => [String(r.messages), r.n]));
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
  'done-by-kind': doneByKind,
  statuses,
  'messages-per-invite': messagesPerInvite,
  outstanding,
});
