import type { Db } from '../db/database.js';
import type { MessageTable } from '../db/schema.js';
import { newUuid } from '../ids.js';
import { statement, statementsByShape } from '../db/statement.js';
import { learnFromStatus } from '../modules/reachability/wa-reachability.repo.js';

export interface OutboundMessage {
  id: string;
  accountId: string;
  transactionId: string | null;
  conversationId: string | null;
  channel: string;
  provider: string;
  to: string;
  from: string | null;
  body: string;
  now: number;
}

/** Stores a message before it is handed to a provider; a retry of the same id stores nothing. */
const insertOutbound = statement((db, m: OutboundMessage) =>
  db
    .insertInto('messages')
    .values({
      id: m.id,
      account_id: m.accountId,
      transaction_id: m.transactionId,
      conversation_id: m.conversationId,
      channel: m.channel,
      provider: m.provider,
      direction: 'outbound',
      to_address: m.to,
      from_address: m.from,
      body: m.body,
      status: 'queued',
      provider_message_id: null,
      error_code: null,
      created_at: m.now,
      updated_at: m.now,
    })
    .onConflict((oc) => oc.column('id').doNothing()),
);

export async function storeOutbound(db: Db, m: OutboundMessage): Promise<void> {
  await insertOutbound.run(db, m);
}

export interface InboundMessageRow {
  accountId: string;
  conversationId: string | null;
  channel: string;
  provider: string;
  from: string;
  to: string;
  body: string;
  providerMessageId: string;
  at: number;
}

/** Stores what a consumer sent: a reply in a conversation, or a keyword (STOP, START, HELP). */
export async function storeInbound(db: Db, m: InboundMessageRow): Promise<void> {
  await db
    .insertInto('messages')
    .values({
      id: newUuid(),
      account_id: m.accountId,
      transaction_id: null,
      conversation_id: m.conversationId,
      channel: m.channel,
      provider: m.provider,
      direction: 'inbound',
      to_address: m.to,
      from_address: m.from,
      body: m.body,
      status: 'received',
      provider_message_id: m.providerMessageId,
      error_code: null,
      created_at: m.at,
      updated_at: m.at,
    })
    .execute();
}

/** The provider took it: keep its id, by which its status webhooks will name the message. */
export async function markSent(
  db: Db,
  id: string,
  providerMessageId: string,
  now: number,
): Promise<void> {
  await sent.run(db, { id, providerMessageId, now });
}

const sent = statement((db, p: { id: string; providerMessageId: string; now: number }) =>
  db
    .updateTable('messages')
    .set({ status: 'sent', provider_message_id: p.providerMessageId, updated_at: p.now })
    .where('id', '=', p.id)
    .where('status', '=', 'queued'),
);

export async function markFailed(
  db: Db,
  id: string,
  error: { code: string; message: string },
  now: number,
): Promise<void> {
  await setMessageStatus(db, id, { status: 'failed', at: now, error });
}

export interface MessageStatusChange {
  status: MessageTable['status'];
  at: number;
  /** Kept with the message; left as it was when not given. */
  error?: { code: string; message: string };
  /** Changes the message only while it still has this status. */
  onlyFrom?: MessageTable['status'];
}

/**
 * A receipt, a provider's status report or a timeout moves the message; false when it did not
 * (it was not in `onlyFrom`).
 */
export async function setMessageStatus(
  db: Db,
  id: string,
  change: MessageStatusChange,
): Promise<boolean> {
  const shape = `${change.error ? 'error' : ''}+${change.onlyFrom ? 'onlyFrom' : ''}` as const;
  const result = await setStatus(shape).run(db, {
    id,
    status: change.status,
    at: change.at,
    errorCode: change.error?.code ?? '',
    errorMessage: change.error?.message ?? '',
    onlyFrom: change.onlyFrom ?? 'queued',
  });
  const moved = (result.numAffectedRows ?? 0n) > 0n;
  // a WhatsApp message delivered, or refused as not on WhatsApp, teaches the account about the number
  if (moved) await learnFromStatus(db, id, { ...change, errorCode: change.error?.code });
  return moved;
}

interface StatusValues {
  id: string;
  status: MessageTable['status'];
  at: number;
  errorCode: string;
  errorMessage: string;
  onlyFrom: MessageTable['status'];
}
const setStatus = statementsByShape(
  (shape: `${'' | 'error'}+${'' | 'onlyFrom'}`) => (db, p: StatusValues) =>
    db
      .updateTable('messages')
      .set({
        status: p.status,
        updated_at: p.at,
        ...(shape.startsWith('error') && {
          error_code: p.errorCode,
          error_message: p.errorMessage,
        }),
      })
      .where('id', '=', p.id)
      .$if(shape.endsWith('onlyFrom'), (q) => q.where('status', '=', p.onlyFrom)),
);

/** The invite (and any earlier attempt) of a deflection becomes the start of its conversation. */
export async function attachToConversation(
  db: Db,
  transactionId: string,
  conversationId: string,
): Promise<void> {
  await db
    .updateTable('messages')
    .set({ conversation_id: conversationId })
    .where('transaction_id', '=', transactionId)
    .execute();
}
