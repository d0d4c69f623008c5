import type { Db } from '../../db/database.js';
import type { Insertable, Selectable } from 'kysely';
import type { TransactionTable } from '../../db/schema.js';
import type { AppUnitOfWork } from '../events/domain-events.js';
import { recordEvent } from '../events/events.repo.js';
import { columnsOf, statement, statementsByShape } from '../../db/statement.js';

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

const transactionById = statement((db, p: { id: string }) =>
  db.selectFrom('transactions').selectAll().where('id', '=', p.id),
);

export async function findTransaction(db: Db, id: string): Promise<TransactionRow | undefined> {
  return transactionById.first(db, { id });
}

const transactionByCall = statement((db, p: { accountId: string; callId: string }) =>
  db
    .selectFrom('transactions')
    .selectAll()
    .where('account_id', '=', p.accountId)
    .where('call_id', '=', p.callId),
);

export async function findTransactionByCall(
  db: Db,
  accountId: string,
  callId: string,
): Promise<TransactionRow | undefined> {
  return transactionByCall.first(db, { accountId, callId });
}

type NewTransaction = Required<Omit<Insertable<TransactionTable>, 'replied_at' | 'status'>>;
const NEW_TRANSACTION_COLUMNS = [
  'id',
  'account_id',
  'call_id',
  'handoff_id',
  'skill',
  'channel',
  'consumer_phone',
  'consumer_id',
  'ivr_number',
  'error_source',
  'error_code',
  'error_message',
  'consent_json',
  'attempted_at',
  'eligible_at',
  'invited_at',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'updated_at',
] as const satisfies readonly (keyof NewTransaction)[];
const insertQueued = statement((db, p: NewTransaction) =>
  db
    .insertInto('transactions')
    .values({ ...columnsOf(p, NEW_TRANSACTION_COLUMNS), status: 'queued' })
    // the unique call_id settles a race between two invites for the same call
    .onConflict((oc) => oc.column('call_id').doNothing()),
);

/** A new transaction, `queued`; false when its call already has one (nothing written). */
export async function insertQueuedTransaction(db: Db, t: NewTransaction): Promise<boolean> {
  const result = await insertQueued.run(db, t);
  return (result.numAffectedRows ?? 0n) > 0n;
}

const statusOf = statement((db, p: { id: string }) =>
  db.selectFrom('transactions').select(['status', 'account_id']).where('id', '=', p.id),
);

/** Which columns a move sets: the status's time, and the channel and error when it has them. */
type MoveShape = `${TransactionStatus}${'' | '+channel'}${'' | '+error'}`;
interface MoveValues {
  id: string;
  /** The status the move was decided from: the row moves only if it still has it. */
  from: TransactionStatus;
  status: TransactionStatus;
  at: number;
  channel: string;
  errorSource: string;
  errorCode: string;
  errorMessage: string;
}
const move = statementsByShape((shape: MoveShape) => (db, p: MoveValues) => {
  const status = shape.split('+')[0] as TransactionStatus;
  const column = TIME_COLUMN[status as keyof typeof TIME_COLUMN];
  return db
    .updateTable('transactions')
    .set({
      status: p.status,
      updated_at: p.at,
      ...(column && { [column]: p.at }),
      ...(shape.includes('+channel') && { channel: p.channel }),
      ...(shape.includes('+error') && {
        error_source: p.errorSource,
        error_code: p.errorCode,
        error_message: p.errorMessage,
      }),
    })
    .where('id', '=', p.id)
    .where('status', '=', p.from);
});

export interface StatusChange {
  status: TransactionStatus;
  at: number;
  channel?: string;
  error?: { source: string; code: string; message: string };
}

/**
 * Applies a status change if it moves the transaction forward, and records the event beside it in
 * the same unit of work (the caller's, or its own). Returns whether anything changed.
 */
export function moveTransaction(
  uow: AppUnitOfWork,
  id: string,
  change: StatusChange,
): Promise<boolean> {
  return uow.run(async (w) => {
    const current = await statusOf.first(w.db, { id });
    if (!current || !canMove(current.status, change.status)) return false;
    const shape = `${change.status}${change.channel ? '+channel' : ''}${change.error ? '+error' : ''}`;
    // compare and set: on PostgreSQL another node may have moved it since the read (SQLite's one
    // writer cannot), and then this move is not made, nor its event recorded
    const moved = await move(shape as MoveShape).run(w.db, {
      id,
      from: current.status,
      status: change.status,
      at: change.at,
      channel: change.channel ?? '',
      errorSource: change.error?.source ?? '',
      errorCode: change.error?.code ?? '',
      errorMessage: change.error?.message ?? '',
    });
    if ((moved.numAffectedRows ?? 0n) === 0n) return false;
    await recordEvent(w, {
      type: 'transaction.status_changed',
      accountId: current.account_id,
      transactionId: id,
      payload: { from: current.status, ...change },
      at: change.at,
    });
    return true;
  });
}
