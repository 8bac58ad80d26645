import fc from 'fast-check';
import { coverDeadline, coverOfferExpiry, firstName, shortName } from './cover-rules.js';

describe('cover rules', () => {
  it('names volunteers briefly', () => {
    expect(shortName('Ada Lovelace')).toBe('Ada L.');
    expect(shortName('  Ben  van Kirk ')).toBe('Ben K.');
    expect(shortName('Cat')).toBe('Cat');
    expect(firstName('Ada Lovelace')).toBe('Ada');
  });

  it('puts the deadline the configured hours before the start', () => {
    const start = new Date('2026-12-10T17:00:00Z');
    expect(coverDeadline(start, 12).toISOString()).toBe('2026-12-10T05:00:00.000Z');
  });

  it('never lets a cover offer outlive its request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (a, b) => {
        const expiry = coverOfferExpiry(new Date(a), new Date(b));
        expect(expiry.getTime()).toBe(Math.min(a, b));
      }),
    );
  });
});
