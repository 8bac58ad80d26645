import { DateTime } from 'luxon';
import { isoWeekBounds, shiftFitsAvailability, type AvailabilityFit, type WeeklyWindow } from '../../common/index.js';

/**
 * Hard rules a volunteer within reach of a shift can fail, in the order they are counted: each
 * excluded volunteer is counted once, under the first rule they fail (see ShiftMatches).
 * 'already_offered' is any offer for this shift other than a declined one, or any booking of it
 * (a place they booked themselves, even one they cancelled): a volunteer with a pending, accepted,
 * expired or withdrawn offer or a booking is not offered the same shift again (offers and bookings
 * are unique per shift and volunteer anyway).
 */
export const EXCLUSION_RULES = [
  'unverified',
  'paused',
  'cause',
  'skills',
  'declined',
  'already_offered',
  'blocked',
  'away',
  'availability',
  'booking_overlap',
  'weekly_cap',
] as const;
export type ExclusionRule = (typeof EXCLUSION_RULES)[number];

/** A hard rule one volunteer fails for one shift: the searches' rules, plus reach (the searches only look within it). */
export type FitRule = ExclusionRule | 'too_far';

export interface MatchWindow extends WeeklyWindow {
  /** Local date (volunteer's zone) the window occurrence containing the shift starts on. */
  localDate: string;
}

/** Per-volunteer facts the exact check and the score need, read with the candidate row. */
export interface VolunteerFacts {
  time_zone: string;
  weekly_shift_cap: number;
  skills: string[];
  travel_km: number;
  windows: [number, string, string][];
  exceptions: [string, string][];
  week_bookings: number[];
  /** [attended, no-shows, late cancellations] */
  history: [number, number, number];
  recent_offers: number;
  overlaps_booking: boolean;
}

/** The core's answer for one volunteer and one shift: their window occurrence, or the first rule they fail. */
export type Verdict = { ok: true; window: MatchWindow } | { ok: false; rule: ExclusionRule };

/**
 * The tail of the rules in counting order (availability, booking overlap, weekly cap), decided
 * exactly by the pure core where the database only approximates. One instance per search
 * memoises the core's answers: many volunteers share a zone and the same windows, and the
 * core's zone arithmetic (luxon over Intl) costs ~100 µs a call.
 */
export class ExactRules {
  private readonly fits = new Map<string, AvailabilityFit>();
  private readonly weeks = new Map<string, { start: number; end: number }>();
  private readonly weekdays = new Map<string, number>();

  verdict(startsMs: number, endsMs: number, facts: VolunteerFacts): Verdict {
    const fit = this.fit(startsMs, endsMs, facts);
    if (!fit.fits || !fit.window || !fit.localDate)
      return { ok: false, rule: fit.reason === 'exception' ? 'away' : 'availability' };
    if (facts.overlaps_booking) return { ok: false, rule: 'booking_overlap' };
    const week = this.week(startsMs, facts.time_zone);
    const booked = facts.week_bookings.filter((t) => t >= week.start && t < week.end).length;
    if (booked >= facts.weekly_shift_cap) return { ok: false, rule: 'weekly_cap' };
    return { ok: true, window: { ...fit.window, localDate: fit.localDate } };
  }

  /**
   * The core only looks at windows of the shift's local start day and the day before (a window
   * crossing midnight), so only those go in: fewer zone computations, and volunteers who differ
   * elsewhere in the week share a memo entry.
   */
  private fit(startsMs: number, endsMs: number, facts: VolunteerFacts): AvailabilityFit {
    const day = this.localWeekday(startsMs, facts.time_zone);
    const relevant = facts.windows.filter(([weekday]) => weekday === day || weekday === (day === 1 ? 7 : day - 1));
    const key = `${startsMs}|${endsMs}|${facts.time_zone}|${JSON.stringify(relevant)}|${JSON.stringify(facts.exceptions)}`;
    let fit = this.fits.get(key);
    if (!fit) {
      const windows = relevant.map(([weekday, start, end]) => ({ weekday, start, end }));
      const exceptions = facts.exceptions.map(([startsOn, endsOn]) => ({ startsOn, endsOn }));
      fit = shiftFitsAvailability(
        { startsAt: new Date(startsMs), endsAt: new Date(endsMs) },
        windows,
        facts.time_zone,
        exceptions,
      );
      this.fits.set(key, fit);
    }
    return fit;
  }

  private localWeekday(startsMs: number, zone: string): number {
    const key = `${startsMs}|${zone}`;
    let day = this.weekdays.get(key);
    if (day === undefined) {
      day = DateTime.fromMillis(startsMs, { zone }).weekday;
      this.weekdays.set(key, day);
    }
    return day;
  }

  private week(startsMs: number, zone: string): { start: number; end: number } {
    const key = `${startsMs}|${zone}`;
    let week = this.weeks.get(key);
    if (!week) {
      const bounds = isoWeekBounds(new Date(startsMs), zone);
      week = { start: bounds.start.getTime(), end: bounds.end.getTime() };
      this.weeks.set(key, week);
    }
    return week;
  }
}
