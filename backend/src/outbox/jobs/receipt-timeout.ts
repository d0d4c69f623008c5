import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { moveTransaction } from '../../modules/deflection/transactions.repo.js';

const HOUR_MS = 3_600_000;

/**
 * A message no provider has confirmed within the account's receipt timeout (72 h by default) is
 * failed with a reason, as the product does, so the funnel does not wait for it forever.
 */
export async function expireUndelivered(db: Db, now: number): Promise<number> {
  const stale = await db
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
    await db
      .updateTable('messages')
      .set({ status: 'failed', error_code: '5403', error_message: reason, updated_at: now })
      .where('id', '=', m.id)
      .where('status', '=', 'sent')
      .execute();
    if (m.transaction_id) {
      await moveTransaction(db, m.transaction_id, {
        status: 'failed',
        at: now,
        error: { source: 'c2m', code: '5403', message: reason },
      });
    }
  }
  return stale.length;
}
