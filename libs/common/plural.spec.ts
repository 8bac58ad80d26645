import fc from 'fast-check';
import { plural } from './plural.js';

describe('plural', () => {
  it('picks the English one/other form and puts the number where # stands', () => {
    expect(plural(1, { one: '# volunteer lives', other: '# volunteers live' })).toBe('1 volunteer lives');
    expect(plural(0, { one: '# volunteer lives', other: '# volunteers live' })).toBe('0 volunteers live');
    expect(plural(2, { one: '# place', other: '# places' })).toBe('2 places');
    expect(plural(1, { one: 'has', other: 'have' })).toBe('has');
  });

  it('formats large numbers for reading', () => {
    expect(plural(1500, { one: '# offer', other: '# offers' })).toBe('1,500 offers');
  });

  it('uses the singular exactly for 1, for any count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => {
        const text = plural(n, { one: '# shift', other: '# shifts' });
        expect(text.endsWith(n === 1 ? 'shift' : 'shifts')).toBe(true);
        expect(text.replace(/,/g, '').startsWith(String(n))).toBe(true);
      }),
    );
  });
});
