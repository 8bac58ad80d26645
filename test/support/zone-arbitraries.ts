import fc from 'fast-check';
import { DateTime } from 'luxon';

/**
 * fast-check pieces for time-zone properties, shared by the availability core's unit properties
 * and the database's availability-hours property: dates that are often a zone's transition days,
 * and wall-clock times biased to the hours when clocks change.
 */

export const DAY = 86_400_000;
export const pad = (n: number) => String(n).padStart(2, '0');
export const epochDayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
export const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** Local dates in 2026–2027 on which the zone's offset changes. */
export function transitionDates(zone: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO('2026-01-01', { zone });
  while (d.year < 2028) {
    const next = d.plus({ days: 1 });
    if (next.offset !== d.offset) out.push(d.toISODate()!);
    d = next;
  }
  return out;
}

/** A date in 2026–2027, often one of `transitions` (or the day either side of one). */
export function dateArb(transitions: readonly string[]): fc.Arbitrary<string> {
  const special = transitions.flatMap((d) => [-1, 0, 1].map((k) => dateOf(epochDayOf(d) + k)));
  const any = fc.integer({ min: epochDayOf('2026-01-01'), max: epochDayOf('2027-12-31') }).map(dateOf);
  return special.length ? fc.oneof(fc.constantFrom(...special), any) : any;
}

/** 'HH:MM' or 'HH:MM:SS', biased towards 00:00–05:00 where clocks change. */
export const timeArb = fc
  .tuple(fc.oneof(fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 0, max: 5 * 3600 })), fc.boolean())
  .map(([sec, withSeconds]) => {
    const base = `${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}`;
    return withSeconds ? `${base}:${pad(sec % 60)}` : base;
  });
