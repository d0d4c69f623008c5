import { PollLoop } from '../db/poll-loop.js';
import { claimNext, deadLetter, type OutboxJob } from './outbox.repo.js';
import { canRetry, retryLater, type JobDeps } from './jobs/job.js';
import { parseJob, type TypedJob } from './jobs/payloads.js';
import { receiptJob } from './jobs/receipt.js';
import { replyJob } from './jobs/reply.js';
import { sendJob } from './jobs/send.js';

/**
 * Drains the outbox one job at a time on the shared poll loop: each job runs by its kind
 * (jobs/send.ts, reply.ts, receipt.ts), and a job that throws is retried with backoff like a
 * transient provider error, then dead-lettered.
 */
export class OutboxWorker extends PollLoop {
  constructor(private readonly deps: JobDeps) {
    super({ pollMs: deps.config.pollMs, log: deps.log, name: 'outbox' });
  }

  protected override async round(): Promise<number> {
    return (await this.runOne()) ? 1 : 0;
  }

  /** Processes every job that is due now; returns how many ran. */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.runOne()) n++;
    return n;
  }

  private async runOne(): Promise<boolean> {
    const { db, clock, log } = this.deps;
    const row = await claimNext(db, clock(), this.deps.config.leaseMs);
    if (!row) return false;
    const job = parseJob(row.kind, row.payload_json);
    // a kind or payload this version cannot read will not become readable by waiting
    if ('error' in job) await deadLetter(db, row.id, job.error, clock());
    else {
      try {
        await run(this.deps, row, job);
      } catch (err) {
        // our own failure (not the provider's): retried later like a transient provider error
        log.error({ err, jobId: row.id }, 'outbox job failed');
        await this.retryOrGiveUp(row, job, String(err));
      }
    }
    return true;
  }

  private async retryOrGiveUp(row: OutboxJob, job: TypedJob, error: string): Promise<void> {
    if (canRetry(this.deps, row)) return retryLater(this.deps, row, job.payload, error);
    await giveUp(this.deps, job, error);
    await deadLetter(this.deps.db, row.id, error, this.deps.clock());
  }
}

function run(deps: JobDeps, row: OutboxJob, job: TypedJob): Promise<void> {
  switch (job.kind) {
    case 'send':
      return sendJob.run(deps, row, job.payload);
    case 'reply':
      return replyJob.run(deps, row, job.payload);
    case 'receipt':
      return receiptJob.run(deps, row, job.payload);
  }
}

/** What else fails with a job given up after its last attempt: an invite fails its transaction. */
async function giveUp(deps: JobDeps, job: TypedJob, error: string): Promise<void> {
  if (job.kind === 'send') await sendJob.giveUp(deps, job.payload, error);
}
