import fc from 'fast-check';
import { DateTime } from 'luxon';
import pg from 'pg';
import { expandWindowOnDate, shiftFitsAvailability, type WeeklyWindow } from '../../libs/common/availability.js';
import { createTestDatabase } from '../support/test-database.js';
import { dateArb as transitionDayArb, timeArb, transitionDates } from '../support/zone-arbitraries.js';

/**
 * The walk's index skips volunteers whose UTC hours of availability (migration
 * AvailabilityHours20261128) do not contain every hour a shift touches. That is only safe if
 * the hours are a superset: whenever the pure core says a shift fits a volunteer's windows, the
 * database's hours must contain the shift's. Checked here on the zones and dates where it could
 * break: DST days in both hemispheres, 30- and 45-minute offsets, 30-minute DST (Lord Howe),
 * zones whose week wraps around Monday 00:00 UTC, windows crossing midnight.
 */

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Santiago',
] as const;

const TRANSITIONS = Object.fromEntries(ZONES.map((z) => [z, transitionDates(z)]));
const dateArb = (zone: string) => transitionDayArb(TRANSITIONS[zone]);
const otherWindowArb = fc.record({ weekday: fc.integer({ min: 1, max: 7 }), start: timeArb, end: timeArb });

/** A zone, a window on a date's weekday, other windows, and a shift inside that window's occurrence. */
const caseArb = fc.constantFrom(...ZONES).chain((zone) =>
  fc
    .record({
      date: dateArb(zone),
      start: timeArb,
      end: timeArb,
      others: fc.array(otherWindowArb, { maxLength: 3 }),
      p: fc.double({ min: 0, max: 1, noNaN: true }),
      q: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ date, start, end, others, p, q }) => {
      const window: WeeklyWindow = { weekday: DateTime.fromISO(date, { zone: 'UTC' }).weekday, start, end };
      const occurrence = expandWindowOnDate(window, date, zone);
      if (!occurrence) return null; // a window inside a DST gap has no occurrence that day
      const from = occurrence.start.getTime();
      const len = occurrence.end.getTime() - from;
      const a = from + Math.floor(Math.min(p, q) * len);
      const b = Math.min(occurrence.end.getTime(), Math.max(a + 1, from + Math.ceil(Math.max(p, q) * len)));
      return { zone, windows: [window, ...others], startsAt: new Date(a), endsAt: new Date(b) };
    }),
);

describe('matching: UTC hours of availability in the walk index', () => {
  let db: pg.Client;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: await createTestDatabase('matching_hours') });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });

  /** The database's answer to "may these windows contain that shift?", by the walk's index test. */
  async function indexAdmits(zone: string, windows: WeeklyWindow[], startsAt: Date, endsAt: Date): Promise<boolean> {
    const json = JSON.stringify(windows.map((w) => [w.weekday, w.start, w.end]));
    const { rows } = await db.query(
      `select matching_utc_hours($1::jsonb, $2) @> matching_shift_utc_hours($3, $4) as admits`,
      [json, zone, startsAt, endsAt],
    );
    return rows[0].admits;
  }

  it('never skips a volunteer the exact rules accept (superset, fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        fc.pre(c !== null);
        const { zone, windows, startsAt, endsAt } = c!;
        expect(shiftFitsAvailability({ startsAt, endsAt }, windows, zone).fits).toBe(true);
        expect(await indexAdmits(zone, windows, startsAt, endsAt)).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it("is tight where nothing moves: the window in UTC, widened only by the zone's DST change", async () => {
    const hours = async (windows: [number, string, string][], zone: string) =>
      (await db.query(`select matching_utc_hours($1::jsonb, $2) as h`, [JSON.stringify(windows), zone])).rows[0].h;
    // Kolkata +05:30 all year: Monday 17:00–21:00 is 11:30–15:30 UTC.
    expect(await hours([[1, '17:00', '21:00']], 'Asia/Kolkata')).toEqual([11, 12, 13, 14, 15]);
    // New York −04:00/−05:00: Tuesday 17:00–21:00 is 21:00–01:00 or 22:00–02:00 UTC (Tue = hours 24–47).
    expect(await hours([[2, '17:00', '21:00']], 'America/New_York')).toEqual([45, 46, 47, 48, 49]);
    // Pago Pago −11:00: Sunday 14:00–16:00 is Monday 01:00–03:00 UTC, across the week's end.
    expect(await hours([[7, '14:00', '16:00']], 'Pacific/Pago_Pago')).toEqual([1, 2]);
    // Tokyo +09:00: a window crossing midnight, Friday 22:00 – Saturday 02:00 = Friday 13:00–17:00 UTC.
    expect(await hours([[5, '22:00', '02:00']], 'Asia/Tokyo')).toEqual([109, 110, 111, 112]);
    expect(await hours([], 'Asia/Tokyo')).toEqual([]);
  });

  it('lists the UTC hours a shift touches, wrapping at Monday 00:00 UTC', async () => {
    const shiftHours = async (from: string, to: string) =>
      (await db.query(`select matching_shift_utc_hours($1, $2) as h`, [from, to])).rows[0].h;
    expect(await shiftHours('2026-11-30T12:30:00Z', '2026-11-30T14:30:00Z')).toEqual([12, 13, 14]); // Monday
    expect(await shiftHours('2026-11-29T23:30:00Z', '2026-11-30T00:30:00Z')).toEqual([167, 0]); // Sunday → Monday
    expect(await shiftHours('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z')).toEqual([33]); // Tuesday 09:00, ends on the hour
  });

  it('is kept by a trigger when windows or the time zone change', async () => {
    const {
      rows: [account],
    } = await db.query(
      `insert into accounts (email, role, email_verified_at) values ('hours@example.test', 'volunteer', now()) returning id`,
    );
    await db.query(
      `insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km) values ($1, 'Hours', 'Asia/Kolkata', 53.48, -2.24, 10)`,
      [account.id],
    );
    const current = async () =>
      (await db.query(`select available_utc_hours as h from volunteers where account_id = $1`, [account.id])).rows[0].h;
    expect(await current()).toEqual([]);
    await db.query(
      `insert into availability_windows (volunteer_id, weekday, start_local, end_local) values ($1, 1, '17:00', '21:00')`,
      [account.id],
    );
    expect(await current()).toEqual([11, 12, 13, 14, 15]);
    await db.query(`update volunteers set time_zone = 'Asia/Tokyo' where account_id = $1`, [account.id]);
    expect(await current()).toEqual([8, 9, 10, 11]);
    await db.query(`delete from availability_windows where volunteer_id = $1`, [account.id]);
    expect(await current()).toEqual([]);
  });
});
