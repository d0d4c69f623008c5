import type { Db } from '../../db/database.js';
import type { AppUnitOfWork, AppWork } from '../events/domain-events.js';
import { recordEvent } from '../events/events.repo.js';
import { statement } from '../../db/statement.js';

interface ConsentChange {
  accountId: string;
  phone: string;
  source: string;
  keyword?: string;
  now: number;
}

/** The opt-out of an address (a phone number, or an app user's consumerId) on an account. */
export const optOutOf = (db: Db, accountId: string, address: string) =>
  db
    .selectFrom('optouts')
    .select('phone')
    .where('account_id', '=', accountId)
    .where('phone', '=', address);

const optedOut = statement((db, p: { accountId: string; phone: string }) =>
  optOutOf(db, p.accountId, p.phone),
);

export async function isOptedOut(db: Db, accountId: string, phone: string): Promise<boolean> {
  return (await optedOut.first(db, { accountId, phone })) !== undefined;
}

/** Suppresses the number on every channel of the account, and writes the ledger line. */
export function optOut(uow: AppUnitOfWork, o: ConsentChange): Promise<void> {
  return uow.run(async (w) => {
    await w.db
      .insertInto('optouts')
      .values({ account_id: o.accountId, phone: o.phone, source: o.source, opted_out_at: o.now })
      .onConflict((oc) => oc.columns(['account_id', 'phone']).doNothing())
      .execute();
    await recordConsent(w, 'opt_out', o);
  });
}

export function optIn(uow: AppUnitOfWork, o: ConsentChange): Promise<void> {
  return uow.run(async (w) => {
    await w.db
      .deleteFrom('optouts')
      .where('account_id', '=', o.accountId)
      .where('phone', '=', o.phone)
      .execute();
    await recordConsent(w, 'opt_in', o);
  });
}

const EVENT_OF = { opt_out: 'consumer.opted_out', opt_in: 'consumer.opted_in' } as const;

/**
 * The ledger line, and the change in the events table too, so event webhooks can tell the brand's
 * systems.
 */
async function recordConsent(
  w: AppWork,
  action: keyof typeof EVENT_OF,
  o: ConsentChange,
): Promise<void> {
  await w.db
    .insertInto('optout_ledger')
    .values({
      account_id: o.accountId,
      phone: o.phone,
      action,
      source: o.source,
      keyword: o.keyword ?? null,
      at: o.now,
    })
    .execute();
  await recordEvent(w, {
    type: EVENT_OF[action],
    accountId: o.accountId,
    payload: { phone: o.phone, source: o.source, keyword: o.keyword ?? null },
    at: o.now,
  });
}
