/** How shift times read on an organisation's (or a volunteer's) wall clock, naming the zone. */
import { DateTime } from 'luxon';
import { remembered } from '../../common/index.js';

/**
 * "Tue 1 Dec 2026, 17:00–20:00 (Europe/London)"; the end date is named when it differs.
 * Remembered because a wave's offer emails format the same shift in the same few zones.
 */
export const formatLocalInterval = remembered(
  (startsAt: Date, endsAt: Date, zone: string): string => {
    const start = DateTime.fromJSDate(startsAt, { zone });
    const end = DateTime.fromJSDate(endsAt, { zone });
    // Same local date, compared on the fields luxon already computed (hasSame('day') recomputes the
    // zone offset a dozen times).
    const sameDay = start.year === end.year && start.month === end.month && start.day === end.day;
    const endText = sameDay ? end.toFormat('HH:mm') : end.toFormat('ccc d LLL HH:mm');
    return `${start.toFormat('ccc d LLL yyyy, HH:mm')}–${endText} (${zone})`;
  },
  (startsAt, endsAt, zone) => `${startsAt.getTime()}|${endsAt.getTime()}|${zone}`,
  10_000,
);

/** "Tue 1 Dec, 17:00 (Europe/London)"; remembered like formatLocalInterval (a wave's offers share their expiry). */
export const formatLocalInstant = remembered(
  (instant: Date, zone: string): string =>
    `${DateTime.fromJSDate(instant, { zone }).toFormat('ccc d LLL, HH:mm')} (${zone})`,
  (instant, zone) => `${instant.getTime()}|${zone}`,
  10_000,
);
