import type { TransactionTable } from '../../db/schema.js';
import type { ChannelFailedPayload } from '../../outbox/fallback.js';
import type { AppUnitOfWork, ConversationRef, DomainEvent } from './domain-events.js';
import { columnsOf, statement } from '../../db/statement.js';

type TransactionStatus = TransactionTable['status'];

/** A transaction moved forward (transactions.repo.ts `moveTransaction`). */
export interface StatusChangedPayload {
  from: TransactionStatus;
  status: TransactionStatus;
  at: number;
  channel?: string;
  error?: { source: string; code: string; message: string };
}

export interface ConsumerConsentPayload {
  phone: string;
  source: string;
  keyword: string | null;
}

interface Occurred {
  accountId: string;
  at: number;
}

/**
 * Every kind of row the events table holds, with its payload: the reporting history, the widget's
 * status history and the event webhooks all read from it.
 */
export type RecordedEvent = Occurred &
  (
    | {
        type: 'transaction.queued';
        transactionId: string;
        payload: { callId: string; channel: string; skill: string };
      }
    | { type: 'transaction.status_changed'; transactionId: string; payload: StatusChangedPayload }
    | { type: 'transaction.channel_failed'; transactionId: string; payload: ChannelFailedPayload }
    | {
        type: 'conversation.opened';
        conversation: ConversationRef;
        payload: { skill: string; deflection: boolean };
      }
    | { type: 'conversation.closed'; conversation: ConversationRef }
    | { type: 'consumer.opted_out' | 'consumer.opted_in'; payload: ConsumerConsentPayload }
  );

/**
 * The one writer of the events table: writes the row in the unit of work and queues the domain
 * event it means (if any), which is published after the commit.
 */
const insertEvent = statement(
  (
    db,
    p: {
      account_id: string;
      type: string;
      transaction_id: string | null;
      payload_json: string;
      at: number;
    },
  ) =>
    db
      .insertInto('events')
      .values(columnsOf(p, ['account_id', 'type', 'transaction_id', 'payload_json', 'at'])),
);

export function recordEvent(uow: AppUnitOfWork, e: RecordedEvent): Promise<void> {
  return uow.run(async (w) => {
    await insertEvent.run(w.db, {
      account_id: e.accountId,
      type: e.type,
      transaction_id: transactionOf(e),
      payload_json: JSON.stringify(payloadOf(e)),
      at: e.at,
    });
    const told = domainEventOf(e);
    if (told) w.emit(told);
  });
}

function transactionOf(e: RecordedEvent): string | null {
  if ('transactionId' in e) return e.transactionId;
  if ('conversation' in e) return e.conversation.transactionId;
  return null;
}

function payloadOf(e: RecordedEvent): object {
  switch (e.type) {
    case 'conversation.opened':
      return { conversationId: e.conversation.conversationId, ...e.payload };
    case 'conversation.closed':
      return { conversationId: e.conversation.conversationId };
    default:
      return e.payload;
  }
}

function domainEventOf(e: RecordedEvent): DomainEvent | undefined {
  switch (e.type) {
    case 'transaction.queued':
      return ['transaction-created', e.accountId, e.transactionId];
    case 'transaction.status_changed':
      return ['transaction-changed', e.accountId, e.transactionId, e.payload.status];
    case 'conversation.opened':
      return ['conversation-opened', e.accountId, e.conversation];
    case 'conversation.closed':
      return ['conversation-closed', e.accountId, e.conversation];
    default:
      // a fallback and a consent change are read from the table only (reports, webhooks)
      return undefined;
  }
}
