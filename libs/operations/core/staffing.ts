/**
 * The staffing view of an organisation's next two weeks, as plain rules over the numbers the
 * repository reads: which shifts are at risk, the places booked and open per local day, and the
 * no-show rate of the last 90 days. No I/O, no Nest, no ORM.
 */
import { DateTime } from 'luxon';

export const DASHBOARD_DAYS = 14;
export const ATTENDANCE_DAYS = 90;
/** Under-filled and starting this soon: at risk (it may go ahead short-handed). */
export const AT_RISK_SOON_HOURS = 72;
/** Less than half filled and starting within this many days: at risk too. */
export const AT_RISK_HALF_EMPTY_DAYS = 7;

/** One role of a shift and its seats taken (ADR 0029); a one-role shift has one, `Volunteer`. */
export interface RoleFill {
  id: string;
  name: string;
  filled: number;
  capacity: number;
}

export interface StaffedShift {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  capacity: number;
  filled: number;
  /** Offers out and not answered yet: places that may still fill themselves. */
  pendingOffers: number;
  /** Volunteers on the shift's waitlist: who takes a place that frees. */
  waiting: number;
  /** Its roles in their order; the totals above are their sums. */
  roles: RoleFill[];
}

export interface AtRisk {
  shift: StaffedShift;
  missing: number;
  /** The roles with seats still open, so the card can say which kind of help is missing. */
  shortRoles: { id: string; name: string; missing: number }[];
  hoursToStart: number;
  reason: 'soon' | 'half-empty';
}

const LIVE = new Set(['open', 'full']);

/**
 * Published shifts still short of volunteers: starting within AT_RISK_SOON_HOURS, or less than
 * half filled within AT_RISK_HALF_EMPTY_DAYS. Drafts are not at risk (nobody was asked yet), nor
 * cancelled or started shifts. Soonest first.
 */
export function atRisk(shifts: StaffedShift[], now: Date): AtRisk[] {
  return shifts
    .filter((s) => LIVE.has(s.status) && s.filled < s.capacity && s.startsAt.getTime() > now.getTime())
    .map((shift) => {
      const hoursToStart = (shift.startsAt.getTime() - now.getTime()) / 3_600_000;
      const reason: AtRisk['reason'] | null =
        hoursToStart <= AT_RISK_SOON_HOURS
          ? 'soon'
          : hoursToStart <= AT_RISK_HALF_EMPTY_DAYS * 24 && shift.filled * 2 < shift.capacity
            ? 'half-empty'
            : null;
      return reason
        ? { shift, missing: shift.capacity - shift.filled, shortRoles: shortRoles(shift), hoursToStart, reason }
        : null;
    })
    .filter((r): r is AtRisk => r !== null)
    .sort((a, b) => a.shift.startsAt.getTime() - b.shift.startsAt.getTime());
}

function shortRoles(shift: StaffedShift): AtRisk['shortRoles'] {
  return shift.roles
    .filter((r) => r.filled < r.capacity)
    .map((r) => ({ id: r.id, name: r.name, missing: r.capacity - r.filled }));
}

export interface DayFill {
  /** The local date, YYYY-MM-DD in the organisation's zone. */
  date: string;
  shifts: number;
  booked: number;
  open: number;
}

/**
 * Places booked and still open per local day, for DASHBOARD_DAYS days from today in `zone`; a
 * shift counts on the local day it starts. Cancelled shifts and drafts count for nothing.
 */
export function fillByDay(shifts: StaffedShift[], zone: string, now: Date): DayFill[] {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const days: DayFill[] = Array.from({ length: DASHBOARD_DAYS }, (_, i) => ({
    date: today.plus({ days: i }).toISODate() as string,
    shifts: 0,
    booked: 0,
    open: 0,
  }));
  const byDate = new Map(days.map((d) => [d.date, d]));
  for (const s of shifts) {
    if (!LIVE.has(s.status)) continue;
    const day = byDate.get(DateTime.fromJSDate(s.startsAt, { zone }).toISODate() as string);
    if (!day) continue;
    day.shifts += 1;
    day.booked += s.filled;
    day.open += s.capacity - s.filled;
  }
  return days;
}

/** Volunteers waiting on the live shifts' waitlists: the headline number beside the fill. */
export function totalWaiting(shifts: StaffedShift[]): number {
  return shifts.filter((s) => LIVE.has(s.status)).reduce((n, s) => n + s.waiting, 0);
}

export interface AttendanceWeek {
  /** Monday of the week, YYYY-MM-DD in the organisation's zone. */
  weekStart: string;
  attended: number;
  noShows: number;
}

export interface AttendanceSummary {
  attended: number;
  noShows: number;
  lateCancellations: number;
  /** No-shows among bookings whose attendance is known; null when there is none yet. */
  noShowRate: number | null;
}

export function attendanceSummary(weeks: AttendanceWeek[], lateCancellations: number): AttendanceSummary {
  const attended = weeks.reduce((n, w) => n + w.attended, 0);
  const noShows = weeks.reduce((n, w) => n + w.noShows, 0);
  return {
    attended,
    noShows,
    lateCancellations,
    noShowRate: attended + noShows === 0 ? null : noShows / (attended + noShows),
  };
}

/** Weeks shown in the attendance chart: the 13 that cover the last 90 days. */
export const ATTENDANCE_WEEKS = 13;

/**
 * The last ATTENDANCE_WEEKS weeks (Monday starts, in `zone`), oldest first, with the counts read
 * per week; weeks without any keep zeros so the chart's axis is regular.
 */
export function attendanceWeeks(rows: AttendanceWeek[], zone: string, now: Date): AttendanceWeek[] {
  const thisWeek = DateTime.fromJSDate(now, { zone }).startOf('week');
  const byWeek = new Map(rows.map((r) => [r.weekStart, r]));
  return Array.from({ length: ATTENDANCE_WEEKS }, (_, i) => {
    const weekStart = thisWeek.minus({ weeks: ATTENDANCE_WEEKS - 1 - i }).toISODate() as string;
    const found = byWeek.get(weekStart);
    return { weekStart, attended: found?.attended ?? 0, noShows: found?.noShows ?? 0 };
  });
}
