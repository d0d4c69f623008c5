import { inTransaction, type Db } from '../../db/database.js';
import type { Selectable } from 'kysely';
import type { TransactionTable } from '../../db/schema.js';
import { domainEventsOf } from '../../realtime/domain-events.js';

export type TransactionStatus = TransactionTable['status'];
export type TransactionRow = Selectable<TransactionTable>;

/** Statuses only move forward: a late `delivered` never overwrites `read`. */
const RANK: Record<TransactionStatus, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  replied: 4,
  failed: 1.5,
  skipped: 0.5,
};
const TIME_COLUMN = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  replied: 'replied_at',
  failed: 'failed_at',
} as const;

export function canMove(from: TransactionStatus, to: TransactionStatus): boolean {
  if (from === 'failed' || from === 'skipped') return false;
  if (to === 'failed') return from === 'queued' || from === 'sent';
  return RANK[to] > RANK[from];
}

export async function findTransaction(db: Db, id: string): Promise<TransactionRow | undefined> {
  return db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTransactionByCall(
  db: Db,
  accountId: string,
  callId: string,
): Promise<TransactionRow | undefined> {
  return db
    .selectFrom('transactions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('call_id', '=', callId)
    .executeTakeFirst();
}

export interface StatusChange {
  status: TransactionStatus;
  at: number;
  channel?: string;
  error?: { source: string; code: string; message: string };
}

/**
 * Applies a status change if it moves the transaction forward, and records the event beside it in
 * the same database transaction. Returns whether anything changed. Called outside a transaction, it
 * tells the domain events after its commit; inside one, the owner of the transaction tells.
 */
export async function moveTransaction(db: Db, id: string, change: StatusChange): Promise<boolean> {
  const moved = await inTransaction(db, async (tx) => {
    const current = await tx
      .selectFrom('transactions')
      .select(['status', 'account_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current || !canMove(current.status, change.status)) return false;
    const column = TIME_COLUMN[change.status as keyof typeof TIME_COLUMN];
    await tx
      .updateTable('transactions')
      .set({
        status: change.status,
        updated_at: change.at,
        ...(column && { [column]: change.at }),
        ...(change.channel && { channel: change.channel }),
        ...(change.error && {
          error_source: change.error.source,
          error_code: change.error.code,
          error_message: change.error.message,
        }),
      })
      .where('id', '=', id)
      .execute();
    await tx
      .insertInto('events')
      .values({
        account_id: current.account_id,
        type: 'transaction.status_changed',
        transaction_id: id,
        payload_json: JSON.stringify({ from: current.status, ...change }),
        at: change.at,
      })
      .execute();
    return current.account_id;
  });
  if (moved === false) return false;
  domainEventsOf(db)?.emit('transaction-changed', moved, id, change.status);
  return true;
}
