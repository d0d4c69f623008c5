import { inTransaction, type Db } from '../../db/database.js';

export async function isOptedOut(db: Db, accountId: string, phone: string): Promise<boolean> {
  const row = await db
    .selectFrom('optouts')
    .select('phone')
    .where('account_id', '=', accountId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  return row !== undefined;
}

/** Suppresses the number on every channel of the account, and writes the ledger line. */
export async function optOut(
  db: Db,
  o: { accountId: string; phone: string; source: string; keyword?: string; now: number },
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx
      .insertInto('optouts')
      .values({ account_id: o.accountId, phone: o.phone, source: o.source, opted_out_at: o.now })
      .onConflict((oc) => oc.columns(['account_id', 'phone']).doNothing())
      .execute();
    await tx
      .insertInto('optout_ledger')
      .values({
        account_id: o.accountId,
        phone: o.phone,
        action: 'opt_out',
        source: o.source,
        keyword: o.keyword ?? null,
        at: o.now,
      })
      .execute();
    await recordEvent(tx, 'consumer.opted_out', o);
  });
}

export async function optIn(
  db: Db,
  o: { accountId: string; phone: string; source: string; keyword?: string; now: number },
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx
      .deleteFrom('optouts')
      .where('account_id', '=', o.accountId)
      .where('phone', '=', o.phone)
      .execute();
    await tx
      .insertInto('optout_ledger')
      .values({
        account_id: o.accountId,
        phone: o.phone,
        action: 'opt_in',
        source: o.source,
        keyword: o.keyword ?? null,
        at: o.now,
      })
      .execute();
    await recordEvent(tx, 'consumer.opted_in', o);
  });
}

/** The change in the events table too, so event webhooks can tell the brand's systems. */
async function recordEvent(
  tx: Db,
  type: 'consumer.opted_out' | 'consumer.opted_in',
  o: { accountId: string; phone: string; source: string; keyword?: string; now: number },
): Promise<void> {
  await tx
    .insertInto('events')
    .values({
      account_id: o.accountId,
      type,
      transaction_id: null,
      payload_json: JSON.stringify({
        phone: o.phone,
        source: o.source,
        keyword: o.keyword ?? null,
      }),
      at: o.now,
    })
    .execute();
}
