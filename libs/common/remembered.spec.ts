import fc from 'fast-check';
import { remembered } from './remembered.js';

describe('remembered', () => {
  it('answers exactly as the function does, calling it once per key until full', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (calls, max) => {
          let computed = 0;
          const square = remembered(
            (x: number) => ((computed += 1), x * x),
            (x) => String(x),
            max,
          );
          for (const x of calls) expect(square(x)).toBe(x * x);
          const distinct = new Set(calls).size;
          if (distinct <= max) expect(computed).toBe(distinct);
          expect(computed).toBeLessThanOrEqual(calls.length);
        },
      ),
    );
  });

  it('remembers undefined answers too', () => {
    let computed = 0;
    const nothing = remembered(
      (_x: string) => void (computed += 1),
      (x) => x,
      10,
    );
    nothing('a');
    nothing('a');
    expect(computed).toBe(1);
  });
});
