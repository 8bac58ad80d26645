import fc from 'fast-check';
import { parseUkPostcode, unknownPostcodeMessage } from './uk-postcode.js';

describe('parseUkPostcode', () => {
  it.each([
    ['M4', 'M4', 'M4', 'outward'],
    ['m4', 'M4', 'M4', 'outward'],
    ['SW1A', 'SW1A', 'SW1A', 'outward'],
    ['M4 5', 'M4', 'M4 5', 'sector'],
    ['  m4   5 ', 'M4', 'M4 5', 'sector'],
    ['M4 5A', 'M4', 'M4 5A', 'partial'],
    ['M4 5AB', 'M4', 'M4 5AB', 'full'],
    ['m45ab', 'M4', 'M4 5AB', 'full'],
    ['EC1A 1BB', 'EC1A', 'EC1A 1BB', 'full'],
    ['LS2 9JT', 'LS2', 'LS2 9JT', 'full'],
    ['gir 0aa', 'GIR', 'GIR 0AA', 'full'],
  ])('%s → outward %s, %s (%s)', (query, outward, normalized, kind) => {
    expect(parseUkPostcode(query)).toEqual({ outward, normalized, kind });
  });

  it.each(['Manchester', 'York', 'M', '45', 'Q1', 'M4 5CC', 'M4 5ABC', 'Portland, OR', '', 'M4 road'])(
    '%s is not postcode-shaped',
    (query) => {
      expect(parseUkPostcode(query)).toBeUndefined();
    },
  );

  it('never takes a query without a digit for a postcode', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }).filter((s) => !/\d/.test(s)),
        (query) => parseUkPostcode(query) === undefined,
      ),
    );
  });

  it('reads any spacing and case of a full postcode the same', () => {
    const area = fc.constantFrom('M', 'LS', 'SW', 'EH', 'B', 'CF');
    const district = fc.integer({ min: 1, max: 20 });
    const sector = fc.integer({ min: 0, max: 9 });
    const unit = fc.constantFrom('AB', 'XY', 'JT', 'NZ');
    fc.assert(
      fc.property(
        area,
        district,
        sector,
        unit,
        fc.constantFrom('', ' ', '  '),
        fc.boolean(),
        (a, d, s, u, gap, lower) => {
          const typed = `${a}${d}${gap}${s}${u}`;
          const shape = parseUkPostcode(lower ? typed.toLowerCase() : typed);
          return shape?.kind === 'full' && shape.normalized === `${a}${d} ${s}${u}` && shape.outward === `${a}${d}`;
        },
      ),
    );
  });
});

describe('unknownPostcodeMessage', () => {
  it('names the outward code and suggests a town', () => {
    expect(unknownPostcodeMessage('m4 5ab')).toBe(
      "We don't know the postcode area M4 — try your town or city instead (we only keep the area anyway)",
    );
  });

  it('says nothing for a place name', () => {
    expect(unknownPostcodeMessage('Xqzzyvv')).toBeUndefined();
  });
});
