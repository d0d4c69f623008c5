import { EventEmitter } from 'node:events';
import type { TransactionTable } from '../../db/schema.js';
import type { UnitOfWork, Work } from '../../db/unit-of-work.js';

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
  'transaction-changed': [
    accountId: string,
    transactionId: string,
    status: TransactionTable['status'],
  ];
  'conversation-opened': [accountId: string, conversation: ConversationRef];
  'conversation-closed': [accountId: string, conversation: ConversationRef];
}

/** One domain event as a unit of work queues it: its name, then its arguments. */
export type DomainEvent = {
  [K in keyof DomainEventMap]: [K, ...DomainEventMap[K]];
}[keyof DomainEventMap];

/** Some listeners, by event. */
export type DomainListeners = {
  [K in keyof DomainEventMap]?: (...args: DomainEventMap[K]) => void;
};

/**
 * The in-process publisher of one app's domain events: realtime/publisher.ts turns them into
 * broadcasts, the event webhook dispatcher wakes on them. Each app makes its own (server.ts).
 */
export class DomainEvents extends EventEmitter<DomainEventMap> {
  /** The publish function of the app's unit of work. */
  readonly publish = (event: DomainEvent): void => {
    const [name, ...args] = event;
    // the tuple's name and arguments match by construction; emit's overloads cannot see that
    (this.emit as (name: string, ...args: unknown[]) => boolean)(name, ...args);
  };

  /** Listens with each of `listeners`; returns the function that stops all of them. */
  subscribe(listeners: DomainListeners): () => void {
    const entries = Object.entries(listeners) as [string, (...args: unknown[]) => void][];
    // the same name/listener pairs on and off; the typed overloads cannot follow the entries
    const self = this as EventEmitter;
    for (const [name, listener] of entries) self.on(name, listener);
    return () => {
      for (const [name, listener] of entries) self.off(name, listener);
    };
  }
}

/** The app's unit of work, publishing to its DomainEvents after each commit. */
export type AppUnitOfWork = UnitOfWork<DomainEvent>;
/** One open unit of work of the app. */
export type AppWork = Work<DomainEvent>;
