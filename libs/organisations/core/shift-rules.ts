/** The rules a shift's times and a series' dates must follow, and what counts as a change. */
import { DateTime } from 'luxon';
import { InvalidInputError } from '../../common/index.js';

/** Shifts longer than this are almost certainly a typo (a date instead of a time). */
const MAX_SHIFT_HOURS = 16;
/** A series may be planned at most this far ahead. */
const MAX_SERIES_DAYS = 366;
/** Fields whose change a booked volunteer must hear about (and that bump the iCalendar SEQUENCE). */
export const NOTIFIABLE = new Set(['startsAt', 'endsAt', 'addressId', 'title']);

export function validInterval(startsAtText: string, endsAtText: string): { startsAt: Date; endsAt: Date } {
  const startsAt = new Date(startsAtText);
  const endsAt = new Date(endsAtText);
  if (Number.isNaN(startsAt.getTime())) throw InvalidInputError.field('startsAt', 'is not a real date-time');
  if (Number.isNaN(endsAt.getTime())) throw InvalidInputError.field('endsAt', 'is not a real date-time');
  if (endsAt <= startsAt) throw InvalidInputError.field('endsAt', 'must be after startsAt');
  if (startsAt.getTime() <= Date.now()) throw InvalidInputError.field('startsAt', 'must be in the future');
  if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_HOURS * 3600_000)
    throw InvalidInputError.field('endsAt', `a shift can last at most ${MAX_SHIFT_HOURS} hours`);
  if (startsAt.getTime() - Date.now() > 2 * 366 * 24 * 3600_000)
    throw InvalidInputError.field('startsAt', 'must be within two years');
  return { startsAt, endsAt };
}

/** A series' first and last dates, read on the organisation's calendar. */
export function assertSeriesDates(startsOnText: string, untilText: string, zone: string): void {
  const startsOn = DateTime.fromISO(startsOnText, { zone });
  const until = DateTime.fromISO(untilText, { zone });
  if (!startsOn.isValid) throw InvalidInputError.field('startsOn', 'is not a real date');
  if (!until.isValid) throw InvalidInputError.field('until', 'is not a real date');
  if (until < startsOn) throw InvalidInputError.field('until', 'must be on or after startsOn');
  if (until.diff(startsOn, 'days').days > MAX_SERIES_DAYS)
    throw InvalidInputError.field('until', `must be within ${MAX_SERIES_DAYS} days of startsOn`);
  if (until < DateTime.now().setZone(zone).startOf('day')) throw InvalidInputError.field('until', 'is in the past');
}

/** The fields whose JSON differs between `before` and `after`, with both values. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
