import fc from 'fast-check';
import { whyNoMatchList } from './match-list-state.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const at = (hours: number) => new Date(NOW + hours * 3_600_000);
const shift = (over: Partial<Parameters<typeof whyNoMatchList>[0]> = {}) => ({
  status: 'open',
  filled: 1,
  capacity: 4,
  startsAt: at(24),
  endsAt: at(27),
  ...over,
});

describe('whyNoMatchList', () => {
  it('lists matches for an open shift with a free place, and for a draft (a preview before publishing)', () => {
    expect(whyNoMatchList(shift(), NOW)).toBeNull();
    expect(whyNoMatchList(shift({ status: 'draft', filled: 0 }), NOW)).toBeNull();
  });

  it('says why not for a full, cancelled, started or ended shift', () => {
    expect(whyNoMatchList(shift({ status: 'full', filled: 4 }), NOW)).toEqual({
      code: 'full',
      message: 'This shift is full — 4 of 4 booked.',
    });
    expect(whyNoMatchList(shift({ status: 'cancelled' }), NOW)).toEqual({
      code: 'cancelled',
      message: 'This shift was cancelled.',
    });
    expect(whyNoMatchList(shift({ status: 'completed' }), NOW)).toEqual({
      code: 'completed',
      message: 'This shift is over.',
    });
    expect(whyNoMatchList(shift({ startsAt: at(-5), endsAt: at(-2) }), NOW)).toEqual({
      code: 'completed',
      message: 'This shift is over.',
    });
    expect(whyNoMatchList(shift({ startsAt: at(-1), endsAt: at(2) }), NOW)?.code).toBe('started');
  });

  it('a cancelled shift reads as cancelled even when it was full or is in the past', () => {
    expect(whyNoMatchList(shift({ status: 'cancelled', filled: 4, startsAt: at(-5), endsAt: at(-2) }), NOW)?.code).toBe(
      'cancelled',
    );
  });

  it('matches are listed exactly when the shift could still take a booking (or is a draft to come)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('draft', 'open', 'full', 'cancelled', 'completed'),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: 1, max: 24 }),
        (status, capacity, rawFilled, startH, lengthH) => {
          const filled = Math.min(rawFilled, capacity);
          const s = { status, capacity, filled, startsAt: at(startH), endsAt: at(startH + lengthH) };
          const bookable = (status === 'open' || status === 'draft') && filled < capacity && startH > 0;
          const reason = whyNoMatchList(s, NOW);
          expect(reason === null).toBe(bookable);
          if (reason?.code === 'full') expect(reason.message).toContain(`${filled} of ${capacity} booked`);
        },
      ),
    );
  });
});
