import { EXCLUSION_RULES } from '../../matching/index.js';
import { DOES_NOT_FIT } from './self-booking.js';

describe('DOES_NOT_FIT', () => {
  it('has plain words for every hard rule of matching and for reach', () => {
    for (const rule of [...EXCLUSION_RULES, 'too_far' as const]) expect(DOES_NOT_FIT[rule]).toMatch(/^[A-Z].+\.$/);
    expect(Object.keys(DOES_NOT_FIT).sort()).toEqual([...EXCLUSION_RULES, 'too_far'].sort());
  });
});
