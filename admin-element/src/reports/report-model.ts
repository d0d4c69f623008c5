import {
  ANALYTICS_MAX_WINDOW_MS,
  DAY_MS,
  type AnalyticsRow,
} from '../../../backend/contract/reporting.js';
import { msg, str } from '@lit/localize';
import { isChannelName } from '../../../backend/contract/channel-names.js';
import { channelLabel as nameOf, failureReasonLabel } from '../shared/labels.js';
import { localDay, startOfLocalDay } from '../../../backend/contract/time-zone.js';

/** The funnel's steps in order, then the two ways out of it, with their labels (shown language). */
export const FUNNEL_STEPS = [
  {
    key: 'attempted',
    get label() {
      return msg('Attempted');
    },
  },
  {
    key: 'sent',
    get label() {
      return msg('Sent');
    },
  },
  {
    key: 'delivered',
    get label() {
      return msg('Delivered');
    },
  },
  {
    key: 'read',
    get label() {
      return msg('Read');
    },
  },
  {
    key: 'conversationscreated',
    get label() {
      return msg('Replied');
    },
  },
] as const;
export const FUNNEL_EXITS = [
  {
    key: 'skipped',
    get label() {
      return msg('Skipped');
    },
  },
  {
    key: 'failed',
    get label() {
      return msg('Failed');
    },
  },
] as const;
export type FunnelKey = (typeof FUNNEL_STEPS)[number]['key'] | (typeof FUNNEL_EXITS)[number]['key'];
export type Funnel = Record<FunnelKey, number>;

export const MAX_DAYS = ANALYTICS_MAX_WINDOW_MS / DAY_MS;

const FUNNEL_KEYS: FunnelKey[] = [...FUNNEL_STEPS, ...FUNNEL_EXITS].map((s) => s.key);

/** The funnel summed over rows. */
export function funnelOf(rows: readonly AnalyticsRow[]): Funnel {
  const sum = Object.fromEntries(FUNNEL_KEYS.map((k) => [k, 0])) as Funnel;
  for (const row of rows) for (const k of FUNNEL_KEYS) sum[k] += row[k];
  return sum;
}

export interface DayPoint {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  attempted: number;
  sent: number;
  replied: number;
}

/** `MM-DD-YYYY` (the API's transactionday) as `YYYY-MM-DD`. */
const isoDay = (transactionday: string) => {
  const [m, d, y] = transactionday.split('-');
  return `${y}-${m}-${d}`;
};

/** One point per UTC day of the window, zero on days without attempts. */
export function perDay(rows: readonly AnalyticsRow[], range: DateRange): DayPoint[] {
  const points = new Map<string, DayPoint>();
  for (const day of daysOf(range)) points.set(day, { day, attempted: 0, sent: 0, replied: 0 });
  for (const row of rows) {
    const point = points.get(isoDay(row.transactionday));
    if (!point) continue;
    point.attempted += row.attempted;
    point.sent += row.sent;
    point.replied += row.conversationscreated;
  }
  return [...points.values()];
}

export interface ChannelTotals extends Funnel {
  channel: string;
  label: string;
}

/** The funnel per channel, the busiest first. */
export function perChannel(rows: readonly AnalyticsRow[]): ChannelTotals[] {
  const byChannel = new Map<string, AnalyticsRow[]>();
  for (const row of rows) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row]);
  return [...byChannel.entries()]
    .map(([channel, list]) => ({ channel, label: channelLabel(channel), ...funnelOf(list) }))
    .sort((a, b) => b.attempted - a.attempted || a.channel.localeCompare(b.channel));
}

export const channelLabel = (channel: string) => {
  if (isChannelName(channel)) return nameOf(channel);
  return channel === 'none' ? msg('No channel') : channel;
};

export interface FailureReason {
  key: string;
  label: string;
  count: number;
}

/** The error keys summed over rows, most frequent first, at most `limit`. */
export function topFailures(rows: readonly AnalyticsRow[], limit = 8): FailureReason[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const [key, n] of Object.entries(row.error_aggregation)) {
      counts.set(key, (counts.get(key) ?? 0) + n);
    }
  }
  return [...counts.entries()]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ key, label: failureReasonLabel(key), count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, limit);
}

/** A range of whole days (of the account's zone), both ends included, as `<input type=date>` values. */
export interface DateRange {
  from: string;
  to: string;
}

const toIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const parseDay = (day: string) => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
};

/** The last `days` days of `zone` (the account's), today included. */
export function lastDays(days: number, now = Date.now(), zone = 'UTC'): DateRange {
  const today = localDay(now, zone) * DAY_MS;
  return { from: toIso(today - (days - 1) * DAY_MS), to: toIso(today) };
}

/** The API's window for a range of `zone`'s days (end exclusive), or why there is none. */
export function windowOf(
  range: DateRange,
  zone = 'UTC',
): { attemptedStartTime: number; attemptedEndTime: number } | { error: string } {
  const start = parseDay(range.from);
  const end = parseDay(range.to);
  if (start === undefined || end === undefined) return { error: msg('Choose both dates.') };
  if (end < start) return { error: msg('The end date is before the start date.') };
  const days = (end - start) / DAY_MS + 1;
  if (days > MAX_DAYS) {
    return { error: msg(str`Choose at most ${MAX_DAYS} days (this range has ${days}).`) };
  }
  return {
    attemptedStartTime: startOfLocalDay(start / DAY_MS, zone),
    attemptedEndTime: startOfLocalDay(end / DAY_MS + 1, zone),
  };
}

/** Every day of a valid range; none for an invalid one. */
export function daysOf(range: DateRange): string[] {
  if ('error' in windowOf(range)) return [];
  const days: string[] = [];
  const [from, to] = [parseDay(range.from)!, parseDay(range.to)!];
  for (let ms = from; ms <= to; ms += DAY_MS) days.push(toIso(ms));
  return days;
}

/** Whether the range reaches today (in `zone`), so new calls can still change it. */
export const includesToday = (range: DateRange, now = Date.now(), zone = 'UTC') => {
  const w = windowOf(range, zone);
  return !('error' in w) && w.attemptedStartTime <= now && now < w.attemptedEndTime;
};

/**
 * A range that ended today, moved to end on the new today with the same length: a dashboard left
 * open over midnight UTC keeps following. Any other range is returned as it is.
 */
export function rolledOver(
  range: DateRange,
  endedOn: string,
  now = Date.now(),
  zone = 'UTC',
): DateRange {
  const today = lastDays(1, now, zone).to;
  const from = parseDay(range.from);
  const to = parseDay(range.to);
  const newToday = parseDay(today)!;
  if (range.to !== endedOn || today === endedOn || from === undefined || to === undefined) {
    return range;
  }
  return { from: toIso(newToday - (to - from)), to: today };
}
