import fc from 'fast-check';
import { moodConcern, scoreWho5, WHO5_ITEMS } from './who5.js';

describe('WHO-5 scoring', () => {
  // Hand-checked cases: [items, raw, percentage, concern]
  const table: Array<[number[], number, number, string]> = [
    [[5, 5, 5, 5, 5], 25, 100, 'none'],
    [[3, 3, 3, 3, 3], 15, 60, 'none'],
    [[3, 3, 3, 2, 2], 13, 52, 'none'],
    [[3, 3, 2, 2, 2], 12, 48, 'low'], // raw below 13
    [[5, 5, 5, 5, 1], 21, 84, 'low'], // an item at 1
    [[5, 5, 5, 5, 0], 20, 80, 'low'], // an item at 0
    [[2, 2, 1, 1, 1], 7, 28, 'very_low'], // 28 % or less
    [[2, 2, 2, 1, 1], 8, 32, 'low'],
    [[0, 0, 0, 0, 0], 0, 0, 'very_low'],
  ];
  it.each(table)('%j → raw %i, %i %%, %s', (items, raw, percentage, concern) => {
    expect(scoreWho5(items)).toEqual({ raw, percentage, concern });
  });

  it('has the five published items', () => {
    expect(WHO5_ITEMS).toHaveLength(5);
    expect(WHO5_ITEMS[0]).toBe('I have felt cheerful and in good spirits');
  });

  it('rejects anything that is not five answers from 0 to 5', () => {
    for (const bad of [
      [1, 2, 3, 4],
      [1, 2, 3, 4, 6],
      [1, 2, 3, 4, -1],
      [1, 2, 3, 4, 2.5],
    ])
      expect(() => scoreWho5(bad)).toThrow(RangeError);
  });

  it('percentage is always 4 × raw, and raising an answer never raises the concern', () => {
    const rank = { none: 0, low: 1, very_low: 2 } as const;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        (items, index) => {
          const result = scoreWho5(items);
          expect(result.percentage).toBe(result.raw * 4);
          if (items[index] < 5) {
            const better = items.map((item, i) => (i === index ? item + 1 : item));
            expect(rank[scoreWho5(better).concern]).toBeLessThanOrEqual(rank[result.concern]);
          }
        },
      ),
    );
  });

  it('low moods are 1 and 2', () => {
    expect([1, 2, 3, 4, 5].map(moodConcern)).toEqual(['low', 'low', 'none', 'none', 'none']);
    expect(() => moodConcern(0)).toThrow(RangeError);
  });
});
