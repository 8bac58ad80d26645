import fc from 'fast-check';
import { arrivalInterval, credit, formatHours, MAX_ENTRY_MINUTES } from './credit.js';

const at = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00Z`);
const shift = {
  kind: 'shift' as const,
  status: 'credited' as const,
  scheduledStart: at('10:00'),
  scheduledEnd: at('13:00'),
};

describe('credited minutes', () => {
  it('a shift without an arrival credits its scheduled time', () => {
    expect(credit(shift)).toEqual({ minutes: 180, source: 'scheduled', counts: true });
  });

  it('an arrival credits the door times, clipped to the shift', () => {
    expect(credit({ ...shift, arrivedAt: at('10:15'), leftAt: at('12:30') })).toEqual({
      minutes: 135,
      source: 'arrival',
      counts: true,
    });
    // Early arrival and a late departure do not add time the organisation did not schedule.
    expect(credit({ ...shift, arrivedAt: at('09:00'), leftAt: at('15:00') }).minutes).toBe(180);
    // No departure recorded: until the scheduled end.
    expect(credit({ ...shift, arrivedAt: at('11:00'), leftAt: null }).minutes).toBe(120);
    // Arriving after the end credits nothing, never a negative figure.
    expect(credit({ ...shift, arrivedAt: at('14:00'), leftAt: at('14:30') }).minutes).toBe(0);
  });

  it("a coordinator's adjustment wins over arrival and schedule, zero included", () => {
    expect(credit({ ...shift, arrivedAt: at('10:15'), adjustedMinutes: 200 })).toEqual({
      minutes: 200,
      source: 'adjusted',
      counts: true,
    });
    expect(credit({ ...shift, adjustedMinutes: 0 }).minutes).toBe(0);
  });

  it('a voided shift entry counts zero, even when adjusted', () => {
    expect(credit({ ...shift, status: 'voided', adjustedMinutes: 90 })).toEqual({
      minutes: 0,
      source: 'scheduled',
      counts: false,
    });
  });

  it.each([
    ['pending', 0, false],
    ['declined', 0, false],
    ['approved', 75, true],
  ] as const)('a logged entry that is %s credits %i', (status, minutes, counts) => {
    expect(credit({ kind: 'logged', status, loggedMinutes: 75 })).toEqual({ minutes, source: 'logged', counts });
  });

  it('arrival credit is never negative, never above the schedule, and never above 24 hours', () => {
    const minute = 60_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.integer({ min: 1, max: 3 * 24 * 60 }),
        fc.integer({ min: -600, max: 4 * 24 * 60 }),
        fc.option(fc.integer({ min: 0, max: 4 * 24 * 60 }), { nil: null }),
        (startMin, length, arriveOffset, stay) => {
          const start = new Date(Date.UTC(2026, 10, 1) + startMin * minute);
          const end = new Date(start.getTime() + length * minute);
          const arrived = new Date(start.getTime() + arriveOffset * minute);
          const left = stay === null ? null : new Date(arrived.getTime() + stay * minute);
          const c = credit({ ...shift, scheduledStart: start, scheduledEnd: end, arrivedAt: arrived, leftAt: left });
          const door = arrivalInterval(start, end, arrived, left);
          return (
            c.minutes >= 0 &&
            c.minutes <= Math.min(length, MAX_ENTRY_MINUTES) &&
            door.start >= start &&
            door.end <= end &&
            door.end >= door.start
          );
        },
      ),
    );
  });

  it('formats hours with at most two decimals', () => {
    expect([0, 20, 90, 180, 75, 1].map(formatHours)).toEqual(['0', '0.33', '1.5', '3', '1.25', '0.02']);
  });
});
