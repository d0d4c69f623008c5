import { isOptedOut } from '../../modules/optouts/optouts.repo.js';
import { markFailed, markSent } from '../messages.repo.js';
import { completeJob, deadLetter } from '../outbox.repo.js';
import {
  canRetry,
  failureText,
  retryLater,
  sendMessage,
  storeAttempt,
  type JobHandler,
} from './job.js';

/** A conversation or system message on one channel: retried, never falls back. */
export const replyJob: JobHandler<'reply'> = {
  async run(deps, job, p) {
    const { db, clock } = deps;
    if (!p.system && (await isOptedOut(db, job.account_id, p.to))) {
      return (w) => deadLetter(w.db, job.id, 'recipient opted out', clock());
    }
    const attempt = await sendMessage(deps, {
      messageId: p.messageId,
      accountId: job.account_id,
      transactionId: null,
      conversationId: p.conversationId ?? null,
      channel: p.channel,
      to: p.to,
      from: p.from,
      body: p.body,
    });
    const { result } = attempt;
    return async (w) => {
      await storeAttempt(w.db, attempt);
      if (result.ok) {
        await markSent(w.db, p.messageId, result.providerMessageId, clock());
        return completeJob(w.db, job.id, clock());
      }
      const error = failureText(result);
      if (result.retryable && canRetry(deps, job)) {
        return retryLater(w.db, deps, job, p, error);
      }
      await markFailed(
        w.db,
        p.messageId,
        { code: result.errorCode, message: result.errorMessage },
        clock(),
      );
      await deadLetter(w.db, job.id, error, clock());
    };
  },
};
