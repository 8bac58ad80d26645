/**
 * The organisation's credited hours of the current calendar month in its zone, in total and per
 * week of the month, from ledger entries whose credit the hours library already computed (the
 * credit rules live there, not here). No I/O.
 */
import { DateTime } from 'luxon';

/** What the dashboard needs of one ledger entry, as the hours library reports it. */
export interface CreditedEntry {
  /** The entry's local date, YYYY-MM-DD. */
  date: string;
  kind: 'shift' | 'logged';
  minutes: number;
  /** Credited shift or approved logged hours; pending, declined and voided entries do not count. */
  counts: boolean;
}

export interface HoursWeek {
  /** First and last local date of the week inside the month (weeks start on Monday). */
  from: string;
  to: string;
  shiftMinutes: number;
  loggedMinutes: number;
}

export interface MonthHours {
  /** YYYY-MM in the organisation's zone. */
  month: string;
  from: string;
  to: string;
  minutes: number;
  shiftMinutes: number;
  loggedMinutes: number;
  /** Entries that count. */
  entries: number;
  weeks: HoursWeek[];
}

/** The first and last local date of the calendar month `now` falls in, in `zone`. */
export function monthBounds(zone: string, now: Date): { month: string; from: string; to: string } {
  const start = DateTime.fromJSDate(now, { zone }).startOf('month');
  return {
    month: start.toFormat('yyyy-MM'),
    from: start.toISODate() as string,
    to: start.endOf('month').toISODate() as string,
  };
}

/** Monday-start weeks of the month, clipped to it: 1–6, 7–13, … for December 2026. */
export function monthWeeks(zone: string, now: Date): Array<{ from: string; to: string }> {
  const start = DateTime.fromJSDate(now, { zone }).startOf('month');
  const end = start.endOf('month').startOf('day');
  const weeks: Array<{ from: string; to: string }> = [];
  for (let day = start; day <= end; day = day.plus({ weeks: 1 }).startOf('week')) {
    const last = DateTime.min(day.endOf('week').startOf('day'), end);
    weeks.push({ from: day.toISODate() as string, to: last.toISODate() as string });
  }
  return weeks;
}

/** Sums the entries that count and fall inside the month, per week; other entries are ignored. */
export function monthHours(entries: CreditedEntry[], zone: string, now: Date): MonthHours {
  const bounds = monthBounds(zone, now);
  const weeks: HoursWeek[] = monthWeeks(zone, now).map((w) => ({ ...w, shiftMinutes: 0, loggedMinutes: 0 }));
  let counted = 0;
  for (const entry of entries) {
    if (!entry.counts || entry.date < bounds.from || entry.date > bounds.to) continue;
    const week = weeks.find((w) => entry.date >= w.from && entry.date <= w.to) as HoursWeek;
    if (entry.kind === 'shift') week.shiftMinutes += entry.minutes;
    else week.loggedMinutes += entry.minutes;
    counted += 1;
  }
  const shiftMinutes = weeks.reduce((n, w) => n + w.shiftMinutes, 0);
  const loggedMinutes = weeks.reduce((n, w) => n + w.loggedMinutes, 0);
  return { ...bounds, minutes: shiftMinutes + loggedMinutes, shiftMinutes, loggedMinutes, entries: counted, weeks };
}
