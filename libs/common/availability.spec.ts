import fc from 'fast-check';
import {
  DAY,
  dateArb as transitionDayArb,
  dateOf,
  epochDayOf,
  pad,
  timeArb,
  transitionDates,
} from '../../test/support/zone-arbitraries.js';
import { DateTime } from 'luxon';
import {
  expandWindowOnDate,
  formatWindow,
  isoWeekBounds,
  isValidTimeZone,
  shiftFitsAvailability,
  type DateException,
  type WeeklyWindow,
} from './availability.js';

// Hand-checked DST facts used below (tzdb 2026):
//   America/New_York  springs forward Sun 2026-03-08 02:00 EST → 03:00 EDT (07:00Z),
//                     falls back     Sun 2026-11-01 02:00 EDT → 01:00 EST (06:00Z).
//   Europe/London     Sun 2026-03-29 01:00 GMT → 02:00 BST; Sun 2026-10-25 02:00 BST → 01:00 GMT.
//   Australia/Sydney  Sun 2026-04-05 03:00 AEDT → 02:00 AEST; Sun 2026-10-04 02:00 AEST → 03:00 AEDT.
//   Pacific/Chatham   Sun 2026-04-05 03:45 +13:45 → 02:45 +12:45; Sun 2026-09-27 02:45 → 03:45.
//   Asia/Kolkata +05:30 and Asia/Tokyo +09:00 have no DST.
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Asia/Tokyo',
] as const;

const iso = (d: Date | undefined) => d?.toISOString();
const at = (s: string) => new Date(s);
const interval = (w: WeeklyWindow, date: string, zone: string) => {
  const r = expandWindowOnDate(w, date, zone);
  return r && [iso(r.start), iso(r.end)];
};
const fits = (startsAt: string, endsAt: string, windows: WeeklyWindow[], zone: string, ex?: DateException[]) =>
  shiftFitsAvailability({ startsAt: at(startsAt), endsAt: at(endsAt) }, windows, zone, ex);

describe('expandWindowOnDate (hand-checked examples)', () => {
  it('keeps Tuesday 17:00–21:00 at 17:00 London time across the BST change (UTC hour moves)', () => {
    const tue = { weekday: 2, start: '17:00', end: '21:00' };
    expect(interval(tue, '2026-03-24', 'Europe/London')).toEqual([
      '2026-03-24T17:00:00.000Z',
      '2026-03-24T21:00:00.000Z',
    ]);
    expect(interval(tue, '2026-03-31', 'Europe/London')).toEqual([
      '2026-03-31T16:00:00.000Z',
      '2026-03-31T20:00:00.000Z',
    ]);
  });

  it('returns null when the date is not on the window weekday', () => {
    expect(expandWindowOnDate({ weekday: 2, start: '17:00', end: '21:00' }, '2026-03-25', 'Europe/London')).toBeNull();
  });

  it('New York spring-forward day: 01:00–04:00 lasts only 2 real hours', () => {
    const sun = { weekday: 7, start: '01:00', end: '04:00' };
    expect(interval(sun, '2026-03-08', 'America/New_York')).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
    ]);
  });

  it('New York: a start inside the 02:00–03:00 gap moves to the end of the gap (03:00 EDT)', () => {
    const sun = { weekday: 7, start: '02:30', end: '03:15' };
    expect(interval(sun, '2026-03-08', 'America/New_York')).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T07:15:00.000Z',
    ]);
  });

  it('New York: a window wholly inside the gap does not exist that day', () => {
    expect(
      expandWindowOnDate({ weekday: 7, start: '02:00', end: '03:00' }, '2026-03-08', 'America/New_York'),
    ).toBeNull();
    expect(
      expandWindowOnDate({ weekday: 7, start: '02:10', end: '02:50' }, '2026-03-08', 'America/New_York'),
    ).toBeNull();
    // The same window one week later is an ordinary hour.
    expect(interval({ weekday: 7, start: '02:00', end: '03:00' }, '2026-03-15', 'America/New_York')).toEqual([
      '2026-03-15T06:00:00.000Z',
      '2026-03-15T07:00:00.000Z',
    ]);
  });

  it('New York fall-back day: 01:00–03:00 lasts 3 real hours; ambiguous 01:30 takes the earlier instant (EDT)', () => {
    expect(interval({ weekday: 7, start: '01:00', end: '03:00' }, '2026-11-01', 'America/New_York')).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
    expect(interval({ weekday: 7, start: '01:30', end: '02:00' }, '2026-11-01', 'America/New_York')).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, the first of the two 01:30s
      '2026-11-01T07:00:00.000Z', // 02:00 EST
    ]);
  });

  it('Europe/London: the 01:00–02:00 gap and the repeated 01:00–02:00 hour', () => {
    expect(interval({ weekday: 7, start: '00:30', end: '02:30' }, '2026-03-29', 'Europe/London')).toEqual([
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
    expect(interval({ weekday: 7, start: '01:15', end: '03:00' }, '2026-10-25', 'Europe/London')).toEqual([
      '2026-10-25T00:15:00.000Z', // 01:15 BST
      '2026-10-25T03:00:00.000Z', // 03:00 GMT
    ]);
  });

  it('Australia/Sydney (southern hemisphere): April falls back, October springs forward', () => {
    const sun = { weekday: 7, start: '01:00', end: '04:00' };
    expect(interval(sun, '2026-04-05', 'Australia/Sydney')).toEqual([
      '2026-04-04T14:00:00.000Z',
      '2026-04-04T18:00:00.000Z',
    ]);
    expect(interval(sun, '2026-10-04', 'Australia/Sydney')).toEqual([
      '2026-10-03T15:00:00.000Z',
      '2026-10-03T17:00:00.000Z',
    ]);
    // An ordinary Wednesday 09:00–17:00: +11 in January, +10 in July.
    const wed = { weekday: 3, start: '09:00', end: '17:00' };
    expect(interval(wed, '2026-01-14', 'Australia/Sydney')).toEqual([
      '2026-01-13T22:00:00.000Z',
      '2026-01-14T06:00:00.000Z',
    ]);
    expect(interval(wed, '2026-07-15', 'Australia/Sydney')).toEqual([
      '2026-07-14T23:00:00.000Z',
      '2026-07-15T07:00:00.000Z',
    ]);
  });

  it('Asia/Kolkata: the +05:30 half-hour offset', () => {
    expect(interval({ weekday: 1, start: '09:00', end: '13:00' }, '2026-06-01', 'Asia/Kolkata')).toEqual([
      '2026-06-01T03:30:00.000Z',
      '2026-06-01T07:30:00.000Z',
    ]);
  });

  it('Pacific/Chatham: +13:45 in summer, +12:45 in winter, and its 02:45 gap', () => {
    const sat = { weekday: 6, start: '18:00', end: '22:00' };
    expect(interval(sat, '2026-01-03', 'Pacific/Chatham')).toEqual([
      '2026-01-03T04:15:00.000Z',
      '2026-01-03T08:15:00.000Z',
    ]);
    expect(interval(sat, '2026-07-04', 'Pacific/Chatham')).toEqual([
      '2026-07-04T05:15:00.000Z',
      '2026-07-04T09:15:00.000Z',
    ]);
    expect(interval({ weekday: 7, start: '03:00', end: '04:00' }, '2026-09-27', 'Pacific/Chatham')).toEqual([
      '2026-09-26T14:00:00.000Z', // 03:00 is in the 02:45–03:45 gap → 03:45 +13:45
      '2026-09-26T14:15:00.000Z',
    ]);
    expect(interval({ weekday: 7, start: '02:00', end: '04:00' }, '2026-04-05', 'Pacific/Chatham')).toEqual([
      '2026-04-04T12:15:00.000Z', // 02:00 +13:45
      '2026-04-04T15:15:00.000Z', // 04:00 +12:45: 3 real hours
    ]);
  });

  it('a window crossing midnight ends on the next calendar day, with that day’s offset', () => {
    expect(interval({ weekday: 5, start: '22:00', end: '02:00' }, '2026-05-15', 'Asia/Tokyo')).toEqual([
      '2026-05-15T13:00:00.000Z',
      '2026-05-15T17:00:00.000Z',
    ]);
    // Saturday night into the New York spring-forward Sunday: 22:00 EST → 06:00 EDT is 7 hours.
    expect(interval({ weekday: 6, start: '22:00', end: '06:00' }, '2026-03-07', 'America/New_York')).toEqual([
      '2026-03-08T03:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
    ]);
    // start === end is a whole day (24 h; 25 h on the fall-back Sunday).
    expect(interval({ weekday: 7, start: '00:00', end: '00:00' }, '2026-11-01', 'America/New_York')).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-02T05:00:00.000Z',
    ]);
  });

  it('accepts HH:MM:SS (PostgreSQL time columns)', () => {
    expect(interval({ weekday: 1, start: '09:00:30', end: '10:00:00' }, '2026-06-01', 'Asia/Tokyo')).toEqual([
      '2026-06-01T00:00:30.000Z',
      '2026-06-01T01:00:00.000Z',
    ]);
  });

  it.each([
    [{ weekday: 0, start: '09:00', end: '10:00' }],
    [{ weekday: 8, start: '09:00', end: '10:00' }],
    [{ weekday: 1.5, start: '09:00', end: '10:00' }],
    [{ weekday: 1, start: '24:00', end: '10:00' }],
    [{ weekday: 1, start: '09:00', end: '24:00' }],
    [{ weekday: 1, start: '9:00', end: '10:00' }],
    [{ weekday: 1, start: '09:60', end: '10:00' }],
    [{ weekday: 1, start: '09:00:60', end: '10:00' }],
  ])('rejects a malformed window %j', (w) => {
    expect(() => expandWindowOnDate(w, '2026-06-01', 'Asia/Tokyo')).toThrow(RangeError);
  });

  it.each(['2026-02-30', '2026-6-1', '20260601', ''])('rejects a malformed date %j', (date) => {
    expect(() => expandWindowOnDate({ weekday: 1, start: '09:00', end: '10:00' }, date, 'Asia/Tokyo')).toThrow(
      RangeError,
    );
  });

  it('rejects an unknown zone or a fixed offset', () => {
    const w = { weekday: 1, start: '09:00', end: '10:00' };
    expect(() => expandWindowOnDate(w, '2026-06-01', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => expandWindowOnDate(w, '2026-06-01', '+09:00')).toThrow(RangeError);
  });
});

describe('shiftFitsAvailability (hand-checked examples)', () => {
  const tueLondon = [{ weekday: 2, start: '17:00', end: '21:00' }];

  it('uses the offset of the shift’s own date, not a fixed one', () => {
    // Tuesday after the BST change: 17:00–21:00 local is 16:00–20:00Z.
    expect(fits('2026-03-31T16:00:00Z', '2026-03-31T20:00:00Z', tueLondon, 'Europe/London')).toEqual({
      fits: true,
      window: tueLondon[0],
      localDate: '2026-03-31',
    });
    expect(fits('2026-03-31T17:00:00Z', '2026-03-31T21:00:00Z', tueLondon, 'Europe/London').fits).toBe(false);
    // The Tuesday before: 17:00–21:00Z exactly.
    expect(fits('2026-03-24T17:00:00Z', '2026-03-24T21:00:00Z', tueLondon, 'Europe/London').fits).toBe(true);
    expect(fits('2026-03-24T16:00:00Z', '2026-03-24T20:00:00Z', tueLondon, 'Europe/London')).toEqual({
      fits: false,
      reason: 'outside_windows',
    });
  });

  it('a window crossing midnight (Fri 22:00–02:00) covers Fri 23:00–Sat 01:30', () => {
    const fri = [{ weekday: 5, start: '22:00', end: '02:00' }];
    // Tokyo is +09:00: Fri 2026-05-15 23:00 JST = 14:00Z.
    expect(fits('2026-05-15T14:00:00Z', '2026-05-15T16:30:00Z', fri, 'Asia/Tokyo')).toEqual({
      fits: true,
      window: fri[0],
      localDate: '2026-05-15',
    });
    // Sat 00:30–01:30 (after midnight) belongs to Friday's occurrence.
    expect(fits('2026-05-15T15:30:00Z', '2026-05-15T16:30:00Z', fri, 'Asia/Tokyo').localDate).toBe('2026-05-15');
    // Sat 01:00–02:30 runs past the end; Thu 23:00–Fri 01:00 is on the wrong day.
    expect(fits('2026-05-15T16:00:00Z', '2026-05-15T17:30:00Z', fri, 'Asia/Tokyo').fits).toBe(false);
    expect(fits('2026-05-14T14:00:00Z', '2026-05-14T16:00:00Z', fri, 'Asia/Tokyo').fits).toBe(false);
  });

  it('the whole shift must lie in ONE occurrence: adjacent windows do not combine', () => {
    const two = [
      { weekday: 2, start: '17:00', end: '19:00' },
      { weekday: 2, start: '19:00', end: '21:00' },
    ];
    expect(fits('2026-01-13T18:00:00Z', '2026-01-13T20:00:00Z', two, 'Europe/London').fits).toBe(false);
    expect(fits('2026-01-13T19:00:00Z', '2026-01-13T21:00:00Z', two, 'Europe/London').window).toBe(two[1]);
  });

  it('shift boundaries are inclusive of the window edges and [start, end) is respected', () => {
    expect(fits('2026-01-13T17:00:00Z', '2026-01-13T21:00:00Z', tueLondon, 'Europe/London').fits).toBe(true);
    expect(fits('2026-01-13T16:59:59Z', '2026-01-13T21:00:00Z', tueLondon, 'Europe/London').fits).toBe(false);
    expect(fits('2026-01-13T17:00:00Z', '2026-01-13T21:00:01Z', tueLondon, 'Europe/London').fits).toBe(false);
  });

  it('New York fall-back night: the window covers the repeated hour', () => {
    const satNight = [{ weekday: 6, start: '22:00', end: '06:00' }];
    // Sat 2026-10-31 22:00 EDT (02:00Z) → Sun 06:00 EST (11:00Z): 9 real hours.
    expect(fits('2026-11-01T02:00:00Z', '2026-11-01T11:00:00Z', satNight, 'America/New_York').fits).toBe(true);
    expect(fits('2026-11-01T02:00:00Z', '2026-11-01T11:01:00Z', satNight, 'America/New_York').fits).toBe(false);
  });

  it('exceptions: any local date the shift touches blocks it; the end instant itself does not', () => {
    const fri = [{ weekday: 5, start: '18:00', end: '02:00' }];
    const awaySat = [{ startsOn: '2026-05-16', endsOn: '2026-05-16' }];
    // Fri 23:00–Sat 01:30 JST touches Saturday.
    expect(fits('2026-05-15T14:00:00Z', '2026-05-15T16:30:00Z', fri, 'Asia/Tokyo', awaySat)).toEqual({
      fits: false,
      reason: 'exception',
    });
    // Fri 20:00–Sat 00:00 JST ends exactly at midnight: Saturday is not touched.
    expect(fits('2026-05-15T11:00:00Z', '2026-05-15T15:00:00Z', fri, 'Asia/Tokyo', awaySat).fits).toBe(true);
    // A multi-day exception that started earlier.
    const awayWeek = [{ startsOn: '2026-05-10', endsOn: '2026-05-15' }];
    expect(fits('2026-05-15T11:00:00Z', '2026-05-15T15:00:00Z', fri, 'Asia/Tokyo', awayWeek).reason).toBe('exception');
    // Ended the day before.
    const before = [{ startsOn: '2026-05-10', endsOn: '2026-05-14' }];
    expect(fits('2026-05-15T11:00:00Z', '2026-05-15T15:00:00Z', fri, 'Asia/Tokyo', before).fits).toBe(true);
  });

  it('exception dates are read in the volunteer’s zone, not UTC', () => {
    const satMorning = [{ weekday: 6, start: '05:00', end: '07:00' }];
    // 2026-05-15 20:00Z is Saturday 2026-05-16 05:00 in Tokyo.
    const shift = ['2026-05-15T20:00:00Z', '2026-05-15T21:00:00Z'] as const;
    expect(fits(...shift, satMorning, 'Asia/Tokyo', [{ startsOn: '2026-05-16', endsOn: '2026-05-16' }]).reason).toBe(
      'exception',
    );
    expect(fits(...shift, satMorning, 'Asia/Tokyo', [{ startsOn: '2026-05-15', endsOn: '2026-05-15' }]).fits).toBe(
      true,
    );
  });

  it('outside every window wins over an exception as the reason', () => {
    const away = [{ startsOn: '2026-01-13', endsOn: '2026-01-13' }];
    expect(fits('2026-01-13T09:00:00Z', '2026-01-13T10:00:00Z', tueLondon, 'Europe/London', away).reason).toBe(
      'outside_windows',
    );
  });

  it('no windows → never fits', () => {
    expect(fits('2026-01-13T17:00:00Z', '2026-01-13T18:00:00Z', [], 'Europe/London')).toEqual({
      fits: false,
      reason: 'outside_windows',
    });
  });

  it('rejects an empty or inverted shift, a bad zone and an inverted exception', () => {
    expect(() => fits('2026-01-13T18:00:00Z', '2026-01-13T18:00:00Z', tueLondon, 'Europe/London')).toThrow(RangeError);
    expect(() => fits('2026-01-13T19:00:00Z', '2026-01-13T18:00:00Z', tueLondon, 'Europe/London')).toThrow(RangeError);
    expect(() => fits('2026-01-13T17:00:00Z', '2026-01-13T18:00:00Z', tueLondon, 'Nowhere/Land')).toThrow(RangeError);
    expect(() =>
      fits('2026-01-13T17:00:00Z', '2026-01-13T18:00:00Z', tueLondon, 'Europe/London', [
        { startsOn: '2026-01-14', endsOn: '2026-01-13' },
      ]),
    ).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it.each([
    'Europe/London',
    'America/New_York',
    'Pacific/Chatham',
    'America/Argentina/Buenos_Aires',
    'UTC',
    'Etc/GMT+5',
  ])('accepts %s', (zone) => expect(isValidTimeZone(zone)).toBe(true));
  it.each(['', 'Mars/Olympus', '+05:00', '-0300', 'GMT+5:30', 'Europe/London ', 'local'])('rejects %j', (zone) =>
    expect(isValidTimeZone(zone)).toBe(false),
  );
});

describe('isoWeekBounds (hand-checked examples)', () => {
  it('London week with the spring change is 167 hours', () => {
    const { start, end } = isoWeekBounds(at('2026-03-29T12:00:00Z'), 'Europe/London');
    expect([iso(start), iso(end)]).toEqual(['2026-03-23T00:00:00.000Z', '2026-03-29T23:00:00.000Z']);
  });

  it('Sunday 23:30Z in London summer is already Monday locally: the next week', () => {
    const { start } = isoWeekBounds(at('2026-03-29T23:30:00Z'), 'Europe/London');
    expect(iso(start)).toBe('2026-03-29T23:00:00.000Z');
  });

  it('New York week with the fall-back is 169 hours', () => {
    const { start, end } = isoWeekBounds(at('2026-10-30T12:00:00Z'), 'America/New_York');
    expect([iso(start), iso(end)]).toEqual(['2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
  });
});

describe('formatWindow', () => {
  it.each([
    [{ weekday: 2, start: '17:00', end: '21:00' }, 'Tuesday 17:00–21:00'],
    [{ weekday: 7, start: '09:30:00', end: '12:00:00' }, 'Sunday 09:30–12:00'],
    [{ weekday: 1, start: '09:30:15', end: '12:00' }, 'Monday 09:30:15–12:00'],
    [{ weekday: 5, start: '22:00', end: '02:00' }, 'Friday 22:00–02:00'],
  ])('%j → %s', (w, text) => expect(formatWindow(w)).toBe(text));

  it('rejects a bad weekday', () => {
    expect(() => formatWindow({ weekday: 9, start: '17:00', end: '21:00' })).toThrow(RangeError);
  });
});

// ------------------------------------------------------------------------------------------------
// Properties. Dates are biased towards the DST transition days of 2026/2027, found with luxon.

const MIN = 60_000;

const TRANSITIONS = Object.fromEntries(ZONES.map((z) => [z, transitionDates(z)])) as Record<string, string[]>;

it('the transition-date lists cover two changes a year for DST zones and none otherwise', () => {
  expect(TRANSITIONS['America/New_York']).toEqual(['2026-03-08', '2026-11-01', '2027-03-14', '2027-11-07']);
  expect(TRANSITIONS['Australia/Sydney']).toEqual(['2026-04-05', '2026-10-04', '2027-04-04', '2027-10-03']);
  expect(TRANSITIONS['Pacific/Chatham']).toEqual(['2026-04-05', '2026-09-27', '2027-04-04', '2027-09-26']);
  expect(TRANSITIONS['Europe/London']).toEqual(['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31']);
  expect(TRANSITIONS['Asia/Kolkata']).toEqual([]);
  expect(TRANSITIONS['Asia/Tokyo']).toEqual([]);
});

const isoWeekdayOf = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).weekday;
const secondsOf = (t: string) => t.split(':').reduce((acc, p, i) => acc + Number(p) * [3600, 60, 1][i], 0);

const zoneArb = fc.constantFrom(...ZONES);
/** A date in 2026–2027, often a transition day (or the day either side) of `zone`. */
const dateArb = (zone: string) => transitionDayArb(TRANSITIONS[zone]);
/** A zone, a date, and a window on that date's weekday. */
const caseArb = zoneArb.chain((zone) =>
  fc.tuple(fc.constant(zone), dateArb(zone), timeArb, timeArb).map(([z, date, start, end]) => ({
    zone: z,
    date,
    window: { weekday: isoWeekdayOf(date), start, end },
  })),
);

/** Independent oracle, via luxon: how a local wall-clock time resolves. */
function resolveWithLuxon(date: string, time: string, zone: string) {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s = 0] = time.split(':').map(Number);
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone });
  const inGap =
    dt.year !== y || dt.month !== mo || dt.day !== d || dt.hour !== h || dt.minute !== mi || dt.second !== s;
  const earliest = Math.min(...dt.getPossibleOffsets().map((p) => p.toMillis()));
  return { inGap, earliest };
}
const wallClock = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');
const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;

describe('availability properties', () => {
  it('(a) a shift equal to the expanded window, and any sub-interval of it, fits via that date', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (c, p, q) => {
          const iv = expandWindowOnDate(c.window, c.date, c.zone);
          if (!iv) {
            // Only a window lying inside a DST gap can vanish.
            expect(TRANSITIONS[c.zone]).toContain(c.date);
            return;
          }
          const whole = shiftFitsAvailability({ startsAt: iv.start, endsAt: iv.end }, [c.window], c.zone);
          expect(whole).toEqual({ fits: true, window: c.window, localDate: c.date });
          const len = iv.end.getTime() - iv.start.getTime();
          const a = iv.start.getTime() + Math.floor(Math.min(p, q) * len);
          const b = Math.max(a + 1, iv.start.getTime() + Math.ceil(Math.max(p, q) * len));
          fc.pre(b <= iv.end.getTime());
          expect(shiftFitsAvailability({ startsAt: new Date(a), endsAt: new Date(b) }, [c.window], c.zone).fits).toBe(
            true,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('(b) a shift starting 1 minute before the window start, or ending 1 minute after its end, never fits', () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: 0, max: 1, noNaN: true }), (c, p) => {
        const iv = expandWindowOnDate(c.window, c.date, c.zone);
        fc.pre(iv !== null);
        const start = iv!.start.getTime();
        const end = iv!.end.getTime();
        const early = start - MIN;
        const earlyEnd = early + Math.max(1, Math.floor(p * (end - early)));
        expect(
          shiftFitsAvailability({ startsAt: new Date(early), endsAt: new Date(earlyEnd) }, [c.window], c.zone),
        ).toEqual({
          fits: false,
          reason: 'outside_windows',
        });
        const lateStart = start + Math.floor(p * (end - start));
        expect(
          shiftFitsAvailability({ startsAt: new Date(lateStart), endsAt: new Date(end + MIN) }, [c.window], c.zone)
            .fits,
        ).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('(c) both ends resolve as luxon says: the exact wall-clock time, the earlier of two, or the end of a gap', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const iv = expandWindowOnDate(c.window, c.date, c.zone);
        fc.pre(iv !== null);
        const crossing = secondsOf(c.window.end) <= secondsOf(c.window.start);
        const endDate = crossing ? dateOf(epochDayOf(c.date) + 1) : c.date;
        for (const [instant, date, time] of [
          [iv!.start.getTime(), c.date, c.window.start],
          [iv!.end.getTime(), endDate, c.window.end],
        ] as const) {
          const expected = resolveWithLuxon(date, time, c.zone);
          const wanted = `${date} ${time.length === 5 ? `${time}:00` : time}`;
          if (!expected.inGap) {
            expect(instant).toBe(expected.earliest); // fails for any fixed offset on half the dates
            expect(wallClock(instant, c.zone)).toBe(wanted);
          } else {
            // The first instant after the gap: the offset changes exactly here, and the local
            // clock jumps from before the wanted time to after it.
            expect(offsetAt(instant - 1000, c.zone)).not.toBe(offsetAt(instant, c.zone));
            expect(wallClock(instant - 1000, c.zone) < wanted).toBe(true);
            expect(wallClock(instant, c.zone) > wanted).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('(c′) real duration = wall-clock duration minus the offset change within it', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const iv = expandWindowOnDate(c.window, c.date, c.zone);
        fc.pre(iv !== null);
        const crossing = secondsOf(c.window.end) <= secondsOf(c.window.start);
        const endDate = crossing ? dateOf(epochDayOf(c.date) + 1) : c.date;
        fc.pre(
          !resolveWithLuxon(c.date, c.window.start, c.zone).inGap &&
            !resolveWithLuxon(endDate, c.window.end, c.zone).inGap,
        );
        const wallMs = (secondsOf(c.window.end) - secondsOf(c.window.start) + (crossing ? 86_400 : 0)) * 1000;
        const offsetChange = (offsetAt(iv!.end.getTime(), c.zone) - offsetAt(iv!.start.getTime(), c.zone)) * MIN;
        expect(iv!.end.getTime() - iv!.start.getTime()).toBe(wallMs - offsetChange);
      }),
      { numRuns: 1000 },
    );
  });

  it('expandWindowOnDate returns null on every other weekday', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 6 }), (c, shift) => {
        const other = { ...c.window, weekday: ((c.window.weekday - 1 + shift) % 7) + 1 };
        expect(expandWindowOnDate(other, c.date, c.zone)).toBeNull();
      }),
    );
  });

  it('a shift across midnight fits a window crossing midnight (Fri 22:00–02:00 style)', () => {
    const crossingArb = zoneArb.chain((zone) =>
      fc.record({
        zone: fc.constant(zone),
        date: dateArb(zone),
        startMin: fc.integer({ min: 18 * 60, max: 23 * 60 + 59 }),
        endMin: fc.integer({ min: 0, max: 6 * 60 }),
        before: fc.integer({ min: 1, max: 120 }),
        // Up to 00:59: no zone in the list changes its clocks before 01:00, so real minutes
        // after midnight equal wall-clock minutes.
        after: fc.integer({ min: 1, max: 59 }),
      }),
    );
    fc.assert(
      fc.property(crossingArb, (c) => {
        const window = {
          weekday: isoWeekdayOf(c.date),
          start: `${pad(Math.floor(c.startMin / 60))}:${pad(c.startMin % 60)}`,
          end: `${pad(Math.floor(c.endMin / 60))}:${pad(c.endMin % 60)}`,
        };
        // The shift: from min(before, …) minutes before local midnight to `after` minutes past it,
        // clipped to the window, built from luxon's local midnight (independent of the code under test).
        const midnight = DateTime.fromISO(c.date, { zone: c.zone }).plus({ days: 1 }).toMillis();
        const startsAt = midnight - Math.min(c.before, 24 * 60 - c.startMin) * MIN;
        const endsAt = midnight + Math.min(c.after, c.endMin) * MIN;
        fc.pre(endsAt > midnight);
        expect(
          shiftFitsAvailability({ startsAt: new Date(startsAt), endsAt: new Date(endsAt) }, [window], c.zone),
        ).toEqual({
          fits: true,
          window,
          localDate: c.date,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('fixed-offset zones agree with plain wall-clock arithmetic (differential oracle)', () => {
    const FIXED = ['Asia/Tokyo', 'Asia/Kolkata', 'UTC'] as const;
    const windowArb = fc.record({
      weekday: fc.integer({ min: 1, max: 7 }),
      start: fc.integer({ min: 0, max: 1439 }),
      end: fc.integer({ min: 0, max: 1439 }),
    });
    const arb = fc.record({
      zone: fc.constantFrom(...FIXED),
      windows: fc.array(windowArb, { minLength: 1, maxLength: 4 }),
      // Shifts near the windows are interesting: pick a window and jitter its bounds.
      pick: fc.nat(),
      weekOffset: fc.integer({ min: 0, max: 100 }),
      jitterStart: fc.integer({ min: -90, max: 90 }),
      jitterEnd: fc.integer({ min: -90, max: 90 }),
    });
    const hhmm = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
    fc.assert(
      fc.property(arb, (c) => {
        const windows = c.windows.map((w) => ({ weekday: w.weekday, start: hhmm(w.start), end: hhmm(w.end) }));
        const offset = offsetAt(Date.UTC(2026, 0, 1), c.zone) * MIN;
        expect(offsetAt(Date.UTC(2026, 6, 1), c.zone) * MIN).toBe(offset); // truly fixed
        // Local "wall minutes since epoch" of each window occurrence: plain arithmetic.
        const occ = (w: (typeof c.windows)[number], day: number) => {
          const s = day * 1440 + w.start;
          return [s, (w.end <= w.start ? day + 1 : day) * 1440 + w.end] as const;
        };
        const w0 = c.windows[c.pick % c.windows.length];
        const baseDay = epochDayOf('2026-01-05') + 7 * c.weekOffset + (w0.weekday - 1); // a Monday + …
        const [ws, we] = occ(w0, baseDay);
        const s = ws + c.jitterStart;
        const e = Math.max(s + 1, we + c.jitterEnd);
        const toUtc = (wallMin: number) => new Date(wallMin * MIN - offset);
        const expected = c.windows.some((w) =>
          [-1, 0].some((k) => {
            const day = Math.floor(s / 1440) + k;
            if (isoWeekdayOf(dateOf(day)) !== w.weekday) return false;
            const [a, b] = occ(w, day);
            return a <= s && e <= b;
          }),
        );
        expect(shiftFitsAvailability({ startsAt: toUtc(s), endsAt: toUtc(e) }, windows, c.zone).fits).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('exceptions block exactly when a local date touched by the shift is inside one', () => {
    const arb = caseArb.chain((c) =>
      fc.record({
        c: fc.constant(c),
        p: fc.double({ min: 0, max: 1, noNaN: true }),
        q: fc.double({ min: 0, max: 1, noNaN: true }),
        exceptions: fc.array(
          fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([from, len]) => ({
            startsOn: dateOf(epochDayOf(c.date) + from),
            endsOn: dateOf(epochDayOf(c.date) + from + len),
          })),
          { maxLength: 3 },
        ),
      }),
    );
    fc.assert(
      fc.property(arb, ({ c, p, q, exceptions }) => {
        const iv = expandWindowOnDate(c.window, c.date, c.zone);
        fc.pre(iv !== null);
        const len = iv!.end.getTime() - iv!.start.getTime();
        // Start at most 1 ms before the window ends, so the shift always lasts at least 1 ms.
        const a = iv!.start.getTime() + Math.floor(Math.min(p, q) * (len - 1));
        const b = Math.min(iv!.end.getTime(), Math.max(a + 1, iv!.start.getTime() + Math.ceil(Math.max(p, q) * len)));
        // Oracle: sample the shift every 10 minutes (plus its last millisecond) in luxon.
        const touched = new Set<string>();
        for (let t = a; t < b; t += 10 * MIN) touched.add(DateTime.fromMillis(t, { zone: c.zone }).toISODate()!);
        touched.add(DateTime.fromMillis(b - 1, { zone: c.zone }).toISODate()!);
        const blocked = exceptions.some((ex) => [...touched].some((d) => ex.startsOn <= d && d <= ex.endsOn));
        const result = shiftFitsAvailability(
          { startsAt: new Date(a), endsAt: new Date(b) },
          [c.window],
          c.zone,
          exceptions,
        );
        expect(result.fits).toBe(!blocked);
        if (blocked) expect(result.reason).toBe('exception');
      }),
      { numRuns: 1000 },
    );
  });

  it('(d) isoWeekBounds contains the instant and runs Monday 00:00 local → next Monday 00:00 local', () => {
    const instantArb = zoneArb.chain((zone) =>
      fc.tuple(fc.constant(zone), dateArb(zone), fc.integer({ min: -DAY, max: 2 * DAY })).map(([z, date, ms]) => ({
        zone: z,
        instant: new Date(Date.parse(`${date}T00:00:00Z`) + ms),
      })),
    );
    fc.assert(
      fc.property(instantArb, ({ zone, instant }) => {
        const { start, end } = isoWeekBounds(instant, zone);
        expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(instant.getTime()).toBeLessThan(end.getTime());
        for (const bound of [start, end]) {
          const local = DateTime.fromJSDate(bound, { zone });
          expect([local.weekday, local.hour, local.minute, local.second, local.millisecond]).toEqual([1, 0, 0, 0, 0]);
        }
        // Exactly one local week apart (167, 168 or 169 real hours around DST changes).
        expect(DateTime.fromJSDate(start, { zone }).plus({ weeks: 1 }).toMillis()).toBe(end.getTime());
        expect([167, 168, 169]).toContain((end.getTime() - start.getTime()) / 3_600_000);
      }),
      { numRuns: 1000 },
    );
  });
});
