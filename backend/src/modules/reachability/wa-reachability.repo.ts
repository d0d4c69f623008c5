import { sql } from 'kysely';
import type { WaReachability } from '../../../contract/wa-reachability.js';
import { NOT_ON_WHATSAPP_CODE } from '../../channels/whatsapp-errors.js';
import type { Db } from '../../db/database.js';
import type { MessageTable } from '../../db/schema.js';
import { statement } from '../../db/statement.js';

const DAY_MS = 86_400_000;

/** The eligibility's one read: the account's last verdict on the number, by the primary key. */
const lookup = statement((db, p: { accountId: string; phone: string }) =>
  db
    .selectFrom('wa_reachability')
    .select(['state', 'learned_at'])
    .where('account_id', '=', p.accountId)
    .where('phone', '=', p.phone),
);

/**
 * What the account's own WhatsApp sends taught about `phone`: a refusal as not on WhatsApp counts
 * for `unreachableDays` after it was learned; a delivery or read counts until a refusal replaces it.
 */
export async function waReachabilityOf(
  db: Db,
  accountId: string,
  phone: string,
  now: number,
  unreachableDays: number,
): Promise<WaReachability> {
  const row = await lookup.first(db, { accountId, phone });
  if (!row) return 'unknown';
  if (row.state === 'reachable') return 'known_reachable';
  return row.learned_at > now - unreachableDays * DAY_MS ? 'learned_unreachable' : 'unknown';
}

/**
 * Learns from one outbound WhatsApp message's new status, in the statement that also reads the
 * message (its account, channel and number): nothing for another channel or another status. The
 * later verdict wins, so a number that left WhatsApp, or came to it, is learned again.
 */
const learn = statement((db, p: { id: string; state: string; at: number }) =>
  db
    .insertInto('wa_reachability')
    .columns(['account_id', 'phone', 'state', 'learned_at'])
    .expression(
      db
        .selectFrom('messages')
        .select([
          'account_id',
          'to_address',
          // typed for PostgreSQL, which cannot tell a parameter's type in a select list
          sql<string>`cast(${p.state} as text)`.as('state'),
          sql<number>`cast(${p.at} as bigint)`.as('learned_at'),
        ])
        .where('id', '=', p.id)
        .where('channel', '=', 'wa')
        .where('direction', '=', 'outbound'),
    )
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'phone'])
        .doUpdateSet((eb) => ({
          state: eb.ref('excluded.state'),
          learned_at: eb.ref('excluded.learned_at'),
        }))
        .where((eb) => eb('excluded.learned_at', '>=', eb.ref('wa_reachability.learned_at'))),
    ),
);

/** The verdict a message status carries about its number on WhatsApp, if any. */
function verdictOf(
  status: MessageTable['status'],
  errorCode: string | undefined,
): 'reachable' | 'unreachable' | undefined {
  if (status === 'delivered' || status === 'read') return 'reachable';
  if (status === 'failed' && errorCode === NOT_ON_WHATSAPP_CODE) return 'unreachable';
  return undefined;
}

/** Called for every status a message moves to; learns only from WhatsApp messages. */
export async function learnFromStatus(
  db: Db,
  messageId: string,
  change: { status: MessageTable['status']; at: number; errorCode?: string },
): Promise<void> {
  const state = verdictOf(change.status, change.errorCode);
  if (state) await learn.run(db, { id: messageId, state, at: change.at });
}

/** How many numbers the account answers not reachable for `wa` now, and knows reachable. */
export async function countLearned(
  db: Db,
  accountId: string,
  now: number,
  unreachableDays: number,
): Promise<{ learnedUnreachable: number; knownReachable: number }> {
  const rows = await db
    .selectFrom('wa_reachability')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'reachable'),
        eb.and([
          eb('state', '=', 'unreachable'),
          eb('learned_at', '>', now - unreachableDays * DAY_MS),
        ]),
      ]),
    )
    .groupBy('state')
    .execute();
  const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
  return { learnedUnreachable: count('unreachable'), knownReachable: count('reachable') };
}

/** Forgets everything the account learned. */
export async function clearLearned(db: Db, accountId: string): Promise<void> {
  await db.deleteFrom('wa_reachability').where('account_id', '=', accountId).execute();
}
