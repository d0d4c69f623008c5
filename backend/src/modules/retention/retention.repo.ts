import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

// The deletes of one retention batch, table by table, oldest rows first. Each takes at most
// `limit` rows, so one batch holds the database for a few milliseconds however much is due.

/** Takes the named job's lease until `until` if no node holds it now; whether this node got it. */
export async function claimMaintenance(
  db: Db,
  name: string,
  now: number,
  until: number,
): Promise<boolean> {
  const res = await db
    .updateTable('maintenance_leases')
    .set({ locked_until: until })
    .where('name', '=', name)
    .where('locked_until', '<=', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Hands the lease back, so the next node's round need not wait for it to run out. */
export async function releaseMaintenance(db: Db, name: string): Promise<void> {
  await db
    .updateTable('maintenance_leases')
    .set({ locked_until: 0 })
    .where('name', '=', name)
    .execute();
}

type Ids = { id: string }[];
const ids = (rows: Ids) => rows.map((r) => r.id);

/**
 * Deletes up to `limit` rows of each kind older than `cutoff`, children before the rows they
 * point at, in one transaction. Returns how many rows went.
 */
export async function pruneBatch(db: Db, cutoff: number, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let deleted = 0;
    const count = (res: { numDeletedRows: bigint }[]) =>
      (deleted += res.reduce((n, r) => n + Number(r.numDeletedRows), 0));

    // outbound messages and transcripts
    const messages = await trx
      .selectFrom('messages')
      .select('id')
      .where('created_at', '<', cutoff)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    if (messages.length)
      count(await trx.deleteFrom('messages').where('id', 'in', ids(messages)).execute());

    // conversations closed before the cutoff, with their sink deliveries
    const conversations = await trx
      .selectFrom('conversations')
      .select('id')
      .where('status', '=', 'closed')
      .where('closed_at', '<', cutoff)
      .orderBy('closed_at')
      .limit(limit)
      .execute();
    if (conversations.length) {
      const gone = ids(conversations);
      await trx
        .updateTable('messages')
        .set({ conversation_id: null })
        .where('conversation_id', 'in', gone)
        .execute();
      count(await trx.deleteFrom('sink_deliveries').where('conversation_id', 'in', gone).execute());
      count(await trx.deleteFrom('conversations').where('id', 'in', gone).execute());
    }
    count(
      await trx
        .deleteFrom('sink_deliveries')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('sink_deliveries')
            .select('id')
            .where('created_at', '<', cutoff)
            .where('status', '!=', 'pending')
            .orderBy('created_at')
            .limit(limit),
        )
        .execute(),
    );

    // transactions, then the calls they came from, then the calls' facts (the sums stay: 013)
    const transactions = await trx
      .selectFrom('transactions')
      .select('id')
      .where('attempted_at', '<', cutoff)
      .orderBy('attempted_at')
      .limit(limit)
      .execute();
    if (transactions.length) {
      const gone = ids(transactions);
      // a message younger than the cutoff keeps its text, not its link to a pruned transaction
      await trx
        .updateTable('messages')
        .set({ transaction_id: null })
        .where('transaction_id', 'in', gone)
        .execute();
      count(await trx.deleteFrom('transactions').where('id', 'in', gone).execute());
    }
    const calls = await trx
      .selectFrom('calls')
      .select('id')
      .where('created_at', '<', cutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('transactions')
              .select('id')
              .whereRef('transactions.call_id', '=', 'calls.id'),
          ),
        ),
      )
      .orderBy('created_at')
      .limit(limit)
      .execute();
    if (calls.length) count(await trx.deleteFrom('calls').where('id', 'in', ids(calls)).execute());
    const facts = await trx
      .selectFrom('report_facts')
      .select('call_id as id')
      .where('attempted_at', '<', cutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('calls').select('id').whereRef('calls.id', '=', 'report_facts.call_id'),
          ),
        ),
      )
      .orderBy('attempted_at')
      .limit(limit)
      .execute();
    if (facts.length)
      count(await trx.deleteFrom('report_facts').where('call_id', 'in', ids(facts)).execute());

    // the events and what was delivered of them; a delivery still pending is left to finish
    count(
      await trx
        .deleteFrom('webhook_deliveries')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('created_at', '<', cutoff)
            .where('status', '!=', 'pending')
            .orderBy('created_at')
            .limit(limit),
        )
        .execute(),
    );
    count(
      await trx
        .deleteFrom('events')
        .where('id', 'in', (eb) =>
          eb.selectFrom('events').select('id').where('at', '<', cutoff).orderBy('at').limit(limit),
        )
        .execute(),
    );
    count(
      await trx
        .deleteFrom('webhook_receipts')
        .where(
          sql<boolean>`(provider, account_id, event_id) in (
          select provider, account_id, event_id from webhook_receipts
          where received_at < ${cutoff} order by received_at limit ${limit})`,
        )
        .execute(),
    );
    // finished outbox jobs
    count(
      await trx
        .deleteFrom('outbox')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('outbox')
            .select('id')
            .where('updated_at', '<', cutoff)
            .where('status', 'in', ['done', 'dead'])
            .orderBy('id')
            .limit(limit),
        )
        .execute(),
    );
    return deleted;
  });
}

/** Opt-out ledger entries older than `before` (the operator's explicit `c2m optout prune`). */
export async function pruneOptOutLedger(
  db: Db,
  before: number,
  accountId: string | undefined,
): Promise<number> {
  let query = db.deleteFrom('optout_ledger').where('at', '<', before);
  if (accountId) query = query.where('account_id', '=', accountId);
  const res = await query.executeTakeFirst();
  return Number(res.numDeletedRows);
}
