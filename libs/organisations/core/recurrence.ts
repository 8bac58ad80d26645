/**
 * Weekly recurring shifts, expanded per local calendar date so "every Tuesday 17:00–20:00"
 * stays at 17:00 on the organisation's wall clock across DST changes (its UTC time moves).
 * The per-date conversion and its DST rules are those of availability windows: a time in a
 * spring-forward gap moves to the end of the gap, an ambiguous time takes the earlier instant.
 */
import { expandWindowOnDate } from '../../common/index.js';

/**
 * ISO weekday (1 = Monday); 'HH:MM' (or 'HH:MM:SS') local times; 'YYYY-MM-DD' dates, both
 * inclusive; endLocal <= startLocal means the shift ends on the next day.
 */
export interface WeeklySeriesRule {
  weekday: number;
  startLocal: string;
  endLocal: string;
  startsOn: string;
  until: string;
  zone: string;
}

export interface Occurrence {
  /** The local date the shift starts on. */
  localDate: string;
  startsAt: Date;
  endsAt: Date;
}

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Occurrences whose local start date lies in [max(startsOn, from), min(until, to)], in date
 * order. A date on which the shift would lie wholly inside a DST gap (it never happens on the
 * clock) is skipped rather than producing a zero-length shift.
 */
export function expandWeeklySeries(rule: WeeklySeriesRule, from: string, to: string): Occurrence[] {
  const first = Math.max(epochDay(rule.startsOn), epochDay(from));
  const last = Math.min(epochDay(rule.until), epochDay(to));
  const window = { weekday: rule.weekday, start: rule.startLocal, end: rule.endLocal };
  const occurrences: Occurrence[] = [];
  // Step through calendar dates, not instants: adding 7 × 24 h would drift across DST.
  for (let day = firstOnWeekday(first, rule.weekday); day <= last; day += 7) {
    const localDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const interval = expandWindowOnDate(window, localDate, rule.zone);
    if (interval) occurrences.push({ localDate, startsAt: interval.start, endsAt: interval.end });
  }
  // Validates weekday, times and zone even when the range is empty, so bad rules fail early.
  if (occurrences.length === 0) expandWindowOnDate(window, '2000-01-03', rule.zone);
  return occurrences;
}

/** The first epoch day >= `day` falling on ISO `weekday` (1970-01-01 was a Thursday). */
function firstOnWeekday(day: number, weekday: number): number {
  const current = ((((day + 3) % 7) + 7) % 7) + 1;
  return day + ((weekday - current + 7) % 7);
}

function epochDay(date: string): number {
  if (!DATE_RE.test(date)) throw new RangeError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`no such date: ${date}`);
  }
  return ms / DAY_MS;
}
