import fc from 'fast-check';
import { canBookingMove, canOfferMove, OFFER_STATUSES, waveSize } from './offer-rules.js';

describe('offer rules', () => {
  it('only pending offers change state, and never back to pending', () => {
    for (const from of OFFER_STATUSES) {
      for (const to of OFFER_STATUSES) {
        expect(canOfferMove(from, to)).toBe(from === 'pending' && to !== 'pending');
      }
    }
  });

  it('cancelled bookings are final; attendance can be corrected', () => {
    expect(canBookingMove('cancelled', 'confirmed')).toBe(false);
    expect(canBookingMove('confirmed', 'attended')).toBe(true);
    expect(canBookingMove('attended', 'no_show')).toBe(true);
    expect(canBookingMove('attended', 'cancelled')).toBe(false);
  });

  it('a wave never sends to a full shift and tops pending offers up to fan-out × open slots', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (capacity, filledRaw, pending, fanout) => {
          const filled = Math.min(filledRaw, capacity);
          const size = waveSize({ capacity, filled, pending, fanout });
          const open = capacity - filled;
          const target = open === 0 ? 0 : Math.ceil(open * fanout);
          // Tops up to the target, sends nothing once enough are pending, and never sends when full.
          expect(size).toBe(Math.max(0, target - pending));
          if (open === 0) expect(size).toBe(0);
        },
      ),
    );
  });
});
