import { sql, type Expression, type SqlBool } from 'kysely';
import {
  DAY_MS,
  type MessageStatus,
  type ReportWindow,
  type Source,
  type TransactionRecord,
  type TransactionsBody,
} from '../../../contract/reporting.js';
import { readInChunks, type Db } from '../../db/database.js';

/** The v2 messageStatus of a call: from its transaction, or from the eligibility answer. */
const MESSAGE_STATUS = sql<MessageStatus>`case
  when t.id is null then case c.report_outcome
    when 'opted_out' then 'SKIPPED' when 'ineligible' then 'FAILED' else 'OFFERED' end
  else case t.status
    when 'queued' then 'QUEUED' when 'sent' then 'SENT' when 'delivered' then 'DELIVERED'
    when 'read' then 'READ' when 'replied' then 'RESPONDED' when 'failed' then 'FAILED'
    else 'SKIPPED' end
  end`;
const CHANNEL = sql<string>`coalesce(t.channel, c.report_channel)`;
const SKILL = sql<string>`coalesce(t.skill, c.skill)`;

/** One row per call of the account, joined to what came of it. */
function records(db: Db, accountId: string) {
  return (
    db
      .selectFrom('calls as c')
      .leftJoin('transactions as t', 't.call_id', 'c.id')
      // a transaction opens at most one conversation (the first reply within its lookback)
      .leftJoin('conversations as v', 'v.transaction_id', 't.id')
      .where('c.account_id', '=', accountId)
      .select([
        'c.id as callId',
        't.id as transactionId',
        'c.report_channel as initialChannel',
        'c.skill as initialSkill',
        'c.created_at as attemptedAt',
        'c.report_outcome as outcome',
        'c.report_error as attemptError',
        'c.handoff_id as handOffId',
        'c.ivr_number as ivrNumber',
        'c.consumer_id as consumerId',
        'c.source as source',
        't.invited_at as invitedAt',
        't.sent_at as sentAt',
        't.delivered_at as deliveredAt',
        't.read_at as readAt',
        't.failed_at as failedAt',
        't.status as status',
        't.updated_at as updatedAt',
        't.error_source as errorSource',
        't.error_code as errorCode',
        't.error_message as errorMessage',
        'v.id as conversationId',
        'v.opened_at as openedAt',
        'v.closed_at as closedAt',
      ])
      .select((eb) => {
        // the consumer's first opt-out (or opt-in) at or after the call
        const firstAfterCall = (action: 'opt_out' | 'opt_in') =>
          eb
            .selectFrom('optout_ledger as o')
            .select((o) => o.fn.min('o.at').as('at'))
            .where('o.account_id', '=', accountId)
            .whereRef('o.phone', '=', 'c.consumer_phone')
            .where('o.action', '=', action)
            .whereRef('o.at', '>=', 'c.created_at');
        return [
          CHANNEL.as('channel'),
          SKILL.as('skill'),
          MESSAGE_STATUS.as('messageStatus'),
          firstAfterCall('opt_out').as('optOutAt'),
          firstAfterCall('opt_in').as('optInAt'),
        ];
      })
  );
}

type RecordRow = Awaited<ReturnType<ReturnType<typeof records>['execute']>>[number];

let cachedDay = Number.NaN;
let cachedDayPrefix = '';
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * `Date#toISOString` for the reporting times, without a Date per value: the day's prefix is kept
 * (a window's records share few days), the time is arithmetic. Exports format millions of these.
 */
export function iso(ms: number | null | undefined): string | null {
  if (ms == null) return null;
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const inDay = ms - day * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  const milli = inDay - seconds * 1000;
  const time = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  return `${cachedDayPrefix}${time}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** Spec §9.4: one reporting record, times as ISO-8601, null for steps not (yet) taken. */
export function toRecord(r: RecordRow): TransactionRecord {
  const refused = r.transactionId === null && r.outcome !== 'eligible';
  const [attemptSource, attemptCode] = (r.attemptError ?? '').split('_');
  return {
    transactionId: r.transactionId ?? r.callId,
    callId: r.callId,
    channel: r.channel,
    skill: r.skill,
    initialChannel: r.initialChannel,
    initialSkill: r.initialSkill,
    attemptedTime: iso(r.attemptedAt)!,
    eligibleTime: r.outcome === 'eligible' ? iso(r.attemptedAt) : null,
    inviteTime: iso(r.invitedAt),
    sentTime: iso(r.sentAt),
    deliveredTime: iso(r.deliveredAt),
    readTime: iso(r.readAt),
    failedTime:
      r.status === 'failed'
        ? iso(r.failedAt)
        : refused && r.outcome === 'ineligible'
          ? iso(r.attemptedAt)
          : null,
    skippedTime:
      r.status === 'skipped'
        ? iso(r.updatedAt)
        : refused && r.outcome === 'opted_out'
          ? iso(r.attemptedAt)
          : null,
    cancelledTime: null,
    conversationsCreatedTime: iso(r.openedAt),
    conversationsClosedTime: iso(r.closedAt),
    optInsTime: iso(r.optInAt),
    optOutsTime: iso(r.optOutAt),
    conversationId: r.conversationId,
    consumerId: r.consumerId,
    handOffId: r.handOffId,
    ivrNumber: r.ivrNumber,
    source: r.source as Source,
    errorCode: r.status === 'failed' ? r.errorCode : refused ? (attemptCode ?? null) : null,
    errorMessage:
      r.status === 'failed'
        ? r.errorMessage
        : refused
          ? (REFUSAL[r.attemptError ?? ''] ?? null)
          : null,
    errorSource: r.status === 'failed' ? r.errorSource : refused ? attemptSource || null : null,
    messageStatus: r.messageStatus,
  };
}

const REFUSAL: Record<string, string> = {
  c2m_1001: 'Consumer not eligible on any channel of the handoff',
  c2m_1400: 'An open conversation already exists',
  c2m_1029: 'Frequency cap: too many invites to this number in the last hour',
};

/** Transactions v2: one page of the window's records, oldest first, and how many match. */
export async function queryTransactions(
  db: Db,
  accountId: string,
  window: ReportWindow,
  body: TransactionsBody,
): Promise<{ count: number; records: TransactionRecord[] }> {
  const f = body.filters ?? {};
  const matching = records(db, accountId).where((eb) => {
    const all: Expression<SqlBool>[] = [
      eb('c.created_at', '>=', window.attemptedStartTime),
      eb('c.created_at', '<', window.attemptedEndTime),
    ];
    if (f.channels?.length) all.push(eb(CHANNEL, 'in', f.channels));
    if (f.skills?.length) all.push(eb(SKILL, 'in', f.skills));
    if (f.messagestatus?.length) all.push(eb(MESSAGE_STATUS, 'in', f.messagestatus));
    if (f.transactionids?.length) {
      all.push(eb.or([eb('t.id', 'in', f.transactionids), eb('c.id', 'in', f.transactionids)]));
    }
    return eb.and(all);
  });
  const rows = await matching
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(body.limit)
    .offset(body.offset)
    .execute();
  const counted = await matching
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { count: Number(counted.n), records: rows.map(toRecord) };
}

/**
 * Every record of a window, oldest first, in chunks: the same query as the API's pages, read from
 * its own connection (see readInChunks), so exports of any length stream in constant memory.
 */
export async function* eachRecord(
  db: Db,
  file: string,
  accountId: string,
  window: ReportWindow,
  chunkRows = 1000,
): AsyncGenerator<TransactionRecord[]> {
  const query = records(db, accountId)
    .where('c.created_at', '>=', window.attemptedStartTime)
    .where('c.created_at', '<', window.attemptedEndTime)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .compile();
  for await (const rows of readInChunks<RecordRow>(file, query, chunkRows)) {
    yield rows.map(toRecord);
  }
}
