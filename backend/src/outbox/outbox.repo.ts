import type { Db } from '../db/database.js';
import type { OutboxTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import type { JobKind, JobPayload } from './jobs/payloads.js';

export type OutboxJob = Selectable<OutboxTable>;

export async function enqueue<K extends JobKind>(
  db: Db,
  job: { accountId: string; kind: K; payload: JobPayload<K>; runAt: number; now: number },
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      account_id: job.accountId,
      kind: job.kind,
      payload_json: JSON.stringify(job.payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: job.runAt,
      locked_until: null,
      last_error: null,
      created_at: job.now,
      updated_at: job.now,
    })
    .execute();
}

/**
 * Claims the oldest due job. A job left `running` by a process that died is due again once its lease
 * runs out, so a crash between commit and send loses nothing.
 */
export async function claimNext(
  db: Db,
  now: number,
  leaseMs: number,
): Promise<OutboxJob | undefined> {
  return db.transaction().execute(async (tx) => {
    // two lookups that each use the (status, next_attempt_at) index, where one OR would not; a job
    // abandoned by a dead worker first (there are rarely any), so a busy queue cannot starve it
    const abandoned = await tx
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'running')
      .where('locked_until', '<', now)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    const job =
      abandoned ??
      (await tx
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst());
    if (!job) return undefined;
    await tx
      .updateTable('outbox')
      .set({ status: 'running', locked_until: now + leaseMs, updated_at: now })
      .where('id', '=', job.id)
      .execute();
    return { ...job, status: 'running' as const, locked_until: now + leaseMs };
  });
}

export async function completeJob(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'done', locked_until: null, updated_at: now })
    .where('id', '=', id)
    .execute();
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
