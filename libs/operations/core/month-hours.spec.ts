import fc from 'fast-check';
import { monthBounds, monthHours, monthWeeks, type CreditedEntry } from './month-hours.js';

const now = new Date('2026-12-06T12:00:00Z');
const entry = (over: Partial<CreditedEntry>): CreditedEntry => ({
  date: '2026-12-02',
  kind: 'shift',
  minutes: 180,
  counts: true,
  ...over,
});

describe('hours this month', () => {
  it('takes the calendar month of the organisation’s zone, not UTC', () => {
    // 23:30 UTC on 30 November is already 1 December in Auckland.
    const late = new Date('2026-11-30T23:30:00Z');
    expect(monthBounds('Europe/London', late)).toEqual({ month: '2026-11', from: '2026-11-01', to: '2026-11-30' });
    expect(monthBounds('Pacific/Auckland', late)).toEqual({ month: '2026-12', from: '2026-12-01', to: '2026-12-31' });
  });

  it('splits the month into Monday-start weeks clipped to the month', () => {
    expect(monthWeeks('Europe/London', now)).toEqual([
      { from: '2026-12-01', to: '2026-12-06' },
      { from: '2026-12-07', to: '2026-12-13' },
      { from: '2026-12-14', to: '2026-12-20' },
      { from: '2026-12-21', to: '2026-12-27' },
      { from: '2026-12-28', to: '2026-12-31' },
    ]);
  });

  it('counts only entries that count and fall in the month, shifts and logged hours apart', () => {
    const hours = monthHours(
      [
        entry({ date: '2026-12-01', minutes: 180 }),
        entry({ date: '2026-12-07', kind: 'logged', minutes: 90 }),
        entry({ date: '2026-12-08', minutes: 60, counts: false }),
        entry({ date: '2026-11-30', minutes: 600 }),
        entry({ date: '2027-01-01', minutes: 600 }),
      ],
      'Europe/London',
      now,
    );
    expect(hours).toMatchObject({ month: '2026-12', minutes: 270, shiftMinutes: 180, loggedMinutes: 90, entries: 2 });
    expect(hours.weeks[0]).toMatchObject({ shiftMinutes: 180, loggedMinutes: 0 });
    expect(hours.weeks[1]).toMatchObject({ shiftMinutes: 0, loggedMinutes: 90 });
  });

  it('weeks cover the month exactly once, and their sums are the total', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
        fc.constantFrom('Europe/London', 'America/New_York', 'Pacific/Auckland', 'UTC'),
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 40 }), minutes: fc.integer({ min: 0, max: 1440 }) })),
        (at, zone, raw) => {
          const { from, to } = monthBounds(zone, at);
          const weeks = monthWeeks(zone, at);
          expect(weeks[0].from).toBe(from);
          expect(weeks[weeks.length - 1].to).toBe(to);
          const start = new Date(`${from}T00:00:00Z`).getTime();
          const entries = raw.map((r) =>
            entry({ date: new Date(start + r.day * 86_400_000).toISOString().slice(0, 10), minutes: r.minutes }),
          );
          const hours = monthHours(entries, zone, at);
          const inMonth = entries.filter((e) => e.date <= to).reduce((n, e) => n + e.minutes, 0);
          expect(hours.minutes).toBe(inMonth);
          expect(hours.weeks.reduce((n, w) => n + w.shiftMinutes, 0)).toBe(inMonth);
        },
      ),
    );
  });
});
