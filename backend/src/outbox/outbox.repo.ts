import type { Db } from '../db/database.js';
import { isPostgres } from '../db/engine.js';
import type { Database, OutboxTable } from '../db/schema.js';
import type { Selectable, SelectQueryBuilder } from 'kysely';
import { statement } from '../db/statement.js';
import type { JobKind, JobPayload } from './jobs/payloads.js';

export type OutboxJob = Selectable<OutboxTable>;

/** A job to queue: its kind and payload, and when it is due. */
export interface NewJob<K extends JobKind> {
  accountId: string;
  kind: K;
  payload: JobPayload<K>;
  runAt: number;
  now: number;
}

const insertJob = statement(
  (db, p: { accountId: string; kind: JobKind; payload: string; runAt: number; now: number }) =>
    db.insertInto('outbox').values({
      account_id: p.accountId,
      kind: p.kind,
      payload_json: p.payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: p.runAt,
      locked_until: null,
      last_error: null,
      created_at: p.now,
      updated_at: p.now,
    }),
);

export async function enqueue<K extends JobKind>(db: Db, job: NewJob<K>): Promise<void> {
  await insertJob.run(db, { ...job, payload: JSON.stringify(job.payload) });
}

/**
 * Claims up to `limit` jobs in one database transaction: first, when `abandoned` asks, any a dead
 * worker abandoned (left `running` past its lease, so a crash between commit and send loses
 * nothing; there are rarely any, and a busy queue cannot starve them), then the oldest due. Each
 * is one UPDATE … RETURNING whose subquery walks the (status, next_attempt_at) index, where one OR
 * would not. Atomic on both engines: SQLite's one writer, PostgreSQL's `FOR UPDATE SKIP LOCKED`.
 * Returned in the order they are to run.
 */
export async function claimDue(
  db: Db,
  claim: { now: number; leaseMs: number; limit: number; abandoned: boolean },
): Promise<OutboxJob[]> {
  const { now, leaseMs, limit } = claim;
  const lease = { status: 'running', locked_until: now + leaseMs, updated_at: now } as const;
  return db.transaction().execute(async (tx) => {
    // the jobs `pick` chooses, leased to this worker in one UPDATE … RETURNING
    // PostgreSQL: rows another node's claim holds are skipped, not waited for and then leased
    // twice (an `id in (…)` chosen before the wait would still match)
    const pg = isPostgres(tx);
    const take = (pick: (q: SelectQueryBuilder<Database, 'outbox', object>) => typeof q) =>
      tx
        .updateTable('outbox')
        .set(lease)
        .where(
          'id',
          'in',
          pick(tx.selectFrom('outbox'))
            .select('id')
            .$if(pg, (q) => q.forUpdate().skipLocked()),
        )
        .returningAll()
        .execute();
    const abandoned = !claim.abandoned
      ? []
      : await take((q) =>
          q
            .where('status', '=', 'running')
            .where('locked_until', '<', now)
            .orderBy('id')
            .limit(limit),
        );
    const room = limit - abandoned.length;
    const due =
      room <= 0
        ? []
        : await take((q) =>
            q
              .where('status', '=', 'pending')
              .where('next_attempt_at', '<=', now)
              .orderBy('next_attempt_at')
              .orderBy('id')
              .limit(room),
          );
    // RETURNING promises no order
    abandoned.sort((a, b) => a.id - b.id);
    due.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
    return [...abandoned, ...due];
  });
}

/**
 * Hands back claimed jobs this worker will not run after all (its round ran out of time), as they
 * were before the claim: due again at once, for any worker. Only those still under this claim's
 * lease, so a job another worker took over meanwhile stays its own.
 */
export async function releaseJobs(db: Db, jobs: readonly OutboxJob[], now: number): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ status: 'pending', locked_until: null, updated_at: now })
    .where(
      'id',
      'in',
      jobs.map((j) => j.id),
    )
    .where('status', '=', 'running')
    .where('locked_until', '=', jobs[0].locked_until)
    .execute();
}

const complete = statement((db, p: { id: number; now: number }) =>
  db
    .updateTable('outbox')
    .set({ status: 'done', locked_until: null, updated_at: p.now })
    .where('id', '=', p.id),
);

export async function completeJob(db: Db, id: number, now: number): Promise<void> {
  await complete.run(db, { id, now });
}

export async function retryJob(
  db: Db,
  id: number,
  r: { attempts: number; runAt: number; error: string; payload?: JobPayload<JobKind>; now: number },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: 'pending',
      attempts: r.attempts,
      next_attempt_at: r.runAt,
      locked_until: null,
      last_error: r.error,
      updated_at: r.now,
      ...(r.payload !== undefined && { payload_json: JSON.stringify(r.payload) }),
    })
    .where('id', '=', id)
    .execute();
}

export async function deadLetter(db: Db, id: number, error: string, now: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'dead', locked_until: null, last_error: error, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Jobs per unfinished status, for /metrics: an index-only count over (status, next_attempt_at). */
export async function countOutboxJobs(
  db: Db,
): Promise<Record<'pending' | 'running' | 'dead', number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'running', 'dead'])
    .groupBy('status')
    .execute();
  const jobs = { pending: 0, running: 0, dead: 0 };
  for (const { status, n } of rows) if (status !== 'done') jobs[status] = Number(n);
  return jobs;
}

/** When the longest-waiting due job became due (one index seek), or undefined when none is due. */
export async function oldestDueAt(db: Db, now: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  return row?.at ?? undefined;
}
