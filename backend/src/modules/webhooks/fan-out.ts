import { sql, type Selectable } from 'kysely';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
  type WebhookEventData,
  type WebhookEventType,
} from '../../../contract/webhooks.js';
import type { Db } from '../../db/database.js';
import { isPostgres } from '../../db/engine.js';
import type { EventTable } from '../../db/schema.js';
import { newUuid } from '../../ids.js';
import { readChannelFailed } from '../../outbox/fallback.js';
import type { StatusChangedPayload } from '../events/events.repo.js';
import { insertDelivery } from './deliveries.repo.js';
import { subscribersOf } from './subscriptions.repo.js';

/** The most events one fan-out reads. */
export const FAN_OUT_BATCH = 200;

type EventRow = Selectable<EventTable>;

/** An internal event as brands see it, with the key that orders its deliveries. */
interface PublicEvent {
  type: WebhookEventType;
  orderKey: string;
  data: WebhookEventData;
}

/**
 * Reads the events table past the persisted cursor and queues one delivery per matching
 * subscription, moving the cursor in the same database transaction: an event is fanned out
 * exactly when the cursor passes it, so a crash or restart loses none (and duplicates none).
 * The cursor row is locked for the transaction, so one node of a cluster fans out at a time.
 * Returns how many events were read and how many deliveries were queued.
 */
export async function fanOutEvents(db: Db, now: number): Promise<{ read: number; queued: number }> {
  return db.transaction().execute(async (tx) => {
    let queued = 0;
    const cursor = await lockCursor(tx);
    const events = await eventsPast(tx, cursor);
    if (events.length === 0) return { read: 0, queued: 0 };

    const subscribers = await subscribersOf(tx, [...new Set(events.map((e) => e.account_id))]);
    for (const e of events) {
      const interested = subscribers.filter(
        (s) => s.accountId === e.account_id && s.fromEventId < e.id,
      );
      if (interested.length === 0) continue;
      const event = await describe(tx, e);
      if (!event) continue;
      for (const s of interested) {
        if (!s.events.includes(event.type)) continue;
        const id = newUuid();
        const body: WebhookEvent = {
          id,
          type: event.type,
          accountId: e.account_id,
          occurredAt: new Date(e.at).toISOString(),
          data: event.data,
        };
        await insertDelivery(tx, {
          id,
          subscriptionId: s.id,
          accountId: e.account_id,
          eventId: e.id,
          type: event.type,
          orderKey: event.orderKey,
          body: JSON.stringify(body),
          now,
        });
        queued++;
      }
    }
    await moveCursor(tx, events.at(-1)!);
    return { read: events.length, queued };
  });
}

/**
 * Where the fan-out has read up to: an event id, and on PostgreSQL the transaction that wrote it
 * (`xid`; '0' on SQLite, where it plays no part).
 */
interface Cursor {
  eventId: number;
  xid: string;
}

/** The cursor, locked until the transaction ends: a node that waits here reads it moved. */
async function lockCursor(tx: Db): Promise<Cursor> {
  // SQLite: the transaction began IMMEDIATE, so it holds the one write lock already
  const row = await tx
    .selectFrom('webhook_cursor')
    .select('last_event_id')
    .$if(isPostgres(tx), (q) => q.select(sql<string>`last_xid::text`.as('last_xid')).forUpdate())
    .where('name', '=', 'events')
    .executeTakeFirstOrThrow();
  return { eventId: row.last_event_id, xid: row.last_xid ?? '0' };
}

/**
 * The next events past the cursor, in cursor order.
 *
 * SQLite's single writer hands out event ids in commit order, so no earlier id can appear later:
 * id order it is. PostgreSQL's concurrent transactions commit out of id order, so an id cursor
 * could pass an event whose transaction has not committed yet. There, only events whose writing
 * transaction is older than every transaction still running (the snapshot's xmin) are read: each
 * of those has committed or rolled back, and any transaction still to commit has a higher xid, so
 * it sorts past the cursor in (xid, id) order.
 */
async function eventsPast(tx: Db, cursor: Cursor): Promise<(EventRow & { xid?: string })[]> {
  if (!isPostgres(tx)) {
    return tx
      .selectFrom('events')
      .selectAll()
      .where('id', '>', cursor.eventId)
      .orderBy('id')
      .limit(FAN_OUT_BATCH)
      .execute();
  }
  return tx
    .selectFrom('events')
    .select(['id', 'account_id', 'type', 'transaction_id', 'payload_json', 'at'])
    .select(sql<string>`xid::text`.as('xid'))
    .where(sql<boolean>`(xid, id) > (${cursor.xid}::xid8, ${cursor.eventId})`)
    .where(sql<boolean>`xid < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy(sql`xid`)
    .orderBy('id')
    .limit(FAN_OUT_BATCH)
    .execute();
}

async function moveCursor(tx: Db, last: EventRow & { xid?: string }): Promise<void> {
  await tx
    .updateTable('webhook_cursor')
    .set({ last_event_id: last.id })
    .$if(isPostgres(tx), (q) => q.set(sql`last_xid`, sql`${last.xid}::xid8`))
    .where('name', '=', 'events')
    .execute();
}

/** Whether any subscription is enabled (one index seek). */
export async function anyEnabledSubscription(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select('enabled')
    .where('enabled', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * With no subscription enabled, moves the cursor past every event in one statement instead of
 * reading them: none is wanted (a subscription starts after the newest event at its creation, and
 * a disabled one is not fanned out to). The statement checks for an enabled subscription itself,
 * so one that another process (or request) enabled since the caller looked is never skipped past.
 */
export async function skipUnwantedEvents(db: Db): Promise<void> {
  if (isPostgres(db)) return skipOnPostgres(db);
  const newest = sql<number>`(select coalesce(max(id), 0) from events)`;
  await db
    .updateTable('webhook_cursor')
    .set({ last_event_id: newest })
    .where('name', '=', 'events')
    .where('last_event_id', '<', newest)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('webhook_subscriptions').select('enabled').where('enabled', '=', 1),
        ),
      ),
    )
    .execute();
}

/**
 * PostgreSQL: to the last event, in cursor order, whose transaction is older than all those
 * still running (see eventsPast). The cursor is locked before the subscriptions are looked at, in
 * a statement of its own: a subscription being created holds the cursor until it commits
 * (subscriptions.repo.ts), so it is either seen here or reads its from_event_id after this skip,
 * past every event skipped.
 */
async function skipOnPostgres(db: Db): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await lockCursor(tx);
    await sql`
      update webhook_cursor c set last_xid = e.xid, last_event_id = e.id
      from (
        select xid, id from events where xid < pg_snapshot_xmin(pg_current_snapshot())
        order by xid desc, id desc limit 1
      ) e
      where c.name = 'events' and (e.xid, e.id) > (c.last_xid, c.last_event_id)
        and not exists (select 1 from webhook_subscriptions where enabled = 1)`.execute(tx);
  });
}

const isPublicType = (t: string): t is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(t);

/** The public type and data of an internal event; undefined for events brands do not get. */
async function describe(db: Db, e: EventRow): Promise<PublicEvent | undefined> {
  const payload = JSON.parse(e.payload_json) as Record<string, unknown>;
  const conversationId = typeof payload.conversationId === 'string' ? payload.conversationId : null;
  const [tx, conversation] = await Promise.all([
    e.transaction_id
      ? db
          .selectFrom('transactions')
          .select(['call_id', 'channel', 'skill'])
          .where('id', '=', e.transaction_id)
          .executeTakeFirst()
      : undefined,
    // a conversation event names its conversation; a transaction's may have one (once replied)
    conversationId || e.transaction_id
      ? db
          .selectFrom('conversations')
          .select(['id', 'channel', 'skill'])
          .$call((q) =>
            conversationId
              ? q.where('id', '=', conversationId)
              : q.where('transaction_id', '=', e.transaction_id),
          )
          .executeTakeFirst()
      : undefined,
  ]);
  const common = {
    transactionId: e.transaction_id,
    callId: tx?.call_id ?? null,
    conversationId: conversation?.id ?? null,
    channel: tx?.channel ?? conversation?.channel ?? null,
    skill: tx?.skill ?? conversation?.skill ?? null,
    error: null,
  };
  // a deflection's conversation events follow its transaction's; others keep their conversation's;
  // a consumer's opt-outs and opt-ins keep theirs
  const phone = typeof payload.phone === 'string' ? payload.phone : undefined;
  const orderKey = e.transaction_id
    ? `transaction:${e.transaction_id}`
    : conversation
      ? `conversation:${conversation.id}`
      : phone
        ? `consumer:${phone}`
        : `event:${e.id}`;

  switch (e.type) {
    case 'transaction.queued': {
      const p = payload as { callId: string; channel: string; skill: string };
      return {
        type: 'transaction.queued',
        orderKey,
        data: { ...common, callId: p.callId, channel: p.channel, skill: p.skill, status: 'queued' },
      };
    }
    case 'transaction.status_changed': {
      const p = payload as unknown as StatusChangedPayload;
      const type = `transaction.${p.status}`;
      if (!isPublicType(type)) return undefined;
      return {
        type,
        orderKey,
        data: {
          ...common,
          channel: p.channel ?? common.channel,
          status: p.status,
          previousStatus: p.from,
          error: p.error ?? null,
        },
      };
    }
    case 'transaction.channel_failed': {
      const p = readChannelFailed(payload);
      return {
        type: 'transaction.channel_failed',
        orderKey,
        data: {
          ...common,
          channel: p.channel,
          nextChannel: p.next,
          status: 'queued',
          error: p.error,
        },
      };
    }
    case 'conversation.opened':
    case 'conversation.closed':
      return {
        type: e.type,
        orderKey,
        data: {
          ...common,
          conversationId,
          status: e.type === 'conversation.opened' ? 'open' : 'closed',
          ...(e.type === 'conversation.opened' && { deflection: payload.deflection === true }),
        },
      };
    case 'consumer.opted_out':
    case 'consumer.opted_in':
      return {
        type: e.type,
        orderKey,
        data: {
          ...common,
          status: e.type === 'consumer.opted_out' ? 'opted_out' : 'opted_in',
          consumerPhoneNumber: phone,
          source: String(payload.source),
          keyword: typeof payload.keyword === 'string' ? payload.keyword : null,
        },
      };
    default:
      return undefined;
  }
}
