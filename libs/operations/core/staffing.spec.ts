import fc from 'fast-check';
import { atRisk, attendanceSummary, attendanceWeeks, fillByDay, totalWaiting, type StaffedShift } from './staffing.js';

const now = new Date('2026-12-06T12:00:00Z');
const inHours = (h: number) => new Date(now.getTime() + h * 3_600_000);
// Without roles given, the shift has the one role `Volunteer` holding its totals, as the database does.
const shift = (over: Partial<StaffedShift>): StaffedShift => {
  const base = { capacity: 4, filled: 0, ...over };
  return {
    id: 's',
    title: 'Supper',
    startsAt: inHours(24),
    endsAt: inHours(27),
    status: 'open',
    pendingOffers: 0,
    waiting: 0,
    roles: [{ id: 'r', name: 'Volunteer', capacity: base.capacity, filled: base.filled }],
    ...base,
  };
};

describe('shifts at risk', () => {
  it('flags under-filled shifts within 72 hours, and half-empty ones within a week, soonest first', () => {
    const shifts = [
      shift({ id: 'half-empty', startsAt: inHours(120), filled: 1 }),
      shift({ id: 'soon', startsAt: inHours(20), filled: 3 }),
      shift({ id: 'full', startsAt: inHours(10), filled: 4, status: 'full' }),
      shift({ id: 'half', startsAt: inHours(100), filled: 2 }),
      shift({ id: 'far', startsAt: inHours(200), filled: 0 }),
      shift({ id: 'draft', startsAt: inHours(5), status: 'draft' }),
      shift({ id: 'cancelled', startsAt: inHours(5), status: 'cancelled' }),
      shift({ id: 'started', startsAt: inHours(-1), filled: 0 }),
    ];
    expect(atRisk(shifts, now).map((r) => [r.shift.id, r.reason, r.missing])).toEqual([
      ['soon', 'soon', 1],
      ['half-empty', 'half-empty', 3],
    ]);
  });

  it('names the roles still short on a multi-role shift, with how many each misses', () => {
    const twoRoles = shift({
      capacity: 5,
      filled: 4,
      roles: [
        { id: 'lead', name: 'Kitchen lead', capacity: 1, filled: 1 },
        { id: 'servers', name: 'Servers', capacity: 4, filled: 3 },
      ],
    });
    const [risk] = atRisk([twoRoles], now);
    expect(risk.missing).toBe(1);
    expect(risk.shortRoles).toEqual([{ id: 'servers', name: 'Servers', missing: 1 }]);
  });

  it('never lists a full, cancelled, draft or started shift, and always says how many are missing', () => {
    const arb = fc.record({
      startsIn: fc.integer({ min: -48, max: 400 }),
      capacity: fc.integer({ min: 1, max: 20 }),
      filledShare: fc.double({ min: 0, max: 1, noNaN: true }),
      status: fc.constantFrom('draft', 'open', 'full', 'cancelled', 'completed'),
    });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 30 }), (rows) => {
        const shifts = rows.map((r, i) =>
          shift({
            id: String(i),
            startsAt: inHours(r.startsIn),
            capacity: r.capacity,
            filled: Math.floor(r.filledShare * r.capacity),
            status: r.status,
          }),
        );
        for (const r of atRisk(shifts, now)) {
          expect(['open', 'full']).toContain(r.shift.status);
          expect(r.missing).toBe(r.shift.capacity - r.shift.filled);
          expect(r.missing).toBeGreaterThan(0);
          expect(r.shortRoles.reduce((n, x) => n + x.missing, 0)).toBe(r.missing);
          expect(r.hoursToStart).toBeGreaterThan(0);
          expect(r.hoursToStart).toBeLessThanOrEqual(7 * 24);
        }
      }),
    );
  });
});

describe('fill by day', () => {
  it('counts each live shift on its local start day, in the organisation’s zone', () => {
    // 23:30 UTC on 6 Dec is 10:30 on 7 Dec in Sydney.
    const late = shift({ startsAt: new Date('2026-12-06T23:30:00Z'), filled: 1, capacity: 3 });
    const london = fillByDay([late], 'Europe/London', now);
    const sydney = fillByDay([late], 'Australia/Sydney', now);
    expect(london).toHaveLength(14);
    expect(london[0]).toEqual({ date: '2026-12-06', shifts: 1, booked: 1, open: 2 });
    expect(sydney[0]).toEqual({ date: '2026-12-06', shifts: 0, booked: 0, open: 0 });
    expect(sydney[1]).toEqual({ date: '2026-12-07', shifts: 1, booked: 1, open: 2 });
  });

  it('keeps every place of the window: booked + open over the days equals the live shifts’ capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ h: fc.integer({ min: 0, max: 13 * 24 }), cap: fc.integer({ min: 1, max: 9 }) })),
        fc.constantFrom('Europe/London', 'America/New_York', 'Pacific/Auckland', 'UTC'),
        (rows, zone) => {
          const shifts = rows.map((r) => shift({ startsAt: inHours(r.h), capacity: r.cap, filled: 0 }));
          const days = fillByDay(shifts, zone, now);
          const inWindow = shifts.filter((s) => days.some((d) => d.date === localDate(s.startsAt, zone)));
          expect(days.reduce((n, d) => n + d.booked + d.open, 0)).toBe(inWindow.reduce((n, s) => n + s.capacity, 0));
          expect(days.reduce((n, d) => n + d.shifts, 0)).toBe(inWindow.length);
        },
      ),
    );
  });
});

function localDate(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );
}

describe('attendance summary', () => {
  it('is the share of no-shows among known attendance, or null with none', () => {
    expect(attendanceSummary([], 2)).toEqual({ attended: 0, noShows: 0, lateCancellations: 2, noShowRate: null });
    expect(
      attendanceSummary(
        [
          { weekStart: '2026-11-30', attended: 6, noShows: 1 },
          { weekStart: '2026-11-23', attended: 2, noShows: 1 },
        ],
        0,
      ),
    ).toEqual({ attended: 8, noShows: 2, lateCancellations: 0, noShowRate: 0.2 });
  });
});

describe('attendance weeks', () => {
  it('lists the last 13 Monday-started weeks in the zone, oldest first, zeros where nothing was marked', () => {
    const weeks = attendanceWeeks([{ weekStart: '2026-11-30', attended: 5, noShows: 1 }], 'Europe/London', now);
    expect(weeks).toHaveLength(13);
    expect(weeks[12]).toEqual({ weekStart: '2026-11-30', attended: 5, noShows: 1 });
    expect(weeks[0]).toEqual({ weekStart: '2026-09-07', attended: 0, noShows: 0 });
  });
});

describe('waiting in total', () => {
  it('adds the waitlists of live shifts only', () => {
    const shifts = [
      shift({ id: 'a', status: 'full', waiting: 3 }),
      shift({ id: 'b', status: 'open', waiting: 1 }),
      shift({ id: 'c', status: 'cancelled', waiting: 5 }),
      shift({ id: 'd', status: 'draft', waiting: 7 }),
    ];
    expect(totalWaiting(shifts)).toBe(4);
  });
});
