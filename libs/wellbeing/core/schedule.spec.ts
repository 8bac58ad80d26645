import fc from 'fast-check';
import { DateTime } from 'luxon';
import { checkInDueAt, nextCheckInKind, withinWeeklyCheckIns } from './schedule.js';
import { isInQuietHours } from '../../common/quiet-hours.js';

const ZONES = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
const QUIET = { start: '21:00', end: '08:00' };

describe('check-in schedule', () => {
  it('a shift ending at 20:00 in London with a 3 h delay is checked in on at 08:00 the next morning', () => {
    const end = DateTime.fromISO('2026-12-01T20:00', { zone: 'Europe/London' }).toJSDate();
    const due = checkInDueAt(end, 3, new Date('2026-11-30T00:00:00Z'), 'Europe/London', QUIET);
    expect(DateTime.fromJSDate(due, { zone: 'Europe/London' }).toISO()).toBe('2026-12-02T08:00:00.000+00:00');
  });

  it('the same wall-clock rule holds in Sydney across its DST change (local 08:00, not a fixed offset)', () => {
    const end = DateTime.fromISO('2026-10-03T20:00', { zone: 'Australia/Sydney' }).toJSDate(); // DST starts 4 Oct
    const due = checkInDueAt(end, 3, new Date('2026-10-01T00:00:00Z'), 'Australia/Sydney', QUIET);
    expect(DateTime.fromJSDate(due, { zone: 'Australia/Sydney' }).toFormat('yyyy-MM-dd HH:mm')).toBe(
      '2026-10-04 08:00',
    );
  });

  it('is never in quiet hours, never before now, never before the delay has passed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: -48, max: 48 }),
        (zone, end, delay, nowOffsetHours) => {
          const now = new Date(end.getTime() + nowOffsetHours * 3600_000);
          const due = checkInDueAt(end, delay, now, zone, QUIET);
          expect(isInQuietHours(due, zone, QUIET)).toBe(false);
          expect(due.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(due.getTime()).toBeGreaterThanOrEqual(end.getTime() + delay * 3600_000);
        },
      ),
    );
  });

  it('the WHO-5 comes at most every interval', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(nextCheckInKind(null, now, 14)).toBe('who5');
    expect(nextCheckInKind(new Date('2026-11-20T10:00:00Z'), now, 14)).toBe('mood');
    expect(nextCheckInKind(new Date('2026-11-17T10:00:00Z'), now, 14)).toBe('who5');
  });

  it('counts check-ins per the volunteer’s own week', () => {
    const monday = DateTime.fromISO('2026-11-30T00:30', { zone: 'Asia/Kolkata' }).toJSDate(); // Monday, just after local midnight
    const sunday = DateTime.fromISO('2026-11-29T23:30', { zone: 'Asia/Kolkata' }).toJSDate();
    expect(withinWeeklyCheckIns([sunday, sunday], monday, 'Asia/Kolkata', 2)).toBe(true);
    expect(withinWeeklyCheckIns([monday, monday], monday, 'Asia/Kolkata', 2)).toBe(false);
    // In London the same two instants are both Sunday (UTC+0), so they share a week.
    expect(withinWeeklyCheckIns([sunday, sunday], monday, 'Europe/London', 2)).toBe(false);
  });
});
