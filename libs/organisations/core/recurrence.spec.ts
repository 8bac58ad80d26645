import fc from 'fast-check';
import { DateTime } from 'luxon';
import { expandWeeklySeries, type WeeklySeriesRule } from './recurrence.js';

const rule = (r: Partial<WeeklySeriesRule>): WeeklySeriesRule => ({
  weekday: 2,
  startLocal: '17:00',
  endLocal: '20:00',
  startsOn: '2026-01-01',
  until: '2027-12-31',
  zone: 'Europe/London',
  ...r,
});
const rows = (occ: ReturnType<typeof expandWeeklySeries>) =>
  occ.map((o) => [o.localDate, o.startsAt.toISOString(), o.endsAt.toISOString()]);

describe('expandWeeklySeries (hand-checked)', () => {
  it('Europe/London: every Tuesday 17:00–20:00 stays 17:00 local; UTC moves an hour at BST', () => {
    expect(rows(expandWeeklySeries(rule({}), '2026-03-17', '2026-04-07'))).toEqual([
      ['2026-03-17', '2026-03-17T17:00:00.000Z', '2026-03-17T20:00:00.000Z'],
      ['2026-03-24', '2026-03-24T17:00:00.000Z', '2026-03-24T20:00:00.000Z'],
      ['2026-03-31', '2026-03-31T16:00:00.000Z', '2026-03-31T19:00:00.000Z'],
      ['2026-04-07', '2026-04-07T16:00:00.000Z', '2026-04-07T19:00:00.000Z'],
    ]);
  });

  it('America/New_York: across the November fall-back 17:00 EDT → 17:00 EST', () => {
    expect(rows(expandWeeklySeries(rule({ zone: 'America/New_York' }), '2026-10-27', '2026-11-03'))).toEqual([
      ['2026-10-27', '2026-10-27T21:00:00.000Z', '2026-10-28T00:00:00.000Z'],
      ['2026-11-03', '2026-11-03T22:00:00.000Z', '2026-11-04T01:00:00.000Z'],
    ]);
  });

  it('Australia/Sydney: April leaves daylight time (+11 → +10)', () => {
    expect(rows(expandWeeklySeries(rule({ zone: 'Australia/Sydney' }), '2026-03-31', '2026-04-07'))).toEqual([
      ['2026-03-31', '2026-03-31T06:00:00.000Z', '2026-03-31T09:00:00.000Z'],
      ['2026-04-07', '2026-04-07T07:00:00.000Z', '2026-04-07T10:00:00.000Z'],
    ]);
  });

  it('a night shift crossing midnight ends the next day, 7 h on the spring-forward night, 8 h after', () => {
    const night = rule({ weekday: 6, startLocal: '22:00', endLocal: '06:00', zone: 'America/New_York' });
    expect(rows(expandWeeklySeries(night, '2026-03-07', '2026-03-14'))).toEqual([
      ['2026-03-07', '2026-03-08T03:00:00.000Z', '2026-03-08T10:00:00.000Z'],
      ['2026-03-14', '2026-03-15T02:00:00.000Z', '2026-03-15T10:00:00.000Z'],
    ]);
  });

  it('dates are inclusive and clipped to both the rule and the requested range', () => {
    const r = rule({ startsOn: '2026-03-10', until: '2026-03-24' }); // all Tuesdays
    expect(expandWeeklySeries(r, '2026-01-01', '2026-12-31').map((o) => o.localDate)).toEqual([
      '2026-03-10',
      '2026-03-17',
      '2026-03-24',
    ]);
    expect(expandWeeklySeries(r, '2026-03-11', '2026-03-23').map((o) => o.localDate)).toEqual(['2026-03-17']);
    expect(expandWeeklySeries(r, '2026-03-25', '2026-04-30')).toEqual([]);
    expect(expandWeeklySeries(r, '2026-03-24', '2026-03-10')).toEqual([]);
  });

  it('skips a date on which the shift lies wholly inside the DST gap (it never happens)', () => {
    const r = rule({ weekday: 7, startLocal: '02:15', endLocal: '02:45', zone: 'America/New_York' });
    expect(expandWeeklySeries(r, '2026-03-01', '2026-03-15').map((o) => o.localDate)).toEqual([
      '2026-03-01',
      '2026-03-15',
    ]);
  });

  it('rejects malformed rules even when the range is empty', () => {
    expect(() => expandWeeklySeries(rule({ weekday: 0 }), '2026-03-24', '2026-03-10')).toThrow(RangeError);
    expect(() => expandWeeklySeries(rule({ zone: 'Nowhere/Land' }), '2026-03-24', '2026-03-10')).toThrow(RangeError);
    expect(() => expandWeeklySeries(rule({ startLocal: '24:00' }), '2026-03-24', '2026-03-10')).toThrow(RangeError);
    expect(() => expandWeeklySeries(rule({}), '2026-02-30', '2026-03-10')).toThrow(RangeError);
    expect(() => expandWeeklySeries(rule({ until: '2026/03/10' }), '2026-03-01', '2026-03-10')).toThrow(RangeError);
  });
});

describe('expandWeeklySeries properties', () => {
  const ZONES = [
    'America/New_York',
    'Europe/London',
    'Australia/Sydney',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'Asia/Tokyo',
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  const hhmm = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
  const day = (n: number) => DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days: n }).toISODate()!;

  // Durations over 61 wall-clock minutes: longer than any DST gap in these zones, so no
  // occurrence can vanish inside one and the count property is exact.
  const ruleArb = fc
    .record({
      weekday: fc.integer({ min: 1, max: 7 }),
      startMin: fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 240 })),
      durationMin: fc.integer({ min: 61, max: 1439 }),
      startsOn: fc.integer({ min: 0, max: 700 }),
      length: fc.integer({ min: 0, max: 120 }),
      zone: fc.constantFrom(...ZONES),
    })
    .map((r) => ({
      weekday: r.weekday,
      startLocal: hhmm(r.startMin),
      endLocal: hhmm((r.startMin + r.durationMin) % 1440),
      startsOn: day(r.startsOn),
      until: day(r.startsOn + r.length),
      zone: r.zone,
    }));
  const rangeArb = fc
    .tuple(fc.integer({ min: -20, max: 720 }), fc.integer({ min: 0, max: 140 }))
    .map(([from, len]) => [day(from), day(from + len)] as const);

  it('every occurrence is on the rule weekday in the zone and starts at the rule time (or just after a gap)', () => {
    fc.assert(
      fc.property(ruleArb, rangeArb, (r, [from, to]) => {
        for (const o of expandWeeklySeries(r, from, to)) {
          expect(DateTime.fromISO(o.localDate, { zone: 'UTC' }).weekday).toBe(r.weekday);
          const local = DateTime.fromJSDate(o.startsAt, { zone: r.zone });
          expect(local.toISODate()).toBe(o.localDate);
          const wall = local.toFormat('HH:mm');
          // Equal, unless 17:00 did not exist that day (then the clock reads a later time).
          if (wall !== r.startLocal) {
            expect(wall > r.startLocal).toBe(true);
            expect(DateTime.fromMillis(o.startsAt.getTime() - 1000, { zone: r.zone }).offset).not.toBe(local.offset);
          }
          expect(o.endsAt.getTime()).toBeGreaterThan(o.startsAt.getTime());
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the count equals the number of matching weekdays in [max(startsOn, from), min(until, to)]', () => {
    fc.assert(
      fc.property(ruleArb, rangeArb, (r, [from, to]) => {
        const lo = r.startsOn > from ? r.startsOn : from;
        const hi = r.until < to ? r.until : to;
        let expected = 0;
        for (let d = DateTime.fromISO(lo, { zone: 'UTC' }); d.toISODate()! <= hi; d = d.plus({ days: 1 })) {
          if (d.weekday === r.weekday) expected++;
        }
        expect(expandWeeklySeries(r, from, to)).toHaveLength(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('consecutive occurrences are 7 local days apart, in order, with the same wall-clock times', () => {
    fc.assert(
      fc.property(ruleArb, rangeArb, (r, [from, to]) => {
        const occ = expandWeeklySeries(r, from, to);
        for (let i = 1; i < occ.length; i++) {
          const a = DateTime.fromISO(occ[i - 1].localDate, { zone: 'UTC' });
          const b = DateTime.fromISO(occ[i].localDate, { zone: 'UTC' });
          expect(b.diff(a, 'days').days).toBe(7);
          // Real time between them: one week minus any change of offset in between.
          const offA = DateTime.fromJSDate(occ[i - 1].startsAt, { zone: r.zone }).offset;
          const offB = DateTime.fromJSDate(occ[i].startsAt, { zone: r.zone }).offset;
          const wallA = DateTime.fromJSDate(occ[i - 1].startsAt, { zone: r.zone }).toFormat('HH:mm');
          const wallB = DateTime.fromJSDate(occ[i].startsAt, { zone: r.zone }).toFormat('HH:mm');
          if (wallA === r.startLocal && wallB === r.startLocal) {
            expect(occ[i].startsAt.getTime() - occ[i - 1].startsAt.getTime()).toBe(
              7 * 86_400_000 - (offB - offA) * 60_000,
            );
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
