import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ConversationTable } from '../../db/schema.js';
import { findRow } from '../../db/rows.js';

export type ConversationRow = Selectable<ConversationTable>;

/** The consumer's open conversation with this account, whatever channel it started on. */
export async function findOpenConversation(
  db: Db,
  accountId: string,
  address: string,
): Promise<ConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('consumer_phone', '=', address), eb('consumer_id', '=', address)]))
    .orderBy('opened_at', 'desc')
    .executeTakeFirst();
}

export async function findConversation(
  db: Db,
  accountId: string,
  id: string,
): Promise<ConversationRow | undefined> {
  return findRow(db, 'conversations', { account_id: accountId, id });
}

export async function conversationOfTransaction(
  db: Db,
  transactionId: string,
): Promise<ConversationRow | undefined> {
  return findRow(db, 'conversations', { transaction_id: transactionId });
}

/** The newest transaction that reached this consumer: the candidate a reply belongs to. */
export async function latestReachedTransaction(db: Db, accountId: string, address: string) {
  return db
    .selectFrom('transactions')
    .innerJoin('handoffs', 'handoffs.id', 'transactions.handoff_id')
    .select([
      'transactions.id',
      'transactions.call_id',
      'transactions.skill',
      'transactions.channel',
      'transactions.handoff_id',
      'transactions.ivr_number',
      'transactions.consumer_phone',
      'transactions.consumer_id',
      'transactions.invited_at',
      'handoffs.title as handoff_title',
      'handoffs.lookback_minutes',
    ])
    .where('transactions.account_id', '=', accountId)
    .where('transactions.status', 'in', ['sent', 'delivered', 'read', 'replied'])
    .where((eb) =>
      eb.or([
        eb('transactions.consumer_phone', '=', address),
        eb('transactions.consumer_id', '=', address),
      ]),
    )
    .orderBy('transactions.invited_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Messages of a conversation in order: the invite, the consumer's, the agents'. Messages of the same
 * millisecond come in the order they were stored (rowid), not by their random ids.
 */
export async function transcript(db: Db, conversationId: string) {
  return db
    .selectFrom('messages')
    .select([
      'id',
      'direction',
      'channel',
      'body',
      'status',
      'transaction_id',
      'created_at',
      'updated_at',
      'error_code',
    ])
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .execute();
}
