import { sql, type RawBuilder } from 'kysely';
import {
  DAY_MS,
  FUNNEL,
  type AnalyticsFilters,
  type AnalyticsRow,
  type FunnelCount,
  type GroupBy,
  type ReportWindow,
  type Source,
} from '../../../contract/reporting.js';
import type { Db } from '../../db/database.js';
import { localDay, startOfLocalDay } from '../../../contract/time-zone.js';

/** Columns an analytics row can be grouped by, beyond channel × skill × day. */
const GROUP_COLUMN = { handoff: 'handoff_id', ivrnumber: 'ivr_number', source: 'source' } as const;
type KeyColumn = 'day' | 'channel' | 'skill' | (typeof GROUP_COLUMN)[GroupBy];

/** Each funnel count over the daily sums; over fact rows an attempt is a row. */
const OVER_SUMS: Record<FunnelCount, string> = {
  attempted: 'sum(attempted)',
  eligible: 'sum(eligible)',
  invited: 'sum(invited)',
  skipped: 'sum(skipped)',
  sent: 'sum(sent)',
  failed: 'sum(failed)',
  delivered: 'sum(delivered)',
  read: 'sum(read)',
  conversationscreated: 'sum(responded)',
  conversationsclosed: 'sum(closed)',
};
const OVER_FACTS: Record<FunnelCount, string> = { ...OVER_SUMS, attempted: 'count(*)' };

type Keyed = Partial<Record<KeyColumn, string | number>>;
type Counted = Keyed & Record<FunnelCount, number>;
type ErrorCounted = Keyed & { error_key: string; count: number };

/** Whole UTC days, or a time range inside the one or two days a window only partly covers. */
type Range = { days: [first: number, last: number] } | { from: number; to: number };

/**
 * The funnel per channel × skill × UTC day of the attempt. The window's whole days are read from
 * the running sums; the parts of its first and last day that it only partly covers are counted
 * from the fact rows (at most two days of them), so a window is exact to the millisecond.
 * Filtering by handoff, IVR number or source also groups by it, as the product does for source
 * and handoffid; `groupby` asks for it without filtering.
 */
export async function queryAnalytics(
  db: Db,
  accountId: string,
  window: ReportWindow,
  filters: AnalyticsFilters,
  zone = 'UTC',
): Promise<AnalyticsRow[]> {
  const keys: KeyColumn[] = [
    'day',
    'channel',
    'skill',
    ...groupingOf(filters).map((g) => GROUP_COLUMN[g]),
  ];
  if (zone !== 'UTC') return queryLocalDays(db, accountId, window, filters, zone, keys);
  const { attemptedStartTime: start, attemptedEndTime: end } = window;
  const firstWholeDay = Math.ceil(start / DAY_MS);
  const afterWholeDays = Math.floor(end / DAY_MS);
  const ranges: Range[] =
    firstWholeDay < afterWholeDays
      ? [
          { days: [firstWholeDay, afterWholeDays - 1] },
          { from: start, to: firstWholeDay * DAY_MS },
          { from: afterWholeDays * DAY_MS, to: end },
        ]
      : [{ from: start, to: end }];

  const counts: Counted[] = [];
  const errors: ErrorCounted[] = [];
  for (const range of ranges) {
    if ('from' in range && range.from >= range.to) continue;
    const where = conditions(accountId, filters, range);
    const keyList = sql.join(keys.map((k) => sql.ref(k)));
    const overFacts = 'from' in range;
    const funnel = sql.join(
      FUNNEL.map((c) => sql`${sql.raw((overFacts ? OVER_FACTS : OVER_SUMS)[c])} as ${sql.ref(c)}`),
    );
    const table = sql.table(overFacts ? 'report_facts' : 'report_daily');
    const found = await sql<Counted>`select ${keyList}, ${funnel} from ${table}
      where ${where} group by ${keyList}`.execute(db);
    counts.push(...found.rows);
    const failures = overFacts
      ? sql<ErrorCounted>`select ${keyList}, error_key, count(*) as count from report_facts
          where ${where} and error_key is not null group by ${keyList}, error_key`
      : sql<ErrorCounted>`select ${keyList}, error_key, sum(count) as count
          from report_daily_errors where ${where} group by ${keyList}, error_key`;
    errors.push(...(await failures.execute(db)).rows);
  }
  return merge(keys, counts, errors);
}

/**
 * The same funnel by the days of `zone`: a local day is never a whole UTC day (or is 23 or 25
 * hours long across a change of daylight saving), so the window is counted from the fact rows,
 * each put in the local day whose start (computed by Intl, exact for any offset) it follows.
 */
async function queryLocalDays(
  db: Db,
  accountId: string,
  window: ReportWindow,
  filters: AnalyticsFilters,
  zone: string,
  keys: KeyColumn[],
): Promise<AnalyticsRow[]> {
  const { attemptedStartTime: start, attemptedEndTime: end } = window;
  const first = localDay(start, zone);
  const last = localDay(end - 1, zone);
  // newest first: a fact is in the latest day that started at or before it; numbers inlined,
  // so the select's expression and the group-by's are the same text (PostgreSQL compares them)
  const starts: string[] = [];
  for (let day = last; day > first; day--) {
    starts.push(`when attempted_at >= ${startOfLocalDay(day, zone)} then ${day}`);
  }
  const day = sql.raw(starts.length ? `(case ${starts.join(' ')} else ${first} end)` : `${first}`);
  const others = keys.filter((k) => k !== 'day').map((k) => sql.ref(k));
  const selected = sql.join([sql`${day} as day`, ...others]);
  // a window inside one local day has a constant day, which a group-by would read as a position
  const grouped = sql.join(starts.length ? [day, ...others] : others);
  const where = conditions(accountId, filters, { from: start, to: end });
  const funnel = sql.join(FUNNEL.map((c) => sql`${sql.raw(OVER_FACTS[c])} as ${sql.ref(c)}`));
  const counts = await sql<Counted>`select ${selected}, ${funnel} from report_facts
    where ${where} group by ${grouped}`.execute(db);
  const errors = await sql<ErrorCounted>`select ${selected}, error_key, count(*) as count
    from report_facts where ${where} and error_key is not null
    group by ${grouped}, error_key`.execute(db);
  return merge(keys, counts.rows, errors.rows);
}

function conditions(accountId: string, f: AnalyticsFilters, range: Range): RawBuilder<unknown> {
  const all = [
    sql`account_id = ${accountId}`,
    'days' in range
      ? sql`day between ${range.days[0]} and ${range.days[1]}`
      : sql`attempted_at >= ${range.from} and attempted_at < ${range.to}`,
  ];
  const among = (column: string, values: readonly string[] | undefined) => {
    if (values?.length) all.push(sql`${sql.ref(column)} in (${sql.join(values)})`);
  };
  among('channel', f.channels);
  among('skill', f.skills);
  among('handoff_id', f.handoffids);
  among('ivr_number', f.ivrnumbers);
  among('source', f.source);
  return sql.join(all, sql` and `);
}

/** Adds up the rows of the same key from every range, in the order of the keys. */
function merge(keys: KeyColumn[], counts: Counted[], errors: ErrorCounted[]): AnalyticsRow[] {
  const keyOf = (r: Keyed) => keys.map((k) => String(r[k])).join('\u0000');
  const rows = new Map<string, { key: Keyed; counts: Record<FunnelCount, number> }>();
  for (const r of counts) {
    const id = keyOf(r);
    const row = rows.get(id) ?? {
      key: Object.fromEntries(keys.map((k) => [k, r[k]])),
      counts: Object.fromEntries(FUNNEL.map((c) => [c, 0])) as Record<FunnelCount, number>,
    };
    for (const c of FUNNEL) row.counts[c] += Number(r[c]);
    rows.set(id, row);
  }
  const failures = new Map<string, Record<string, number>>();
  for (const e of errors) {
    const id = keyOf(e);
    const byKey = failures.get(id) ?? {};
    byKey[e.error_key] = (byKey[e.error_key] ?? 0) + Number(e.count);
    failures.set(id, byKey);
  }
  const compare = (a: Keyed, b: Keyed) => {
    for (const k of keys) {
      const [x, y] = [a[k]!, b[k]!];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  return [...rows.entries()]
    .filter(([, row]) => row.counts.attempted > 0)
    .sort(([, a], [, b]) => compare(a.key, b.key))
    .map(([id, { key, counts }]) => ({
      channel: String(key.channel),
      skill: String(key.skill),
      transactionday: transactionDay(Number(key.day)),
      ...(key.handoff_id !== undefined && { handoffid: String(key.handoff_id) }),
      ...(key.ivr_number !== undefined && { ivrnumber: String(key.ivr_number) }),
      ...(key.source !== undefined && { source: key.source as Source }),
      ...counts,
      error_aggregation: Object.fromEntries(
        Object.entries(failures.get(id) ?? {}).filter(([, n]) => n > 0),
      ),
    }));
}

function groupingOf(filters: AnalyticsFilters): GroupBy[] {
  const groups = new Set<GroupBy>(filters.groupby ?? []);
  if (filters.handoffids?.length) groups.add('handoff');
  if (filters.ivrnumbers?.length) groups.add('ivrnumber');
  if (filters.source?.length) groups.add('source');
  return (['handoff', 'ivrnumber', 'source'] as const).filter((g) => groups.has(g));
}

/** `MM-DD-YYYY`, as in the product's examples. */
export function transactionDay(day: number): string {
  const d = new Date(day * DAY_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}-${d.getUTCFullYear()}`;
}
