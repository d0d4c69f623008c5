import { moveTransaction } from '../../modules/deflection/transactions.repo.js';
import { setMessageStatus } from '../messages.repo.js';
import { completeJob } from '../outbox.repo.js';
import type { JobHandler } from './job.js';

/** A delivery receipt that comes due later (the sandbox provider's simulated one). */
export const receiptJob: JobHandler<'receipt'> = {
  async run({ db, uow, clock }, job, { messageId, status }) {
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
      await setMessageStatus(db, messageId, { status, at: now });
      if (message.transaction_id) {
        await moveTransaction(uow, message.transaction_id, { status, at: now });
      }
    }
    await completeJob(db, job.id, clock());
  },
};
