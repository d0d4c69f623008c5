import { z } from 'zod';

// Days in an account's time zone, for reporting: where a day starts in UTC, exact for whole-,
// half- and quarter-hour offsets and across daylight-saving changes (Intl's tz database).

const DAY_MS = 86_400_000;

/** Whether `name` is an IANA time zone this runtime knows (`UTC`, `America/New_York`). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TIME_ZONE_RULE = 'must be an IANA time zone name, e.g. America/New_York or UTC';
export const TimeZone = z.string().max(64).refine(isTimeZone, TIME_ZONE_RULE);

const formats = new Map<string, Intl.DateTimeFormat>();
function formatOf(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/** The wall-clock time in `zone` at `ms`, read as if it were UTC. */
function wallClock(ms: number, zone: string): number {
  const p = Object.fromEntries(
    formatOf(zone)
      .formatToParts(ms)
      .map((x) => [x.type, Number(x.value)]),
  );
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** The local day of `ms` in `zone`, as a day number (UTC days since 1970 of that date). */
export function localDay(ms: number, zone: string): number {
  return Math.floor(wallClock(ms, zone) / DAY_MS);
}

/** When the local day `day` (a day number, as localDay gives) starts in `zone`, in UTC ms. */
export function startOfLocalDay(day: number, zone: string): number {
  const midnight = day * DAY_MS;
  // the offset at the guess, then at the corrected guess (a change of offset near midnight)
  let guess = midnight - (wallClock(midnight, zone) - midnight);
  guess = midnight - (wallClock(guess, zone) - guess);
  // a zone that skips midnight (a change at 00:00) starts its day at the first instant after
  while (localDay(guess, zone) < day) guess += 60_000;
  return guess;
}
