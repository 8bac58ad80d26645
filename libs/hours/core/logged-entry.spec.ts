import fc from 'fast-check';
import { DateTime } from 'luxon';
import { checkLoggedEntry, type ExistingEntry, type LoggedEntryInput } from './logged-entry.js';

const ZONE = 'Europe/London';
const NOW = new Date('2026-12-06T20:00:00Z');
const check = (input: LoggedEntryInput, existing: ExistingEntry[] = []) =>
  checkLoggedEntry(input, { zone: ZONE, now: NOW, existing });
const fieldOf = (input: LoggedEntryInput, existing: ExistingEntry[] = []) => {
  const result = check(input, existing);
  return result.ok ? null : result.problems[0].field;
};

/** A past day within the last year, as YYYY-MM-DD. */
const pastDay = fc
  .integer({ min: 1, max: 365 })
  .map((days) => DateTime.fromJSDate(NOW, { zone: ZONE }).minus({ days }).toISODate()!);
const time = fc.record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) });
const hhmm = ({ h, m }: { h: number; m: number }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

describe('logged hours rules', () => {
  it('accepts times or minutes and resolves the interval on the volunteer’s clock', () => {
    const byTimes = check({ date: '2026-07-01', startTime: '09:30', endTime: '12:00' });
    expect(byTimes).toEqual({
      ok: true,
      entry: {
        date: '2026-07-01',
        startsAt: new Date('2026-07-01T08:30:00Z'), // BST
        endsAt: new Date('2026-07-01T11:00:00Z'),
        minutes: 150,
      },
    });
    expect(check({ date: '2026-12-01', minutes: 90 })).toEqual({
      ok: true,
      entry: { date: '2026-12-01', startsAt: null, endsAt: null, minutes: 90 },
    });
  });

  it.each([
    ['negative minutes', { date: '2026-12-01', minutes: -1 }, 'minutes'],
    ['zero minutes', { date: '2026-12-01', minutes: 0 }, 'minutes'],
    ['more than 24 hours', { date: '2026-12-01', minutes: 1441 }, 'minutes'],
    ['fractional minutes', { date: '2026-12-01', minutes: 1.5 }, 'minutes'],
    ['a future day', { date: '2026-12-07', minutes: 30 }, 'date'],
    ['an end later today', { date: '2026-12-06', startTime: '19:00', endTime: '21:00' }, 'endTime'],
    ['an end before the start', { date: '2026-12-01', startTime: '10:00', endTime: '09:00' }, 'endTime'],
    ['only a start', { date: '2026-12-01', startTime: '10:00' }, 'endTime'],
    ['only an end', { date: '2026-12-01', endTime: '10:00' }, 'startTime'],
    ['nothing to measure', { date: '2026-12-01' }, 'minutes'],
    [
      'minutes that contradict the times',
      { date: '2026-12-01', startTime: '10:00', endTime: '11:00', minutes: 90 },
      'minutes',
    ],
    ['an impossible date', { date: '2026-02-30', minutes: 30 }, 'date'],
    ['a time the clocks skip', { date: '2026-03-29', startTime: '01:30', endTime: '03:00' }, 'startTime'],
  ] as Array<[string, LoggedEntryInput, string]>)('refuses %s, naming %s', (_what, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('refuses an overlap with another entry’s interval, and a day that would pass 24 hours', () => {
    const shift: ExistingEntry = {
      date: '2026-12-01',
      start: new Date('2026-12-01T10:00:00Z'),
      end: new Date('2026-12-01T13:00:00Z'),
      minutes: 180,
    };
    expect(fieldOf({ date: '2026-12-01', startTime: '12:59', endTime: '14:00' }, [shift])).toBe('startTime');
    expect(fieldOf({ date: '2026-12-01', startTime: '13:00', endTime: '14:00' }, [shift])).toBeNull(); // touching is fine
    expect(fieldOf({ date: '2026-12-01', minutes: 1440 - 180 }, [shift])).toBeNull();
    expect(fieldOf({ date: '2026-12-01', minutes: 1440 - 179 }, [shift])).toBe('minutes');
  });

  it('any generated valid entry passes, with the minutes it spans', () => {
    fc.assert(
      fc.property(pastDay, time, fc.integer({ min: 1, max: 600 }), (date, start, length) => {
        const startMin = start.h * 60 + start.m;
        const endMin = Math.min(startMin + length, 23 * 60 + 59);
        fc.pre(endMin > startMin);
        // Avoid the wall-clock times the clocks skip or repeat; those are the DST cases above.
        const s = DateTime.fromISO(`${date}T${hhmm(start)}`, { zone: ZONE });
        const e = DateTime.fromISO(`${date}T${hhmm({ h: Math.floor(endMin / 60), m: endMin % 60 })}`, { zone: ZONE });
        fc.pre(s.offset === e.offset);
        const result = check({ date, startTime: hhmm(start), endTime: e.toFormat('HH:mm') });
        return result.ok && result.entry.minutes === endMin - startMin;
      }),
    );
    fc.assert(
      fc.property(pastDay, fc.integer({ min: 1, max: 1440 }), (date, minutes) => {
        const result = check({ date, minutes });
        return result.ok && result.entry.minutes === minutes;
      }),
    );
  });

  it('any minutes outside 1–1440 fail naming minutes; any future day fails naming date', () => {
    fc.assert(
      fc.property(
        pastDay,
        fc.oneof(fc.integer({ min: -100_000, max: 0 }), fc.integer({ min: 1441, max: 100_000 })),
        (date, minutes) => fieldOf({ date, minutes }) === 'minutes',
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3650 }), fc.integer({ min: 1, max: 1440 }), (days, minutes) => {
        const date = DateTime.fromJSDate(NOW, { zone: ZONE }).plus({ days }).toISODate()!;
        return fieldOf({ date, minutes }) === 'date';
      }),
    );
  });

  it('any entry overlapping an existing interval fails naming startTime', () => {
    fc.assert(
      fc.property(
        pastDay,
        fc.integer({ min: 0, max: 22 * 60 }),
        fc.integer({ min: 1, max: 60 }),
        (date, startMin, length) => {
          const start = DateTime.fromISO(date, { zone: ZONE }).plus({ minutes: startMin });
          const existing: ExistingEntry = {
            date,
            start: start.toJSDate(),
            end: start.plus({ minutes: length }).toJSDate(),
            minutes: length,
          };
          // A new entry starting inside the existing one.
          const inside = start.plus({ minutes: Math.floor(length / 2) });
          fc.pre(inside.toISODate() === date && inside.hour < 23);
          return (
            fieldOf(
              { date, startTime: inside.toFormat('HH:mm'), endTime: inside.plus({ minutes: 30 }).toFormat('HH:mm') },
              [existing],
            ) === 'startTime'
          );
        },
      ),
    );
  });
});
