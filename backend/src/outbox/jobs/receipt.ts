import { moveTransaction } from '../../modules/deflection/transactions.repo.js';
import { setMessageStatus } from '../messages.repo.js';
import { completeJob } from '../outbox.repo.js';
import type { JobHandler } from './job.js';

/**
 * A delivery receipt that comes due later (the sandbox provider's simulated one). It reads and
 * writes only the database, so all of it is its settlement: it reads the message in the commit,
 * after any earlier job of the same commit has written it.
 */
export const receiptJob: JobHandler<'receipt'> = {
  run({ clock }, job, { messageId, status }) {
    return Promise.resolve(async (w) => {
      const message = await w.db
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
        await setMessageStatus(w.db, messageId, { status, at: now });
        if (message.transaction_id) {
          await moveTransaction(w, message.transaction_id, { status, at: now });
        }
      }
      await completeJob(w.db, job.id, clock());
    });
  },
};
