import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { pollLoop, type PollLoop } from '../../db/poll-loop.js';
import { claimMaintenance, pruneBatch, releaseMaintenance } from './retention.repo.js';

// Calls, transactions, messages (transcripts included), conversations, events and webhook
// deliveries are kept C2M_RETENTION_MONTHS (13, the product's figure), then deleted: a batch of
// at most C2M_RETENTION_BATCH rows of each kind at a time, with the event loop's turn between
// batches, so the API never waits behind a long delete. One node at a time prunes (a lease in
// maintenance_leases). The opt-out ledger is compliance evidence: it is kept until an operator
// prunes it (`c2m optout prune --before DATE`). The daily sums of reporting are kept (013).

/** How often the job looks for rows that came of age, once it has caught up. */
const RETENTION_POLL_MS = 60 * 60_000;
/** How long one batch may hold the job's lease, should its node die in the middle. */
const LEASE_MS = 60_000;
const JOB = 'retention';

/**
 * The oldest time kept: the start (UTC) of the day `months` calendar months before `now`. Whole
 * days, so reporting's facts are pruned a whole day at a time.
 */
export function retentionCutoff(now: number, months: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, d.getUTCDate());
}

export interface RetentionDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'retention'>;
}

/**
 * One batch, if retention is on and no other node is pruning: the rows deleted (0 when there is
 * nothing to do, or another node holds the lease).
 */
export async function retentionRound({ db, clock, config }: RetentionDeps): Promise<number> {
  const { months, batch } = config.retention;
  if (months === 0) return 0;
  const now = clock();
  if (!(await claimMaintenance(db, JOB, now, now + LEASE_MS))) return 0;
  try {
    return await pruneBatch(db, retentionCutoff(now, months), batch);
  } finally {
    await releaseMaintenance(db, JOB);
  }
}

/** The background job: a round at start, then hourly; while a round deletes, the next follows. */
export function retentionLoop(deps: RetentionDeps & { log: Logger }): PollLoop {
  return pollLoop(() => retentionRound(deps), {
    pollMs: RETENTION_POLL_MS,
    log: deps.log,
    name: 'retention',
  });
}
