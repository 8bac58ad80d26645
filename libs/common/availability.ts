/**
 * Weekly availability in the volunteer's own wall-clock time, expanded per calendar date.
 *
 * A window is stored as local time + IANA zone, never as a UTC offset: "Tuesday 17:00–21:00"
 * in Europe/London is 16:00–20:00 UTC in summer and 17:00–21:00 UTC in winter. Every local
 * time is turned into an instant with the zone's offset on that very date (see `toInstant`).
 *
 * DST rules, chosen so results never depend on the server clock or the current season:
 * - A local time inside a spring-forward gap (e.g. 02:30 on a New York spring day) resolves to
 *   the first instant after the gap (03:00 EDT). Unlike luxon's default (shift by the gap
 *   length, 03:30), this keeps local → UTC monotonic: a window never turns inside out and
 *   never grows beyond the wall-clock hours the volunteer gave. A window lying wholly inside
 *   a gap does not exist that day.
 * - An ambiguous fall-back time (01:30 on a New York autumn day happens twice) resolves to
 *   the earlier instant, i.e. the offset in force before the change (EDT). luxon's own choice
 *   depends on the offset at "now", so we pick explicitly.
 */
import { IANAZone } from 'luxon';
import { remembered } from './remembered.js';

/**
 * ISO weekday 1 = Monday … 7 = Sunday; start/end 'HH:MM' or 'HH:MM:SS' local wall-clock time.
 * end <= start means the window crosses midnight and ends on the next calendar day ('00:00'
 * to '00:00' is a whole day). '24:00' is not accepted: write '00:00'.
 */
export interface WeeklyWindow {
  weekday: number;
  start: string;
  end: string;
}

/** 'YYYY-MM-DD' local calendar dates, both inclusive: the volunteer is away. */
export interface DateException {
  startsOn: string;
  endsOn: string;
}

export interface AvailabilityFit {
  fits: boolean;
  /** The window occurrence that contains the whole shift (when it fits). */
  window?: WeeklyWindow;
  /** The local date that occurrence starts on (when it fits). */
  localDate?: string;
  reason?: 'outside_windows' | 'exception';
}

const DAY_MS = 86_400_000;
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// IANA names only ("Europe/London", "UTC", "Etc/GMT+5"). Intl also accepts raw offsets such as
// "+05:00", which are exactly the fixed offsets availability must never be stored in.
const ZONE_NAME_RE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * Whether the whole shift [startsAt, endsAt) lies inside ONE concrete occurrence of one window
 * (two adjacent windows do not combine), and no local date it touches is in an exception.
 * If it is outside every window the reason is 'outside_windows'; 'exception' means it would
 * fit but the volunteer is away. Throws RangeError on malformed input (bad zone, window, date,
 * or endsAt <= startsAt): such data is a bug upstream, not "doesn't fit".
 */
export function shiftFitsAvailability(
  shift: { startsAt: Date; endsAt: Date },
  windows: WeeklyWindow[],
  zone: string,
  exceptions: DateException[] = [],
): AvailabilityFit {
  const tz = zoneOf(zone);
  const start = shift.startsAt.getTime();
  const end = shift.endsAt.getTime();
  if (!(end > start)) throw new RangeError('shift must end after it starts');
  const firstDay = localEpochDay(start, tz);
  const lastDay = localEpochDay(end - 1, tz); // [start, end): the end instant itself is not touched
  const found = findContainingOccurrence(start, end, firstDay, windows, tz);
  if (!found) return { fits: false, reason: 'outside_windows' };
  if (exceptions.some((ex) => overlapsException(firstDay, lastDay, ex))) {
    return { fits: false, reason: 'exception' };
  }
  return { fits: true, window: found.window, localDate: found.localDate };
}

/** IANA zone check (rejects empty strings, raw offsets like "+05:00" and unknown names). */
export function isValidTimeZone(zone: string): boolean {
  if (KNOWN_ZONES.has(zone)) return true;
  const valid = typeof zone === 'string' && ZONE_NAME_RE.test(zone) && IANAZone.isValidZone(zone);
  if (valid) KNOWN_ZONES.add(zone);
  return valid;
}
/** isValidZone builds an Intl formatter (~50 µs); matching checks zones in a hot loop. Only
 * valid names are kept, so the set is bounded by the tz database, whatever users send. */
const KNOWN_ZONES = new Set<string>();

/**
 * The local ISO week containing `instant`: Monday 00:00 local to the next Monday 00:00 local,
 * so a week with a DST change is 167 or 169 hours long. `start <= instant < end`.
 */
export function isoWeekBounds(instant: Date, zone: string): { start: Date; end: Date } {
  const tz = zoneOf(zone);
  const day = localEpochDay(instant.getTime(), tz);
  const monday = day - (isoWeekday(day) - 1);
  return { start: new Date(toInstant(monday, 0, tz)), end: new Date(toInstant(monday + 7, 0, tz)) };
}

/**
 * The concrete UTC interval of `window` occurring on `localDate` in `zone`: from that date at
 * `start` to that date (or the next one when crossing midnight) at `end`, each with the zone's
 * offset at that moment. null if `localDate` is not the window's weekday, or if the window
 * does not exist that day because it lies wholly inside a DST gap.
 */
export function expandWindowOnDate(
  window: WeeklyWindow,
  localDate: string,
  zone: string,
): { start: Date; end: Date } | null {
  const tz = zoneOf(zone);
  const { startSec, endSec } = parseWindow(window);
  const day = parseDate(localDate);
  if (isoWeekday(day) !== window.weekday) return null;
  const [start, end] = occurrence(day, startSec, endSec, tz);
  return end > start ? { start: new Date(start), end: new Date(end) } : null;
}

/** 'Tuesday 17:00–21:00'; seconds are shown only when not zero. */
export function formatWindow(window: WeeklyWindow): string {
  parseWindow(window);
  return `${WEEKDAY_NAMES[window.weekday - 1]} ${shortTime(window.start)}–${shortTime(window.end)}`;
}

// ---------------------------------------------------------------------------------------------

function findContainingOccurrence(
  start: number,
  end: number,
  startDay: number,
  windows: WeeklyWindow[],
  tz: IANAZone,
): { window: WeeklyWindow; localDate: string } | null {
  // An occurrence starts on its own date and lasts at most ~25 h, so one containing the shift
  // starts on the shift's local start date or the day before (a window crossing midnight).
  for (const window of windows) {
    const { startSec, endSec } = parseWindow(window);
    for (const day of [startDay - 1, startDay]) {
      if (isoWeekday(day) !== window.weekday) continue;
      const [from, to] = occurrence(day, startSec, endSec, tz);
      if (from <= start && end <= to) return { window, localDate: formatDate(day) };
    }
  }
  return null;
}

/** [start, end) in epoch ms of a window on local `day`; end <= start in time means next day. */
function occurrence(day: number, startSec: number, endSec: number, tz: IANAZone): [number, number] {
  return [toInstant(day, startSec, tz), toInstant(endSec <= startSec ? day + 1 : day, endSec, tz)];
}

function overlapsException(firstDay: number, lastDay: number, ex: DateException): boolean {
  const from = parseDate(ex.startsOn);
  const to = parseDate(ex.endsOn);
  if (to < from) throw new RangeError(`exception ends before it starts: ${ex.startsOn}..${ex.endsOn}`);
  return firstDay <= to && from <= lastDay;
}

/**
 * Epoch milliseconds of local wall-clock `secOfDay` on local date `day` (days since 1970-01-01)
 * in `tz`. Offsets are probed a day either side, which brackets any real DST change.
 * Each offset probe formats a date through Intl (~10 µs); matching asks the same few
 * (zone, date, time) questions for every volunteer near a shift, so answers are remembered.
 */
const toInstant = remembered(computeInstant, (day, secOfDay, tz) => `${tz.name}|${day}|${secOfDay}`, 100_000);

function computeInstant(day: number, secOfDay: number, tz: IANAZone): number {
  const wall = day * DAY_MS + secOfDay * 1000; // the wall-clock reading, as if it were UTC
  const before = tz.offset(wall - DAY_MS);
  const after = tz.offset(wall + DAY_MS);
  const offsets = before === after ? [before] : [before, after];
  const candidates = offsets
    .map((o) => wall - o * 60_000)
    .filter(
      (t) => wall - tz.offset(t) * 60_000 === t, // t really shows `wall` on the local clock
    );
  if (candidates.length > 0) return Math.min(...candidates); // ambiguous → the earlier instant
  return gapEnd(wall - after * 60_000, wall - before * 60_000, before, tz);
}

/** First instant whose offset is no longer `before`, searched in [lo, hi] to the second. */
function gapEnd(lo: number, hi: number, before: number, tz: IANAZone): number {
  let a = Math.floor(lo / 1000); // offset(a) === before
  let b = Math.ceil(hi / 1000); // offset(b) !== before
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (tz.offset(mid * 1000) === before) a = mid;
    else b = mid;
  }
  return b * 1000;
}

function zoneOf(zone: string): IANAZone {
  if (!isValidTimeZone(zone)) throw new RangeError(`not an IANA time zone: ${JSON.stringify(zone)}`);
  return IANAZone.create(zone);
}

/** Local calendar day (days since 1970-01-01) of an instant in `tz`. */
function localEpochDay(ms: number, tz: IANAZone): number {
  return Math.floor((ms + tz.offset(ms) * 60_000) / DAY_MS);
}

/** ISO weekday of an epoch day; 1970-01-01 was a Thursday (4). */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function parseDate(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // not Date.UTC: years < 100
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new RangeError(`no such date: ${date}`);
  }
  return d.getTime() / DAY_MS;
}

function formatDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function parseTime(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`time must be HH:MM or HH:MM:SS (00:00–23:59:59), got ${JSON.stringify(time)}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

function parseWindow(window: WeeklyWindow): { startSec: number; endSec: number } {
  if (!Number.isInteger(window.weekday) || window.weekday < 1 || window.weekday > 7) {
    throw new RangeError(`weekday must be 1 (Monday) to 7 (Sunday), got ${window.weekday}`);
  }
  return { startSec: parseTime(window.start), endSec: parseTime(window.end) };
}

function shortTime(time: string): string {
  return time.length === 8 && time.endsWith(':00') ? time.slice(0, 5) : time;
}
