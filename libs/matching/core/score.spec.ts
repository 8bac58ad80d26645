import fc from 'fast-check';
import { explainMatch, SCORE_WEIGHTS, scoreMatch, type ScoreInput } from './score.js';

const inputArb: fc.Arbitrary<ScoreInput> = fc
  .record({
    travelKm: fc.double({ min: 0, max: 100, noNaN: true }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    niceSkillsTotal: fc.integer({ min: 0, max: 8 }),
    matchedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    attended: fc.integer({ min: 0, max: 500 }),
    noShows: fc.integer({ min: 0, max: 100 }),
    lateCancellations: fc.integer({ min: 0, max: 100 }),
    offersLast14Days: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ share, matchedShare, ...rest }) => ({
    ...rest,
    distanceKm: share * rest.travelKm, // matches are within their travel radius
    niceSkillsMatched: Math.floor(matchedShare * rest.niceSkillsTotal),
  }));

const newcomer: ScoreInput = {
  distanceKm: 2,
  travelKm: 10,
  niceSkillsMatched: 1,
  niceSkillsTotal: 2,
  attended: 0,
  noShows: 0,
  lateCancellations: 0,
  offersLast14Days: 0,
};

describe('SCORE_WEIGHTS', () => {
  it('are positive and sum to 1', () => {
    const values = Object.values(SCORE_WEIGHTS);
    expect(values).toHaveLength(4);
    for (const v of values) expect(v).toBeGreaterThan(0);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('scoreMatch (hand-checked)', () => {
  it('a newcomer: reliability is the prior 0.8, not 0', () => {
    const s = scoreMatch(newcomer);
    // distance: mean of 1/(1 + 2/5) and 1 − 2/10; skills ½; reliability 4/5; freshness 1.
    expect(s.distance).toBeCloseTo(SCORE_WEIGHTS.distance * ((1 / 1.4 + 0.8) / 2), 12);
    expect(s.niceSkills).toBeCloseTo(SCORE_WEIGHTS.niceSkills * 0.5, 12);
    expect(s.reliability).toBeCloseTo(SCORE_WEIGHTS.reliability * 0.8, 12);
    expect(s.freshness).toBeCloseTo(SCORE_WEIGHTS.freshness, 12);
    expect(s.total).toBeCloseTo(s.distance + s.niceSkills + s.reliability + s.freshness, 12);
  });

  it('a newcomer ranks above someone who missed their only shift, below a proven regular', () => {
    const missedOnly = scoreMatch({ ...newcomer, noShows: 1 });
    const regular = scoreMatch({ ...newcomer, attended: 20 });
    expect(scoreMatch(newcomer).total).toBeGreaterThan(missedOnly.total);
    expect(scoreMatch(newcomer).total).toBeLessThan(regular.total);
  });

  it('freshness halves after 3 offers in 14 days', () => {
    expect(scoreMatch({ ...newcomer, offersLast14Days: 3 }).freshness).toBeCloseTo(SCORE_WEIGHTS.freshness / 2, 12);
  });

  it('the perfect candidate scores 1; a shift without nice-to-haves gives everyone full skill marks', () => {
    const perfect = scoreMatch({ ...newcomer, distanceKm: 0, niceSkillsMatched: 2, attended: 1e9 });
    expect(perfect.total).toBeCloseTo(1, 6);
    expect(perfect.total).toBeLessThanOrEqual(1);
    expect(scoreMatch({ ...newcomer, niceSkillsMatched: 0, niceSkillsTotal: 0 }).niceSkills).toBe(
      SCORE_WEIGHTS.niceSkills,
    );
  });

  it('a zero travel radius: full distance marks only at 0 km', () => {
    expect(scoreMatch({ ...newcomer, distanceKm: 0, travelKm: 0 }).distance).toBe(SCORE_WEIGHTS.distance);
  });

  it('a far volunteer with a huge radius does not outrank a neighbour with a small one', () => {
    const neighbour = scoreMatch({ ...newcomer, distanceKm: 1, travelKm: 2 });
    const farAway = scoreMatch({ ...newcomer, distanceKm: 40, travelKm: 100 });
    expect(neighbour.distance).toBeGreaterThan(farAway.distance);
  });

  it.each([
    'distanceKm',
    'travelKm',
    'attended',
    'noShows',
    'lateCancellations',
    'offersLast14Days',
    'niceSkillsMatched',
    'niceSkillsTotal',
  ] as const)('rejects a negative or NaN %s', (key) => {
    expect(() => scoreMatch({ ...newcomer, [key]: -1 })).toThrow(RangeError);
    expect(() => scoreMatch({ ...newcomer, [key]: Number.NaN })).toThrow(RangeError);
  });
});

describe('scoreMatch properties', () => {
  const total = (i: ScoreInput) => scoreMatch(i).total;

  it('total is in [0, 1], equals the sum of the parts, each part within [0, its weight]', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const s = scoreMatch(i);
        expect(s.total).toBeGreaterThanOrEqual(0);
        expect(s.total).toBeLessThanOrEqual(1);
        expect(s.total).toBeCloseTo(s.distance + s.niceSkills + s.reliability + s.freshness, 12);
        for (const key of ['distance', 'niceSkills', 'reliability', 'freshness'] as const) {
          expect(s[key]).toBeGreaterThanOrEqual(0);
          expect(s[key]).toBeLessThanOrEqual(SCORE_WEIGHTS[key]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('closer never scores lower, all else equal', () => {
    fc.assert(
      fc.property(inputArb, fc.double({ min: 0, max: 1, noNaN: true }), (i, f) => {
        expect(total({ ...i, distanceKm: i.distanceKm * f })).toBeGreaterThanOrEqual(total(i));
      }),
      { numRuns: 1000 },
    );
  });

  it('strictly closer scores strictly higher (distance is not ignored)', () => {
    fc.assert(
      fc.property(inputArb, fc.double({ min: 0.01, max: 100, noNaN: true }), (i, d) => {
        const far = { ...i, distanceKm: d, travelKm: Math.max(i.travelKm, d) };
        expect(total({ ...far, distanceKm: d / 2 })).toBeGreaterThan(total(far));
      }),
    );
  });

  it('more nice-to-have skills never score lower; one more matched skill scores higher', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        fc.pre(i.niceSkillsMatched < i.niceSkillsTotal);
        expect(total({ ...i, niceSkillsMatched: i.niceSkillsMatched + 1 })).toBeGreaterThan(total(i));
      }),
      { numRuns: 1000 },
    );
  });

  it('more recent offers never score higher (and strictly lower)', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 20 }), (i, more) => {
        expect(total({ ...i, offersLast14Days: i.offersLast14Days + more })).toBeLessThan(total(i));
      }),
      { numRuns: 1000 },
    );
  });

  it('more no-shows never score higher (and strictly lower); more attended never lower', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 20 }), (i, more) => {
        expect(total({ ...i, noShows: i.noShows + more })).toBeLessThan(total(i));
        expect(total({ ...i, attended: i.attended + more })).toBeGreaterThanOrEqual(total(i));
      }),
      { numRuns: 1000 },
    );
  });

  it('late cancellations lower reliability, but never as much as the same number of no-shows', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 20 }), (i, more) => {
        const late = scoreMatch({ ...i, lateCancellations: i.lateCancellations + more }).reliability;
        expect(late).toBeLessThan(scoreMatch(i).reliability);
        expect(late).toBeGreaterThan(scoreMatch({ ...i, noShows: i.noShows + more }).reliability);
      }),
      { numRuns: 1000 },
    );
  });

  it('a larger travel radius never scores lower at the same distance', () => {
    fc.assert(
      fc.property(inputArb, fc.double({ min: 0, max: 50, noNaN: true }), (i, extra) => {
        expect(total({ ...i, travelKm: i.travelKm + extra })).toBeGreaterThanOrEqual(total(i));
      }),
    );
  });

  it('ignores any field it does not know (wellbeing can never leak into ranking)', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 25 }), (i, who5) => {
        const withExtra = { ...i, who5Score: who5, moodLastCheckIn: 'low' } as ScoreInput;
        expect(scoreMatch(withExtra)).toEqual(scoreMatch(i));
      }),
    );
  });
});

describe('explainMatch', () => {
  it('distance · skills · window', () => {
    expect(
      explainMatch({
        distanceKm: 2.14,
        requiredSkills: ['cooking'],
        niceSkillsMatched: [],
        window: { weekday: 2, start: '17:00', end: '21:00' },
      }),
    ).toBe('2.1 km away · has cooking · fits your Tuesday 17:00–21:00');
  });

  it('under 1 km; slugs shown with spaces; required first, duplicates once', () => {
    expect(
      explainMatch({
        distanceKm: 0.4,
        requiredSkills: ['food-safety-certificate'],
        niceSkillsMatched: ['first-aid', 'food-safety-certificate'],
      }),
    ).toBe('under 1 km away · has food safety certificate, first aid');
  });

  it('whole kilometres from 10 km; more than three skills are summarised', () => {
    expect(
      explainMatch({
        distanceKm: 12.6,
        requiredSkills: ['cooking', 'cleaning'],
        niceSkillsMatched: ['admin', 'languages', 'first-aid'],
      }),
    ).toBe('13 km away · has cooking, cleaning, admin +2 more');
  });

  it('only the distance when there is nothing else to say', () => {
    expect(explainMatch({ distanceKm: 1, requiredSkills: [], niceSkillsMatched: [] })).toBe('1.0 km away');
  });

  it('rejects a negative distance', () => {
    expect(() => explainMatch({ distanceKm: -1, requiredSkills: [], niceSkillsMatched: [] })).toThrow(RangeError);
  });
});
