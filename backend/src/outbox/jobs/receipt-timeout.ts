import { sql } from 'kysely';
import type { AppDeps } from '../../modules/deps.js';
import { moveTransaction } from '../../modules/deflection/transactions.repo.js';
import { setMessageStatus } from '../messages.repo.js';

const HOUR_MS = 3_600_000;

/**
 * A message no provider has confirmed within the account's receipt timeout (72 h by default) is
 * failed with a reason, as the product does, so the funnel does not wait for it forever. Every
 * node sweeps; each message is failed once, by whichever node's update finds it still `sent`.
 */
export async function expireUndelivered(
  deps: Pick<AppDeps, 'db' | 'uow'>,
  now: number,
): Promise<number> {
  const stale = await deps.db
    .selectFrom('messages')
    .innerJoin('accounts', 'accounts.id', 'messages.account_id')
    .select(['messages.id', 'messages.transaction_id', 'accounts.receipt_timeout_hours'])
    .where('messages.direction', '=', 'outbound')
    .where('messages.status', '=', 'sent')
    .where(sql<boolean>`messages.updated_at < ${now} - accounts.receipt_timeout_hours * ${HOUR_MS}`)
    .limit(500)
    .execute();
  for (const m of stale) {
    const reason = `no delivery receipt within ${m.receipt_timeout_hours} h`;
    await deps.uow.run(async (w) => {
      // only from `sent`: another node's sweep, or a receipt, may have moved it since the read
      const expired = await setMessageStatus(w.db, m.id, {
        status: 'failed',
        at: now,
        error: { code: '5403', message: reason },
        onlyFrom: 'sent',
      });
      if (expired && m.transaction_id) {
        await moveTransaction(w, m.transaction_id, {
          status: 'failed',
          at: now,
          error: { source: 'c2m', code: '5403', message: reason },
        });
      }
    });
  }
  return stale.length;
}
