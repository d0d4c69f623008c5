import { sql, type SelectQueryBuilder } from 'kysely';
import {
  DAY_MS,
  type AnalyticsFilters,
  type AnalyticsRow,
  type GroupBy,
  type ReportWindow,
  type Source,
} from '../../../contract/reporting.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/** Columns an analytics row can be grouped by, beyond channel × skill × day. */
const GROUP_COLUMN = { handoff: 'handoff_id', ivrnumber: 'ivr_number', source: 'source' } as const;

/**
 * The funnel per channel × skill × UTC day of the attempt, read from the running sums. Days are
 * whole: a window that starts or ends inside a day counts that whole day (the sums are per day).
 * Filtering by handoff, IVR number or source also groups by it, as the product does for source
 * and handoffid; `groupby` asks for it without filtering.
 */
export async function queryAnalytics(
  db: Db,
  accountId: string,
  window: ReportWindow,
  filters: AnalyticsFilters,
): Promise<AnalyticsRow[]> {
  const groups = groupingOf(filters);
  const firstDay = Math.floor(window.attemptedStartTime / DAY_MS);
  const lastDay = Math.floor((window.attemptedEndTime - 1) / DAY_MS);
  const keyColumns = ['day', 'channel', 'skill', ...groups.map((g) => GROUP_COLUMN[g])] as const;

  const counts = await filtered(
    db.selectFrom('report_daily'),
    accountId,
    firstDay,
    lastDay,
    filters,
  )
    .select(keyColumns)
    .select((eb) => [
      eb.fn.sum<number>('attempted').as('attempted'),
      eb.fn.sum<number>('eligible').as('eligible'),
      eb.fn.sum<number>('invited').as('invited'),
      eb.fn.sum<number>('skipped').as('skipped'),
      eb.fn.sum<number>('sent').as('sent'),
      eb.fn.sum<number>('failed').as('failed'),
      eb.fn.sum<number>('delivered').as('delivered'),
      eb.fn.sum<number>('read').as('read'),
      eb.fn.sum<number>('responded').as('conversationscreated'),
      eb.fn.sum<number>('closed').as('conversationsclosed'),
    ])
    .groupBy(keyColumns)
    .having(sql<number>`sum(attempted)`, '>', 0)
    .$call((q) => keyColumns.reduce((ordered, c) => ordered.orderBy(c), q))
    .execute();

  const errors = await filtered(
    db.selectFrom('report_daily_errors'),
    accountId,
    firstDay,
    lastDay,
    filters,
  )
    .select([...keyColumns, 'error_key'])
    .select((eb) => eb.fn.sum<number>('count').as('count'))
    .groupBy([...keyColumns, 'error_key'])
    .having(sql<number>`sum(count)`, '>', 0)
    .execute();

  const keyOf = (r: Record<string, unknown>) => keyColumns.map((c) => String(r[c])).join('\u0000');
  const errorsByKey = new Map<string, Record<string, number>>();
  for (const e of errors) {
    const key = keyOf(e);
    const aggregation = errorsByKey.get(key) ?? {};
    aggregation[e.error_key] = Number(e.count);
    errorsByKey.set(key, aggregation);
  }

  return counts.map((r) => {
    const row = r as typeof r & Partial<Record<'handoff_id' | 'ivr_number' | 'source', string>>;
    return {
      channel: row.channel,
      skill: row.skill,
      transactionday: transactionDay(row.day),
      ...(row.handoff_id !== undefined && { handoffid: row.handoff_id }),
      ...(row.ivr_number !== undefined && { ivrnumber: row.ivr_number }),
      ...(row.source !== undefined && { source: row.source as Source }),
      attempted: Number(row.attempted),
      eligible: Number(row.eligible),
      invited: Number(row.invited),
      skipped: Number(row.skipped),
      sent: Number(row.sent),
      failed: Number(row.failed),
      delivered: Number(row.delivered),
      read: Number(row.read),
      conversationscreated: Number(row.conversationscreated),
      conversationsclosed: Number(row.conversationsclosed),
      error_aggregation: errorsByKey.get(keyOf(row)) ?? {},
    };
  });
}

function groupingOf(filters: AnalyticsFilters): GroupBy[] {
  const groups = new Set<GroupBy>(filters.groupby ?? []);
  if (filters.handoffids?.length) groups.add('handoff');
  if (filters.ivrnumbers?.length) groups.add('ivrnumber');
  if (filters.source?.length) groups.add('source');
  return (['handoff', 'ivrnumber', 'source'] as const).filter((g) => groups.has(g));
}

type SumsTable = 'report_daily' | 'report_daily_errors';

function filtered<T extends SumsTable>(
  query: SelectQueryBuilder<Database, T, object>,
  accountId: string,
  firstDay: number,
  lastDay: number,
  f: AnalyticsFilters,
): SelectQueryBuilder<Database, T, object> {
  // the table is either of the two sums tables; both have these columns
  let q = query as unknown as SelectQueryBuilder<Database, 'report_daily', object>;
  q = q
    .where('account_id', '=', accountId)
    .where('day', '>=', firstDay)
    .where('day', '<=', lastDay);
  if (f.channels?.length) q = q.where('channel', 'in', f.channels);
  if (f.skills?.length) q = q.where('skill', 'in', f.skills);
  if (f.handoffids?.length) q = q.where('handoff_id', 'in', f.handoffids);
  if (f.ivrnumbers?.length) q = q.where('ivr_number', 'in', f.ivrnumbers);
  if (f.source?.length) q = q.where('source', 'in', f.source);
  return q as unknown as SelectQueryBuilder<Database, T, object>;
}

/** `MM-DD-YYYY`, as in the product's examples. */
export function transactionDay(day: number): string {
  const d = new Date(day * DAY_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}-${d.getUTCFullYear()}`;
}
