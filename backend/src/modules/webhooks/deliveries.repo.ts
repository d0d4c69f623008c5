import { sql, type Selectable } from 'kysely';
import type { DeliveryStatus } from '../../../contract/webhooks.js';
import type { Db } from '../../db/database.js';
import { isPostgres } from '../../db/engine.js';
import type { WebhookDeliveryTable } from '../../db/schema.js';

export type DeliveryRow = Selectable<WebhookDeliveryTable>;

/** How long a delivery is retried before it is failed (listed, and replayable). */
export const RETRY_WINDOW_MS = 86_400_000;

/** Queues one event for one subscription; a second insert of the same pair does nothing. */
export async function insertDelivery(
  db: Db,
  d: {
    id: string;
    subscriptionId: string;
    accountId: string;
    eventId: number;
    type: string;
    orderKey: string;
    body: string;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      id: d.id,
      subscription_id: d.subscriptionId,
      account_id: d.accountId,
      event_id: d.eventId,
      type: d.type,
      order_key: d.orderKey,
      body_json: d.body,
      status: 'pending',
      attempts: 0,
      next_attempt_at: d.now,
      expires_at: d.now + RETRY_WINDOW_MS,
      last_error: null,
      created_at: d.now,
      delivered_at: null,
    })
    .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing())
    .execute();
}

/**
 * Leases to this node, until `now + leaseMs`, up to `limit` deliveries due now whose subscription
 * is enabled and that are first of their order key: a delivery waits while an earlier event of
 * the same key is still pending for its subscription (leased to a node or not), so several nodes
 * keep the order. One UPDATE … RETURNING, atomic on both engines (PostgreSQL: `FOR UPDATE SKIP
 * LOCKED`, so two nodes never lease one row); a lease that runs out makes the row due again.
 * Returned in event order.
 */
export async function claimDueDeliveries(
  db: Db,
  claim: { now: number; leaseMs: number; limit: number },
): Promise<DeliveryRow[]> {
  const { now, leaseMs, limit } = claim;
  const pg = isPostgres(db);
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ locked_until: now + leaseMs })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
        .select('d.id')
        .where('s.enabled', '=', 1)
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('webhook_deliveries as e')
                .select('e.id')
                .whereRef('e.subscription_id', '=', 'd.subscription_id')
                .whereRef('e.order_key', '=', 'd.order_key')
                .where('e.status', '=', 'pending')
                .whereRef('e.event_id', '<', 'd.event_id'),
            ),
          ),
        )
        .$if(pg, (q) => q.where(noEarlierEventBehindCursor).forUpdate(['d']).skipLocked())
        .orderBy('d.event_id')
        .limit(limit),
    )
    .returningAll()
    .execute();
  // RETURNING promises no order
  return rows.sort((a, b) => a.event_id - b.event_id);
}

/**
 * PostgreSQL: the fan-out passes events in (xid, id) order (fan-out.ts), so an event of a
 * transaction may be fanned out before one with a lower id written by an older-started database
 * transaction that committed first. Its delivery waits until every earlier event of its
 * transaction is past the cursor, when the rule above orders them.
 */
const noEarlierEventBehindCursor = sql<boolean>`not exists (
  select 1 from events ev
  join events a on a.transaction_id = ev.transaction_id and a.id < ev.id
  join webhook_cursor c on c.name = 'events'
  where ev.id = d.event_id and (a.xid, a.id) > (c.last_xid, c.last_event_id))`;

/**
 * Hands back leased deliveries this node will not attempt after all (it is stopping, or their
 * lease is half gone): due again at once, for any node. Only those still under this lease.
 */
export async function releaseDeliveries(db: Db, rows: readonly DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ locked_until: null })
    .where(
      'id',
      'in',
      rows.map((d) => d.id),
    )
    .where('locked_until', '=', rows[0].locked_until)
    .execute();
}

export async function markDelivered(db: Db, d: DeliveryRow, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'delivered',
      delivered_at: now,
      attempts: d.attempts + 1,
      last_error: null,
      locked_until: null,
    })
    .where('id', '=', d.id)
    .execute();
}

/** Records a failed attempt: retried at `retryAt`, or failed for good past the retry window. */
export async function markAttemptFailed(
  db: Db,
  d: DeliveryRow,
  change: { error: string; now: number; retryAt: number },
): Promise<'pending' | 'failed'> {
  const status = change.now >= d.expires_at ? 'failed' : 'pending';
  await db
    .updateTable('webhook_deliveries')
    .set({
      status,
      attempts: d.attempts + 1,
      last_error: change.error,
      next_attempt_at: change.retryAt,
      locked_until: null,
    })
    .where('id', '=', d.id)
    // delivered meanwhile by a node that took over this one's lapsed lease: it stays delivered
    .where('status', '=', 'pending')
    .execute();
  return status;
}

/** One subscription's deliveries, newest first. */
export async function listDeliveries(
  db: Db,
  accountId: string,
  subscriptionId: string,
  status: DeliveryStatus | undefined,
  limit = 200,
): Promise<DeliveryRow[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('subscription_id', '=', subscriptionId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('event_id', 'desc').limit(limit).execute();
}

/**
 * Queues a delivery of the account's again, to be sent now with a fresh 24 h of retries; its body
 * and id stay the same, so a receiver that already has it can tell. Undefined when there is none.
 */
export async function replayDelivery(
  db: Db,
  accountId: string,
  id: string,
  now: number,
): Promise<DeliveryRow | undefined> {
  return db
    .updateTable('webhook_deliveries')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      expires_at: now + RETRY_WINDOW_MS,
      delivered_at: null,
      locked_until: null,
    })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
