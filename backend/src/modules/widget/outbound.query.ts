import { sql } from 'kysely';
import {
  OutboundChannel,
  OutboundStatus,
  type OutboundMessageView,
  type OutboundStatusChange,
} from '../../../contract/outbound.js';
import type { WidgetSubject } from '../../../contract/realtime.js';
import type { Db } from '../../db/database.js';
import { iso, isoOrNull } from '../../clock.js';

const DAY_MS = 86_400_000;

/** A subject as WidgetSubject parses it: the defaults filled in. */
export type ParsedWidgetSubject = Required<Pick<WidgetSubject, 'limit' | 'days'>> &
  Omit<WidgetSubject, 'limit' | 'days'>;

function baseQuery(db: Db, accountId: string) {
  return db
    .selectFrom('transactions as t')
    .leftJoin('calls as c', 'c.id', 't.call_id')
    .leftJoin('handoffs as h', 'h.id', 't.handoff_id')
    .select([
      't.id',
      't.call_id',
      't.channel',
      't.handoff_id',
      't.skill',
      't.ivr_number',
      't.consumer_phone',
      't.consumer_id',
      't.status',
      't.error_code',
      't.error_message',
      't.sent_at',
      't.invited_at',
      'c.sdes_json',
      'h.title as handoff_title',
    ])
    .where('t.account_id', '=', accountId);
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

/**
 * The outbound messages an agent's widget shows for a consumer (by phone, consumerId, or the
 * conversation a message led to — any of those given), newest first, within `days` of `now`.
 */
export async function listOutbound(
  db: Db,
  accountId: string,
  subject: ParsedWidgetSubject,
  now: number = Date.now(),
): Promise<OutboundMessageView[]> {
  const rows = await baseQuery(db, accountId)
    .where('t.invited_at', '>=', now - subject.days * DAY_MS)
    .where((eb) =>
      eb.or([
        ...(subject.consumerPhoneNumber !== undefined
          ? [eb('t.consumer_phone', '=', subject.consumerPhoneNumber)]
          : []),
        ...(subject.consumerId !== undefined ? [eb('t.consumer_id', '=', subject.consumerId)] : []),
        ...(subject.conversationId !== undefined
          ? [
              eb(
                't.id',
                'in',
                eb
                  .selectFrom('conversations')
                  .select('transaction_id')
                  .where('account_id', '=', accountId)
                  .where('id', '=', subject.conversationId)
                  .where('transaction_id', 'is not', null)
                  .$narrowType<{ transaction_id: string }>(),
              ),
            ]
          : []),
      ]),
    )
    .orderBy('t.invited_at', 'desc')
    .orderBy(sql`t.rowid`, 'desc')
    .limit(subject.limit)
    .execute();
  return toViews(db, rows);
}

/** One outbound message of the account, or undefined when it is not there (or another's). */
export async function outboundView(
  db: Db,
  accountId: string,
  transactionId: string,
): Promise<OutboundMessageView | undefined> {
  const row = await baseQuery(db, accountId).where('t.id', '=', transactionId).executeTakeFirst();
  return row && (await toViews(db, [row]))[0];
}

async function toViews(db: Db, rows: Row[]): Promise<OutboundMessageView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const messages = await db
    .selectFrom('messages')
    .select(['transaction_id', 'body', 'channel', 'status', 'created_at'])
    .where('transaction_id', 'in', ids)
    .where('direction', '=', 'outbound')
    .orderBy('created_at', 'desc')
    .orderBy(sql`rowid`, 'desc')
    .execute();
  const events = await db
    .selectFrom('events')
    .select(['transaction_id', 'type', 'payload_json', 'at'])
    .where('transaction_id', 'in', ids)
    .where('type', 'in', ['transaction.queued', 'transaction.status_changed'])
    .orderBy('at')
    .orderBy('id')
    .execute();
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'transaction_id', 'channel', 'status', 'opened_at'])
    .where('transaction_id', 'in', ids)
    .orderBy('opened_at', 'desc')
    .orderBy(sql`rowid`, 'desc')
    .execute();

  return rows.map((r) => {
    // the latest conversation the message led to
    const conversation = conversations.find((c) => c.transaction_id === r.id);
    const own = messages.filter((m) => m.transaction_id === r.id);
    // the message the consumer got; a failed attempt only when nothing else went out
    const message = own.find((m) => m.status !== 'failed') ?? own[0];
    const history: OutboundStatusChange[] = [];
    for (const e of events) {
      if (e.transaction_id !== r.id) continue;
      const status =
        e.type === 'transaction.queued'
          ? 'queued'
          : (JSON.parse(e.payload_json) as { status?: unknown }).status;
      const parsed = OutboundStatus.safeParse(status);
      if (parsed.success) history.push({ status: parsed.data, at: iso(e.at) });
    }
    const sentAt =
      r.sent_at ?? (message && message.status !== 'queued' ? message.created_at : null);
    return {
      id: r.id,
      callId: r.call_id,
      channel: OutboundChannel.catch('sms').parse(message?.channel ?? r.channel),
      text: message?.body ?? '',
      handoffId: r.handoff_id,
      handoffTitle: r.handoff_title ?? '',
      skill: r.skill,
      ivrNumber: r.ivr_number,
      consumerPhoneNumber: r.consumer_phone,
      consumerId: r.consumer_id,
      status: r.status,
      statusHistory: history,
      failureReason: r.error_message ?? r.error_code,
      sentAt: isoOrNull(sentAt),
      createdAt: iso(r.invited_at),
      sdes: r.sdes_json ? (JSON.parse(r.sdes_json) as unknown[]) : [],
      conversation: conversation
        ? {
            id: conversation.id,
            channel: conversation.channel,
            openedAt: iso(conversation.opened_at),
            status: conversation.status,
          }
        : null,
    };
  });
}
