import fc from 'fast-check';
import { everyRoleFull, firstBelowBookings, roleTotals } from './shift-roles.js';

const role = fc
  .integer({ min: 1, max: 500 })
  .chain((capacity) => fc.record({ capacity: fc.constant(capacity), filled: fc.integer({ min: 0, max: capacity }) }));

describe('shift roles', () => {
  it('the shift is full exactly when its total filled reaches its total capacity', () => {
    fc.assert(
      fc.property(fc.array(role, { minLength: 1, maxLength: 20 }), (roles) => {
        const totals = roleTotals(roles);
        expect(everyRoleFull(roles)).toBe(totals.filled === totals.capacity);
      }),
    );
  });

  it('one role full while another has seats leaves the shift open', () => {
    expect(
      everyRoleFull([
        { capacity: 1, filled: 1 },
        { capacity: 4, filled: 3 },
      ]),
    ).toBe(false);
    expect(
      roleTotals([
        { capacity: 1, filled: 1 },
        { capacity: 4, filled: 3 },
      ]),
    ).toEqual({ capacity: 5, filled: 4 });
  });

  it('names the first role whose capacity would go below its bookings', () => {
    const roles = [
      { name: 'lead', capacity: 1, filled: 1, nextCapacity: 1 },
      { name: 'servers', capacity: 4, filled: 3, nextCapacity: 2 },
    ];
    expect(firstBelowBookings(roles)?.name).toBe('servers');
    expect(firstBelowBookings([{ capacity: 4, filled: 3, nextCapacity: 3 }])).toBeUndefined();
  });
});
