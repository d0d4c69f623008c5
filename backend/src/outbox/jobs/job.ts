import type { Logger } from 'pino';
import type { SendInput, SendResult } from '../../channels/types.js';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { ReadCache } from '../../db/read-cache.js';
import { backoffDelay } from '../../db/poll-loop.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { AppUnitOfWork, AppWork } from '../../modules/events/domain-events.js';
import type { ChannelRegistry } from '../../modules/providers/channel-registry.js';
import { storeOutbound, type OutboundMessage } from '../messages.repo.js';
import { retryJob, type OutboxJob } from '../outbox.repo.js';
import type { JobKind, JobPayload } from './payloads.js';

/** What the outbox's jobs run with. */
export interface JobDeps {
  db: Db;
  /** The app's memo of the account and handoff each send reads. */
  reads: ReadCache;
  /** Status changes and their events go through it, published after each commit. */
  uow: AppUnitOfWork;
  log: Logger;
  clock: Clock;
  channels: ChannelRegistry;
  config: Config['outbox'];
  /** c2m's public base URL, for the status callbacks providers are told to call. */
  publicUrl?: () => string;
  metrics: Pick<Metrics, 'sends'>;
}

/**
 * What an attempt leaves to write: the job settled (done, retried or dead) with everything that
 * goes with it (the message, the transaction's status and its events). The worker commits the
 * settlements of several jobs in one unit of work; each is whole on its own, so one that fails is
 * committed again alone.
 */
export type Settlement = (w: AppWork) => Promise<void>;

/**
 * One kind of job: runs it once (reads, the provider's call) and returns how it settles, unless
 * it throws.
 */
export interface JobHandler<K extends JobKind> {
  run(deps: JobDeps, job: OutboxJob, payload: JobPayload<K>): Promise<Settlement>;
  /** What else fails when the worker gives the job up after it threw on its last attempt. */
  giveUp?(w: AppWork, deps: JobDeps, payload: JobPayload<K>, error: string): Promise<void>;
}

/** Whether a transient failure of this attempt leaves another one. */
export function canRetry(deps: JobDeps, job: OutboxJob): boolean {
  return job.attempts + 1 < deps.config.maxAttempts;
}

/** Puts the job back for another attempt after the capped exponential backoff. */
export async function retryLater<K extends JobKind>(
  db: Db,
  deps: Pick<JobDeps, 'clock' | 'config'>,
  job: OutboxJob,
  payload: JobPayload<K>,
  error: string,
): Promise<void> {
  const { clock, config } = deps;
  const delay = backoffDelay(job.attempts, config.backoffMs, config.backoffMaxMs);
  await retryJob(db, job.id, {
    attempts: job.attempts + 1,
    runAt: clock() + delay,
    error,
    payload,
    now: clock(),
  });
}

/** A provider's refusal as one line for the job's `last_error`. */
export function failureText(e: { errorSource: string; errorCode: string; errorMessage: string }) {
  return `${e.errorSource}_${e.errorCode}: ${e.errorMessage}`;
}

/** A provider's answer to one attempt, and the message to store with its settlement. */
export interface Attempt {
  result: SendResult;
  message: OutboundMessage;
}

/**
 * Hands the message to the channel's provider with the status callback of the account's provider,
 * and counts the provider's answer. The message is stored by the attempt's settlement (a retry of
 * the same id stores nothing): a crash before that commit sends again with the same id, which the
 * provider recognises, as a crash between the send and its status update always did.
 */
export async function sendMessage(
  deps: JobDeps,
  m: Omit<SendInput, 'statusCallbackUrl'> & { conversationId: string | null },
): Promise<Attempt> {
  const { conversationId, ...input } = m;
  const adapter = await deps.channels.adapterFor(m.accountId, m.channel);
  const message: OutboundMessage = {
    id: m.messageId,
    accountId: m.accountId,
    transactionId: m.transactionId,
    conversationId,
    channel: m.channel,
    provider: adapter.provider,
    to: m.to,
    from: m.from ?? null,
    body: m.body,
    now: deps.clock(),
  };
  const base = deps.publicUrl?.() ?? '';
  const result = await adapter.send({
    ...input,
    statusCallbackUrl: `${base}/webhooks/${adapter.provider}/${m.accountId}`,
  });
  // the provider's answer to this one attempt, before any retry or fallback is decided
  const outcome = result.ok ? 'sent' : result.retryable ? 'retryable_error' : 'error';
  deps.metrics.sends.inc({ channel: m.channel, result: outcome });
  return { result, message };
}

/** The attempt's message, stored (once) by its settlement. */
export function storeAttempt(db: Db, attempt: Attempt): Promise<void> {
  return storeOutbound(db, attempt.message);
}
