import { createHash } from 'node:crypto';
import type { ChannelName } from '../../../contract/channels.js';
import type { ProviderError } from '../../channels/types.js';
import { findAccount } from '../../modules/accounts/accounts.repo.js';
import { findCall } from '../../modules/deflection/calls.repo.js';
import { findTransaction, moveTransaction } from '../../modules/deflection/transactions.repo.js';
import { findChannelTemplate, findHandoff } from '../../modules/handoffs/handoffs.repo.js';
import { isOptedOut } from '../../modules/optouts/optouts.repo.js';
import { channelError, fallBack } from '../fallback.js';
import { markFailed, markSent } from '../messages.repo.js';
import { completeJob, deadLetter, retryJob, type OutboxJob } from '../outbox.repo.js';
import { renderInvite } from '../render.js';
import type { AppWork } from '../../modules/events/domain-events.js';
import {
  canRetry,
  failureText,
  retryLater,
  sendMessage,
  storeAttempt,
  type Attempt,
  type JobDeps,
  type JobHandler,
  type Settlement,
} from './job.js';
import type { SendJobPayload } from './payloads.js';

/**
 * The invite of a transaction on the first of its channels still to try. The job is closed only
 * after the transaction is marked sent, so a crash before that sends again with the same message
 * id, which the provider recognises.
 */
export const sendJob = {
  async run(deps: JobDeps, job: OutboxJob, payload: SendJobPayload): Promise<Settlement> {
    const { db, clock } = deps;
    const tx = await findTransaction(db, payload.transactionId);
    if (!tx || tx.status !== 'queued') return (w) => completeJob(w.db, job.id, clock());
    if (await isOptedOut(db, tx.account_id, tx.consumer_phone)) {
      return async (w) => {
        await moveTransaction(w, tx.id, {
          status: 'skipped',
          at: clock(),
          error: {
            source: 'c2m',
            code: 'opted_out',
            message: 'consumer opted out before the send',
          },
        });
        await completeJob(w.db, job.id, clock());
      };
    }
    const channel = payload.channels[0];
    const [account, call, handoff] = await Promise.all([
      findAccount(deps, tx.account_id),
      findCall(db, tx.account_id, tx.call_id),
      findHandoff(deps, tx.account_id, tx.handoff_id),
    ]);
    const handoffChannel = handoff?.channels.find((c) => c.name === channel);
    if (!account || !call || !handoffChannel) {
      const error = {
        errorSource: 'c2m',
        errorCode: '1500',
        errorMessage: 'handoff or call context no longer available',
      };
      return (w) => failed(w, deps, job, payload, channel, error);
    }
    const template =
      channel === 'wa' ? await findChannelTemplate(db, account.id, handoffChannel) : undefined;
    const { body, parameters } = renderInvite({
      channel,
      template: handoffChannel.message,
      ...(template && { templateBody: template.body }),
      variables: call.templateVariables,
      ...(handoffChannel.defaults && { defaults: handoffChannel.defaults }),
      overrideMessage: payload.overrideMessage,
      smsOptOutText: account.smsOptOutText,
    });
    const messageId = messageIdFor(tx.id, channel);
    const attempt = await sendMessage(deps, {
      messageId,
      accountId: account.id,
      transactionId: tx.id,
      conversationId: null,
      channel,
      to: channel === 'inapp' ? (call.consumerId ?? '') : tx.consumer_phone,
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
    });
    const { result } = attempt;
    if (!result.ok) return (w) => failed(w, deps, job, payload, channel, result, attempt);
    const sentAt = clock();
    // one commit: the message sent, the transaction sent, the job closed; a crash before it sends
    // again with the same message id
    return async (w) => {
      await storeAttempt(w.db, attempt);
      await markSent(w.db, messageId, result.providerMessageId, sentAt);
      await moveTransaction(w, tx.id, { status: 'sent', at: sentAt, channel });
      await completeJob(w.db, job.id, clock());
    };
  },

  /** Our own failure, attempted as often as a provider's transient one: the invite fails. */
  async giveUp(w: AppWork, deps: JobDeps, payload: SendJobPayload, error: string): Promise<void> {
    await moveTransaction(w, payload.transactionId, {
      status: 'failed',
      at: deps.clock(),
      error: { source: 'c2m', code: '5000', message: error },
    });
  },
} satisfies JobHandler<'send'>;

/**
 * A channel that refused: tried again later when the refusal is transient and attempts are left,
 * else the message fails and the invite falls back to the next channel, or fails with none left.
 */
async function failed(
  w: AppWork,
  deps: JobDeps,
  job: OutboxJob,
  payload: SendJobPayload,
  channel: ChannelName,
  result: ProviderError & { retryable?: boolean },
  attempt?: Attempt,
): Promise<void> {
  const { clock, log } = deps;
  const error = failureText(result);
  if (attempt) await storeAttempt(w.db, attempt);
  if (result.retryable && canRetry(deps, job)) return retryLater(w.db, deps, job, payload, error);
  if (attempt) {
    await markFailed(
      w.db,
      attempt.message.id,
      { code: result.errorCode, message: result.errorMessage },
      clock(),
    );
  }
  const cause = channelError(result);
  const now = clock();
  const fellBack = await fallBack(
    w,
    {
      accountId: job.account_id,
      transactionId: payload.transactionId,
      failed: channel,
      remaining: payload.channels.slice(1),
      error: cause,
      now,
    },
    // the same job, its attempts counted afresh, goes on with the channels left
    (tx, channels) =>
      retryJob(tx, job.id, {
        attempts: 0,
        runAt: now,
        error,
        payload: { ...payload, channels },
        now,
      }),
  );
  if (fellBack) {
    const to = payload.channels[1];
    log.info(
      { transactionId: payload.transactionId, from: channel, to, error },
      'channel failed, falling back',
    );
    return;
  }
  await moveTransaction(w, payload.transactionId, {
    status: 'failed',
    at: clock(),
    channel,
    error: cause,
  });
  await deadLetter(w.db, job.id, error, clock());
}

/** Stable per transaction and channel, so a retried send carries the same id to the provider. */
export function messageIdFor(transactionId: string, channel: string): string {
  const h = createHash('sha256').update(`${transactionId}:${channel}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
