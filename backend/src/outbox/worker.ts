import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ChannelName } from '../../contract/channels.js';
import type { Clock } from '../clock.js';
import type { ChannelRegistry } from '../modules/providers/channel-registry.js';
import type { SendResult } from '../channels/types.js';
import type { Config } from '../config.js';
import { afterFailedRound } from '../db/busy.js';
import type { Db } from '../db/database.js';
import type { Metrics } from '../metrics/metrics.js';
import { findAccount } from '../modules/accounts/accounts.repo.js';
import { findCall } from '../modules/deflection/calls.repo.js';
import { findTransaction, moveTransaction } from '../modules/deflection/transactions.repo.js';
import { findChannelTemplate, findHandoff } from '../modules/handoffs/handoffs.repo.js';
import { isOptedOut } from '../modules/optouts/optouts.repo.js';
import {
  claimNext,
  completeJob,
  deadLetter,
  retryJob,
  type OutboxJob,
  type ReceiptJobPayload,
  type ReplyJobPayload,
  type SendJobPayload,
} from './outbox.repo.js';
import { markFailed, markSent, storeOutbound } from './messages.repo.js';
import { renderInvite } from './render.js';

export interface WorkerDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  channels: ChannelRegistry;
  config: Config['outbox'];
  /** c2m's public base URL, for the status callbacks providers are told to call. */
  publicUrl?: () => string;
  metrics: Pick<Metrics, 'sends'>;
}

/**
 * Drains the outbox one job at a time: sends with retries and capped exponential backoff, falls back
 * to the next channel when one fails for good, and dead-letters when none is left.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private running = false;
  private wakeRequested = false;

  constructor(private readonly deps: WorkerDeps) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Run soon: something was just committed. */
  nudge(): void {
    if (!this.running) return;
    if (this.current) this.wakeRequested = true;
    else this.schedule(0);
  }

  /** Stops taking jobs and waits for the one in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  /** Processes every job that is due now; returns how many ran. */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.runOne()) n++;
    return n;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (!this.running || this.current) return;
    let worked = false;
    let nextMs = this.deps.config.pollMs;
    do {
      this.wakeRequested = false;
      this.current = this.runOne()
        .then((did) => {
          worked = did;
        })
        .catch((err: unknown) => {
          worked = false;
          nextMs = afterFailedRound(this.deps.log, 'outbox tick', err, this.deps.config.pollMs);
        });
      await this.current;
      this.current = undefined;
      // better-sqlite3 and the sandbox never wait on I/O: give requests their turn between jobs
      await yieldToEventLoop();
    } while (this.running && (worked || this.wakeRequested));
    if (this.running) this.schedule(nextMs);
  }

  private async runOne(): Promise<boolean> {
    const job = await claimNext(this.deps.db, this.deps.clock(), this.deps.config.leaseMs);
    if (!job) return false;
    try {
      if (job.kind === 'send') await this.send(job);
      else if (job.kind === 'receipt') await this.receipt(job);
      else if (job.kind === 'reply') await this.reply(job);
      else
        await deadLetter(this.deps.db, job.id, `unknown job kind ${job.kind}`, this.deps.clock());
    } catch (err) {
      // our own failure (not the provider's): retry later like a transient provider error
      this.deps.log.error({ err, jobId: job.id }, 'outbox job failed');
      await this.retryOrGiveUp(job, JSON.parse(job.payload_json) as unknown, String(err));
    }
    return true;
  }

  private async send(job: OutboxJob): Promise<void> {
    const { db, clock } = this.deps;
    const payload = JSON.parse(job.payload_json) as SendJobPayload;
    const tx = await findTransaction(db, payload.transactionId);
    if (!tx || tx.status !== 'queued') return completeJob(db, job.id, clock());
    if (await isOptedOut(db, tx.account_id, tx.consumer_phone)) {
      await moveTransaction(db, tx.id, {
        status: 'skipped',
        at: clock(),
        error: { source: 'c2m', code: 'opted_out', message: 'consumer opted out before the send' },
      });
      return completeJob(db, job.id, clock());
    }
    const channel = payload.channels[0] as ChannelName;
    const [account, call, handoff] = await Promise.all([
      findAccount(db, tx.account_id),
      findCall(db, tx.account_id, tx.call_id),
      findHandoff(db, tx.account_id, tx.handoff_id),
    ]);
    const handoffChannel = handoff?.channels.find((c) => c.name === channel);
    if (!account || !call || !handoffChannel) {
      return this.fail(job, payload, tx.id, channel, {
        errorSource: 'c2m',
        errorCode: '1500',
        errorMessage: 'handoff or call context no longer available',
      });
    }
    const template =
      channel === 'wa' ? await findChannelTemplate(db, account.id, handoffChannel) : undefined;
    const { body, parameters } = renderInvite({
      channel,
      template: handoffChannel.message,
      ...(template && { templateBody: template.body }),
      variables: call.templateVariables,
      overrideMessage: payload.overrideMessage,
      smsOptOutText: account.smsOptOutText,
    });
    const adapter = await this.deps.channels.adapterFor(account.id, channel);
    const messageId = messageIdFor(tx.id, channel);
    const to = channel === 'inapp' ? (call.consumerId ?? '') : tx.consumer_phone;
    const now = clock();
    await storeOutbound(db, {
      id: messageId,
      accountId: account.id,
      transactionId: tx.id,
      conversationId: null,
      channel,
      provider: adapter.provider,
      to,
      from: handoffChannel.outboundNumber ?? null,
      body,
      now,
    });

    const result = await adapter.send({
      messageId,
      accountId: account.id,
      transactionId: tx.id,
      channel,
      to,
      from: handoffChannel.outboundNumber,
      body,
      ...(handoffChannel.templateName && {
        template: {
          name: handoffChannel.templateName,
          language: handoffChannel.templateLanguage ?? 'en',
          parameters,
        },
      }),
      ...(handoffChannel.apps && { apps: handoffChannel.apps }),
      statusCallbackUrl: `${this.deps.publicUrl?.() ?? ''}/webhooks/${adapter.provider}/${account.id}`,
    });
    this.countSend(channel, result);
    if (!result.ok) return this.fail(job, payload, tx.id, channel, result, messageId);
    const sentAt = clock();
    await markSent(db, messageId, result.providerMessageId, sentAt);
    await moveTransaction(db, tx.id, { status: 'sent', at: sentAt, channel });
    await completeJob(db, job.id, clock());
  }

  private async fail(
    job: OutboxJob,
    payload: SendJobPayload,
    transactionId: string,
    channel: ChannelName,
    result: Omit<Extract<SendResult, { ok: false }>, 'ok' | 'retryable'> & { retryable?: boolean },
    messageId?: string,
  ): Promise<void> {
    const { db, clock, log, config } = this.deps;
    const error = `${result.errorSource}_${result.errorCode}: ${result.errorMessage}`;
    if (result.retryable && job.attempts + 1 < config.maxAttempts) {
      return this.retryOrGiveUp(job, payload, error);
    }
    if (messageId) {
      await markFailed(
        db,
        messageId,
        { code: result.errorCode, message: result.errorMessage },
        clock(),
      );
    }
    const rest = payload.channels.slice(1);
    if (rest.length > 0) {
      log.info(
        { transactionId, from: channel, to: rest[0], error },
        'channel failed, falling back',
      );
      await db
        .insertInto('events')
        .values({
          account_id: job.account_id,
          type: 'transaction.channel_failed',
          transaction_id: transactionId,
          payload_json: JSON.stringify({ channel, next: rest[0], error }),
          at: clock(),
        })
        .execute();
      return retryJob(db, job.id, {
        attempts: 0,
        runAt: clock(),
        error,
        payload: { ...payload, channels: rest },
        now: clock(),
      });
    }
    await moveTransaction(db, transactionId, {
      status: 'failed',
      at: clock(),
      channel,
      error: { source: result.errorSource, code: result.errorCode, message: result.errorMessage },
    });
    await deadLetter(db, job.id, error, clock());
  }

  private async retryOrGiveUp(job: OutboxJob, payload: unknown, error: string): Promise<void> {
    const { db, clock, config } = this.deps;
    const attempts = job.attempts + 1;
    if (attempts >= config.maxAttempts) {
      if (job.kind === 'send') {
        const { transactionId } = payload as SendJobPayload;
        await moveTransaction(db, transactionId, {
          status: 'failed',
          at: clock(),
          error: { source: 'c2m', code: '5000', message: error },
        });
      }
      return deadLetter(db, job.id, error, clock());
    }
    // capped exponential backoff with full jitter on the upper half
    const ceiling = Math.min(config.backoffMaxMs, config.backoffMs * 2 ** job.attempts);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    await retryJob(db, job.id, { attempts, runAt: clock() + delay, error, payload, now: clock() });
  }

  /** Sends a conversation or system message on one channel: retried, never falls back. */
  private async reply(job: OutboxJob): Promise<void> {
    const { db, clock } = this.deps;
    const p = JSON.parse(job.payload_json) as ReplyJobPayload;
    const channel = p.channel as ChannelName;
    if (!p.system && (await isOptedOut(db, job.account_id, p.to))) {
      return deadLetter(db, job.id, 'recipient opted out', clock());
    }
    const adapter = await this.deps.channels.adapterFor(job.account_id, channel);
    const now = clock();
    await storeOutbound(db, {
      id: p.messageId,
      accountId: job.account_id,
      transactionId: null,
      conversationId: p.conversationId ?? null,
      channel,
      provider: adapter.provider,
      to: p.to,
      from: p.from ?? null,
      body: p.body,
      now,
    });
    const result = await adapter.send({
      messageId: p.messageId,
      accountId: job.account_id,
      transactionId: null,
      channel,
      to: p.to,
      from: p.from,
      body: p.body,
      statusCallbackUrl: `${this.deps.publicUrl?.() ?? ''}/webhooks/${adapter.provider}/${job.account_id}`,
    });
    this.countSend(channel, result);
    if (result.ok) {
      await markSent(db, p.messageId, result.providerMessageId, clock());
      return completeJob(db, job.id, clock());
    }
    const error = `${result.errorSource}_${result.errorCode}: ${result.errorMessage}`;
    if (result.retryable && job.attempts + 1 < this.deps.config.maxAttempts) {
      return this.retryOrGiveUp(job, p, error);
    }
    await markFailed(
      db,
      p.messageId,
      { code: result.errorCode, message: result.errorMessage },
      clock(),
    );
    await deadLetter(db, job.id, error, clock());
  }

  /** The provider's answer to one attempt, before any retry or fallback is decided. */
  private countSend(channel: ChannelName, result: SendResult): void {
    const outcome = result.ok ? 'sent' : result.retryable ? 'retryable_error' : 'error';
    this.deps.metrics.sends.inc({ channel, result: outcome });
  }

  private async receipt(job: OutboxJob): Promise<void> {
    const { db, clock } = this.deps;
    const { messageId, status } = JSON.parse(job.payload_json) as ReceiptJobPayload;
    const message = await db
      .selectFrom('messages')
      .select(['transaction_id', 'status'])
      .where('id', '=', messageId)
      .executeTakeFirst();
    // only a message that is still on its way advances; a late receipt of a message that failed
    // (and whose transaction fell back to another channel) changes nothing
    const advances =
      message !== undefined &&
      (message.status === 'sent' || (message.status === 'delivered' && status === 'read'));
    if (advances) {
      const now = clock();
      await db
        .updateTable('messages')
        .set({ status, updated_at: now })
        .where('id', '=', messageId)
        .execute();
      if (message.transaction_id) {
        await moveTransaction(db, message.transaction_id, { status, at: now });
      }
    }
    await completeJob(db, job.id, clock());
  }
}

/** Stable per transaction and channel, so a retried send carries the same id to the provider. */
export function messageIdFor(transactionId: string, channel: string): string {
  const h = createHash('sha256').update(`${transactionId}:${channel}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
