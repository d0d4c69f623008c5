import { EventEmitter } from 'node:events';
import type { Db } from '../db/database.js';
import type { TransactionStatus } from '../modules/deflection/transactions.repo.js';

export interface ConversationRef {
  conversationId: string;
  transactionId: string | null;
  consumerPhone: string | null;
  consumerId: string | null;
}

/** What the domain tells the outside world, always after the database commit that made it true. */
export interface DomainEventMap {
  /** An eligibility answer was recorded: a new attempt in the reporting funnel. */
  'call-created': [accountId: string, callId: string];
  'transaction-created': [accountId: string, transactionId: string];
  'transaction-changed': [accountId: string, transactionId: string, status: TransactionStatus];
  'conversation-opened': [accountId: string, conversation: ConversationRef];
  'conversation-closed': [accountId: string, conversation: ConversationRef];
}

/** The one in-process publisher of domain events; realtime/publisher.ts turns them into broadcasts. */
export class DomainEvents extends EventEmitter<DomainEventMap> {}

// Repo functions get a Db, not the deps; this lets them find the publisher of that database.
const byDb = new WeakMap<Db, DomainEvents>();

export function bindDomainEvents(db: Db, events: DomainEvents): void {
  byDb.set(db, events);
}

/**
 * The publisher for a write made on `db`. Inside a transaction there is none: nothing is committed
 * yet, so the code that owns the transaction tells after its commit.
 */
export function domainEventsOf(db: Db): DomainEvents | undefined {
  return db.isTransaction ? undefined : byDb.get(db);
}
