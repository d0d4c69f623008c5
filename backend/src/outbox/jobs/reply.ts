import { isOptedOut } from '../../modules/optouts/optouts.repo.js';
import { markFailed, markSent } from '../messages.repo.js';
import { completeJob, deadLetter } from '../outbox.repo.js';
import { canRetry, failureText, retryLater, sendMessage, type JobHandler } from './job.js';

/** A conversation or system message on one channel: retried, never falls back. */
export const replyJob: JobHandler<'reply'> = {
  async run(deps, job, p) {
    const { db, clock } = deps;
    if (!p.system && (await isOptedOut(db, job.account_id, p.to))) {
      return deadLetter(db, job.id, 'recipient opted out', clock());
    }
    const result = await sendMessage(deps, {
      messageId: p.messageId,
      accountId: job.account_id,
      transactionId: null,
      conversationId: p.conversationId ?? null,
      channel: p.channel,
      to: p.to,
      from: p.from,
      body: p.body,
    });
    if (result.ok) {
      await markSent(db, p.messageId, result.providerMessageId, clock());
      return completeJob(db, job.id, clock());
    }
    const error = failureText(result);
    if (result.retryable && canRetry(deps, job)) return retryLater(deps, job, p, error);
    await markFailed(
      db,
      p.messageId,
      { code: result.errorCode, message: result.errorMessage },
      clock(),
    );
    await deadLetter(db, job.id, error, clock());
  },
};
