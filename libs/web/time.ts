import { DateTime } from 'luxon';

/** "1 Dec 2026, 17:05 (Europe/London)": an instant on the viewer's wall clock, naming the zone. */
export function formatInstant(instant: Date | string, zone: string): string {
  const dt = typeof instant === 'string' ? DateTime.fromISO(instant, { zone }) : DateTime.fromJSDate(instant, { zone });
  return `${dt.toFormat('ccc d LLL yyyy, HH:mm')} (${zone})`;
}

/** Today's date on the wall clock of `zone`, as YYYY-MM-DD. */
export function todayIn(zone: string, plusDays = 0): string {
  return DateTime.now().setZone(zone).plus({ days: plusDays }).toISODate() as string;
}

/** The start of a local date in `zone`, as an ISO instant with offset. */
export function startOfLocalDay(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).startOf('day').toISO({ suppressMilliseconds: true }) as string;
}

export const round1 = (value: number) => Math.round(value * 10) / 10;
