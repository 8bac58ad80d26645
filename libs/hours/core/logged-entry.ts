import { DateTime } from 'luxon';
import type { FieldProblem } from '../../common/index.js';
import { MAX_ENTRY_MINUTES } from './credit.js';

/** What a volunteer types to log hours done off the platform; times are on their own clock. */
export interface LoggedEntryInput {
  /** YYYY-MM-DD, the day the work was done. */
  date: string;
  /** HH:MM, local to `zone`; both or neither. */
  startTime?: string;
  endTime?: string;
  /** Whole minutes, when no times are given. */
  minutes?: number;
}

/** Another of the volunteer's entries that still counts or may count (not voided or declined). */
export interface ExistingEntry {
  date: string;
  /** Its interval, when it has one (shift entries, logged entries with times). */
  start?: Date | null;
  end?: Date | null;
  minutes: number;
}

export interface ResolvedLoggedEntry {
  date: string;
  startsAt: Date | null;
  endsAt: Date | null;
  minutes: number;
}

export type LoggedEntryCheck = { ok: true; entry: ResolvedLoggedEntry } | { ok: false; problems: FieldProblem[] };

const problem = (field: string, message: string): LoggedEntryCheck => ({
  ok: false,
  problems: [{ field, message }],
});

/**
 * The rules for a logged entry, each failure naming the field to fix: a real day, not in the
 * future; start and end times together (end after start, on that day) or a number of minutes above
 * zero and at most 24 hours; not overlapping another entry of the volunteer — by time where both
 * have times, else by the day's total, which can never pass 24 hours.
 */
export function checkLoggedEntry(
  input: LoggedEntryInput,
  context: { zone: string; now: Date; existing: readonly ExistingEntry[] },
): LoggedEntryCheck {
  const day = DateTime.fromISO(input.date, { zone: context.zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || !day.isValid) return problem('date', 'must be a date (YYYY-MM-DD)');
  const today = DateTime.fromJSDate(context.now, { zone: context.zone }).toISODate()!;
  if (input.date > today) return problem('date', 'cannot be in the future');

  const hasStart = Boolean(input.startTime);
  const hasEnd = Boolean(input.endTime);
  let startsAt: Date | null = null;
  let endsAt: Date | null = null;
  let minutes: number;
  if (hasStart || hasEnd) {
    if (!hasStart) return problem('startTime', 'give the start time as well as the end time');
    if (!hasEnd) return problem('endTime', 'give the end time as well as the start time');
    const start = localTime(input.date, input.startTime!, context.zone);
    const end = localTime(input.date, input.endTime!, context.zone);
    if (!start) return problem('startTime', 'must be a time (HH:MM)');
    if (!end) return problem('endTime', 'must be a time (HH:MM)');
    if (end <= start) return problem('endTime', 'must be after the start time');
    if (end > context.now) return problem('endTime', 'cannot be in the future');
    startsAt = start;
    endsAt = end;
    minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
    if (input.minutes !== undefined && input.minutes !== minutes)
      return problem('minutes', `must match the times (${minutes}) or be left empty`);
  } else {
    if (input.minutes === undefined) return problem('minutes', 'give the start and end times, or the minutes');
    minutes = input.minutes;
  }
  if (!Number.isInteger(minutes) || minutes <= 0) return problem('minutes', 'must be more than 0');
  if (minutes > MAX_ENTRY_MINUTES) return problem('minutes', 'must be at most 24 hours (1440 minutes)');

  if (startsAt && endsAt) {
    const clash = context.existing.find((e) => e.start && e.end && e.start < endsAt! && startsAt! < e.end);
    if (clash) return problem('startTime', 'overlaps another of your hours entries');
  }
  const dayTotal = context.existing.filter((e) => e.date === input.date).reduce((sum, e) => sum + e.minutes, 0);
  if (dayTotal + minutes > MAX_ENTRY_MINUTES)
    return problem('minutes', 'with your other entries that day this comes to more than 24 hours');
  return { ok: true, entry: { date: input.date, startsAt, endsAt, minutes } };
}

/** A wall-clock time on a date in a zone; null when it is not a time or the clocks skip it. */
function localTime(date: string, time: string, zone: string): Date | null {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  const local = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!local.isValid || local.toFormat('HH:mm') !== time) return null;
  return local.toJSDate();
}
