/**
 * When an offer or reminder may reach a volunteer, in their own wall-clock time: pure functions,
 * no I/O, no `Date.now()` (the caller passes `now`).
 *
 * Quiet hours are a local wall-clock range [start, end) in the volunteer's IANA zone, turned into
 * one continuous quiet PERIOD per local date: from the moment the clock first shows `start` on
 * that date until the moment it last shows `end` (that date, or the next one when overnight).
 * DST rules, chosen so a volunteer is never messaged while their clock shows a quiet time:
 * - a `start`/`end` inside a spring-forward gap resolves to the first instant after the gap
 *   (the period is an hour shorter that night);
 * - an ambiguous fall-back time resolves to the EARLIER instant for `start` and the LATER one for
 *   `end` (the period is an hour longer). So the repeated hour of a fall-back night never opens
 *   a hole: with quiet hours 01:30–08:00 in London the 01:00–01:30 GMT that follows 01:59 BST
 *   stays quiet, although the clock shows a time outside the range.
 * Hence: whenever the local clock shows a time in [start, end) the instant is quiet, and the
 * only extra quiet instants lie in repeated fall-back hours.
 */
import { IANAZone } from 'luxon';
import { isValidTimeZone } from './availability.js';

/**
 * 'HH:MM' local wall-clock times. start > end means overnight (21:00–08:00 is quiet from 21:00
 * until 08:00 the next morning); start === end means no quiet hours at all.
 */
export interface QuietHours {
  start: string;
  end: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Periods can only chain when DST stretches one into the next; a handful of steps always suffices. */
const MAX_STEPS = 8;

/**
 * Whether `instant` lies in one of the volunteer's quiet periods: true whenever their local clock
 * shows a time in [start, end), and also in a repeated fall-back hour inside a period (see above).
 * Throws RangeError on a malformed zone or time (a bug upstream, not "not quiet").
 */
export function isInQuietHours(instant: Date, zone: string, quiet: QuietHours): boolean {
  const q = parseQuiet(quiet);
  if (!q) return false;
  return quietAt(validMs(instant, 'instant'), zoneOf(zone), q);
}

/**
 * When a message due at `now` may go out: `now` itself when outside quiet hours; otherwise the
 * first instant the quiet period is over (e.g. 08:00 local the next morning, DST-correct: an end
 * time inside a spring-forward gap resolves to the first instant after the gap). If `latest` is
 * given and the quiet period ends after it — the volunteer could no longer act in time, say the
 * shift would be missed — `now` is returned: sending at night beats never reaching them.
 * The result is always >= now.
 */
export function nextSendTime(now: Date, zone: string, quiet: QuietHours, latest?: Date): Date {
  const q = parseQuiet(quiet);
  const nowMs = validMs(now, 'now');
  if (latest !== undefined) validMs(latest, 'latest');
  if (!q) return new Date(nowMs);
  const t = quietEnd(nowMs, zoneOf(zone), q, zone, quiet);
  if (latest !== undefined && t > latest.getTime()) return new Date(nowMs);
  return new Date(t);
}

/**
 * How long an offer stays open. By default `defaultHours` from now, but shorter as the shift
 * approaches so the next candidates still get a chance: never later than halfway between now
 * and the shift start, never shorter than `minMinutes` (unless the shift starts sooner than
 * that — then the shift start), never after the shift start. If the shift has already started
 * the shift start is returned (an expiry <= now: do not send).
 */
export function offerExpiry(
  now: Date,
  shiftStartsAt: Date,
  options: { defaultHours: number; minMinutes: number },
): Date {
  const nowMs = validMs(now, 'now');
  const startMs = validMs(shiftStartsAt, 'shiftStartsAt');
  const { defaultHours, minMinutes } = options;
  if (!Number.isFinite(defaultHours) || defaultHours <= 0)
    throw new RangeError(`defaultHours must be > 0, got ${defaultHours}`);
  if (!Number.isFinite(minMinutes) || minMinutes < 0)
    throw new RangeError(`minMinutes must be >= 0, got ${minMinutes}`);
  const untilStart = startMs - nowMs;
  if (untilStart <= 0) return new Date(startMs);
  let open = Math.min(defaultHours * HOUR_MS, Math.floor(untilStart / 2));
  open = Math.max(open, minMinutes * MINUTE_MS);
  open = Math.min(open, untilStart);
  return new Date(nowMs + open);
}

/**
 * Reminder instants for a shift: one per offset (minutes before the start, e.g. [1440, 120]).
 * A reminder that would fall in quiet hours is moved EARLIER, to the last whole minute before
 * that quiet period began (quiet from 21:00 → 20:59 local). Reminders before `now` are dropped;
 * equal instants are merged; the result is ascending. Every result is outside quiet hours,
 * at or after `now` and never after the shift start.
 */
export function reminderTimes(
  shiftStartsAt: Date,
  offsetsMinutes: number[],
  now: Date,
  zone: string,
  quiet: QuietHours,
): Date[] {
  const startMs = validMs(shiftStartsAt, 'shiftStartsAt');
  const nowMs = validMs(now, 'now');
  const q = parseQuiet(quiet);
  const tz = zoneOf(zone);
  const times = new Set<number>();
  for (const offset of offsetsMinutes) {
    if (!Number.isFinite(offset) || offset < 0)
      throw new RangeError(`reminder offsets must be minutes >= 0, got ${offset}`);
    let t = startMs - Math.round(offset * MINUTE_MS);
    if (q) t = lastNonQuietMinuteBefore(t, tz, q, zone, quiet);
    if (t >= nowMs) times.add(t);
  }
  return [...times].sort((a, b) => a - b).map((t) => new Date(t));
}

// ---------------------------------------------------------------------------------------------

interface ParsedQuiet {
  startMs: number; // milliseconds after local midnight
  endMs: number;
}

function parseQuiet(quiet: QuietHours): ParsedQuiet | null {
  const startMs = parseTime(quiet.start);
  const endMs = parseTime(quiet.end);
  return startMs === endMs ? null : { startMs, endMs };
}

function parseTime(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`quiet hours must be HH:MM (00:00–23:59), got ${JSON.stringify(time)}`);
  return (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS;
}

function zoneOf(zone: string): IANAZone {
  if (!isValidTimeZone(zone)) throw new RangeError(`not an IANA time zone: ${JSON.stringify(zone)}`);
  return IANAZone.create(zone);
}

function validMs(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${name} must be a valid Date`);
  return ms;
}

const offsetMs = (ms: number, tz: IANAZone): number => tz.offset(ms) * MINUTE_MS;

/** The quiet periods that could contain `t`: those starting on local dates around t's own. */
function periodsAround(t: number, tz: IANAZone, q: ParsedQuiet): Array<[number, number]> {
  const day = Math.floor((t + offsetMs(t, tz)) / DAY_MS);
  // A period starts on date d and lasts < 24 h of wall clock, ±1 h of DST; a DST change at
  // midnight can make t's clock date lag d by one or run up to two dates ahead of it.
  const periods: Array<[number, number]> = [];
  for (let d = day - 2; d <= day + 1; d++) periods.push(period(d, tz, q));
  return periods;
}

/** [start, end) instants of the quiet period beginning on local date `day` (days since 1970-01-01). */
function period(day: number, tz: IANAZone, q: ParsedQuiet): [number, number] {
  const endDay = q.endMs <= q.startMs ? day + 1 : day;
  return [wallToInstant(day, q.startMs, tz, 'earlier'), wallToInstant(endDay, q.endMs, tz, 'later')];
}

/**
 * t's UTC offset when it is the same three days either side: then no DST change touches the
 * periods around t and plain wall-clock arithmetic is exact (the fast path, far cheaper).
 */
function steadyOffset(t: number, tz: IANAZone): number | null {
  const off = offsetMs(t, tz);
  return offsetMs(t - 3 * DAY_MS, tz) === off && offsetMs(t + 3 * DAY_MS, tz) === off ? off : null;
}

function clockQuiet(local: number, q: ParsedQuiet): boolean {
  return q.startMs < q.endMs ? q.startMs <= local && local < q.endMs : local >= q.startMs || local < q.endMs;
}

function quietAt(t: number, tz: IANAZone, q: ParsedQuiet): boolean {
  const off = steadyOffset(t, tz);
  if (off !== null) return clockQuiet(mod(t + off, DAY_MS), q);
  return periodsAround(t, tz, q).some(([s, e]) => s <= t && t < e);
}

/** For a quiet t: the first instant after the (possibly chained) quiet periods containing it. */
function quietEnd(t: number, tz: IANAZone, q: ParsedQuiet, zone: string, quiet: QuietHours): number {
  const off = steadyOffset(t, tz);
  if (off !== null) {
    const local = mod(t + off, DAY_MS);
    return clockQuiet(local, q) ? t + mod(q.endMs - local, DAY_MS) : t;
  }
  let cur = t;
  for (let i = 0; i < MAX_STEPS; i++) {
    const containing = periodsAround(cur, tz, q).filter(([s, e]) => s <= cur && cur < e);
    if (containing.length === 0) return cur;
    cur = Math.max(...containing.map(([, e]) => e));
  }
  throw new Error(`quiet hours never end in ${zone}: ${quiet.start}–${quiet.end}`);
}

/** t itself when not quiet; else the last whole minute before the (possibly chained) quiet periods containing it began. */
function lastNonQuietMinuteBefore(t: number, tz: IANAZone, q: ParsedQuiet, zone: string, quiet: QuietHours): number {
  const off = steadyOffset(t, tz);
  if (off !== null) {
    const local = mod(t + off, DAY_MS);
    if (!clockQuiet(local, q)) return t;
    return Math.ceil((t - mod(local - q.startMs, DAY_MS)) / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  }
  let cur = t;
  for (let i = 0; i < MAX_STEPS; i++) {
    const containing = periodsAround(cur, tz, q).filter(([s, e]) => s <= cur && cur < e);
    if (containing.length === 0) return cur;
    // Period starts are whole minutes (whole-minute offsets, 'HH:MM' times): step one minute back.
    cur = Math.ceil(Math.min(...containing.map(([s]) => s)) / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  }
  throw new Error(`quiet hours never end in ${zone}: ${quiet.start}–${quiet.end}`);
}

/**
 * The instant at which the local clock shows `msOfDay` on local date `day`. Offsets are probed a
 * day either side, which brackets any real DST change. Ambiguous (fall-back) → `pick`; inside a
 * spring-forward gap → the first instant after the gap.
 */
function wallToInstant(day: number, msOfDay: number, tz: IANAZone, pick: 'earlier' | 'later'): number {
  const wall = day * DAY_MS + msOfDay; // the wall-clock reading, as if it were UTC
  const before = offsetMs(wall - DAY_MS, tz);
  const after = offsetMs(wall + DAY_MS, tz);
  const candidates = [...new Set([before, after])].map((o) => wall - o).filter((t) => t + offsetMs(t, tz) === wall); // t really shows `wall` on the local clock
  if (candidates.length > 0) return pick === 'earlier' ? Math.min(...candidates) : Math.max(...candidates);
  if (before === after) return wall - before; // cannot happen with real zones; keep total
  return gapEnd(wall - after, wall - before, before, tz);
}

/** First instant (a whole second) whose offset is no longer `before`, searched in [lo, hi]. */
function gapEnd(lo: number, hi: number, before: number, tz: IANAZone): number {
  let a = Math.floor(lo / 1000); // offset(a) === before
  let b = Math.ceil(hi / 1000); // offset(b) !== before
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetMs(mid * 1000, tz) === before) a = mid;
    else b = mid;
  }
  return b * 1000;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
