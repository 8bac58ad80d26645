import fc from 'fast-check';
// CommonJS package: under ESM the default import is its module.exports object.
import geodesic from 'geographiclib-geodesic';
import { distanceKm, roundCoordinate, type LatLon } from './distance.js';

/** Reference: Karney's algorithm (geographiclib), accurate to nanometres, in metres. */
const reference = (a: LatLon, b: LatLon) => geodesic.Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon).s12!;
const metres = (a: LatLon, b: LatLon) => distanceKm(a, b) * 1000;

const lat = fc.double({ min: -90, max: 90, noNaN: true });
const lon = fc.double({ min: -180, max: 180, noNaN: true });
const point = fc.record({ lat, lon });
const clampLat = (x: number) => Math.max(-90, Math.min(90, x));

/** Asserts |ours − reference| ≤ tolerance (metres) and that ours is a finite number. */
function expectClose(a: LatLon, b: LatLon, toleranceM: number) {
  const ours = metres(a, b);
  expect(Number.isFinite(ours)).toBe(true);
  const err = Math.abs(ours - reference(a, b));
  if (err > toleranceM) throw new Error(`error ${err} m > ${toleranceM} m for ${JSON.stringify([a, b])}`);
}

describe('distanceKm against geographiclib (WGS84)', () => {
  it('random pairs anywhere: within 1 mm (absolute)', () => {
    fc.assert(
      fc.property(point, point, (a, b) => expectClose(a, b, 1e-3)),
      { numRuns: 5000 },
    );
  });

  it('across the antimeridian (lon near ±180): within 1 mm', () => {
    const east = fc.record({ lat, lon: fc.double({ min: 170, max: 180, noNaN: true }) });
    const west = fc.record({ lat, lon: fc.double({ min: -180, max: -170, noNaN: true }) });
    fc.assert(
      fc.property(east, west, (a, b) => expectClose(a, b, 1e-3)),
      { numRuns: 2000 },
    );
  });

  it('near the poles (|lat| > 85), same and opposite hemispheres, incl. the poles themselves: within 1 mm', () => {
    const polar = fc.record({
      lat: fc
        .oneof(fc.double({ min: 85, max: 90, noNaN: true }), fc.constantFrom(90, -90))
        .chain((l) => fc.constantFrom(l, -l)),
      lon,
    });
    fc.assert(
      fc.property(polar, polar, (a, b) => expectClose(a, b, 1e-3)),
      { numRuns: 3000 },
    );
  });

  it('short distances (< 1 km, down to millimetres): within 1 µm', () => {
    const nearby = point.chain((a) =>
      fc.tuple(
        fc.constant(a),
        fc.record({
          lat: fc.double({ min: -0.005, max: 0.005, noNaN: true }).map((d) => clampLat(a.lat + d)),
          lon: fc.double({ min: -0.005, max: 0.005, noNaN: true }).map((d) => a.lon + d),
        }),
      ),
    );
    fc.assert(
      fc.property(nearby, ([a, b]) => {
        fc.pre(reference(a, b) < 1000);
        expectClose(a, b, 1e-6);
      }),
      { numRuns: 3000 },
    );
  });

  it('nearly antipodal points, where plain Vincenty iteration fails: within 1 mm, never NaN', () => {
    const nearAntipodal = point.chain((a) =>
      fc.tuple(
        fc.constant(a),
        fc.record({
          // Latitudes opposite to within 1°… down to exactly opposite (the degenerate case).
          lat: fc
            .oneof(
              fc.double({ min: -1, max: 1, noNaN: true }),
              fc.double({ min: -1e-9, max: 1e-9, noNaN: true }),
              fc.constant(0),
            )
            .map((d) => clampLat(-a.lat + d)),
          lon: fc.double({ min: -1, max: 1, noNaN: true }).map((d) => a.lon + 180 + d),
        }),
      ),
    );
    fc.assert(
      fc.property(nearAntipodal, ([a, b]) => expectClose(a, b, 1e-3)),
      { numRuns: 5000 },
    );
  });

  it('equatorial points near the antipode (geodesic leaves the equator): within 1 mm', () => {
    fc.assert(
      fc.property(fc.double({ min: 170, max: 180, noNaN: true }), (dLon) =>
        expectClose({ lat: 0, lon: 0 }, { lat: 0, lon: dLon }, 1e-3),
      ),
      { numRuns: 1000 },
    );
  });
});

describe('distanceKm (hand-checked values and invariants)', () => {
  it('1° of longitude on the equator is a·π/180 = 111.3195 km', () => {
    expect(distanceKm({ lat: 0, lon: 10 }, { lat: 0, lon: 11 })).toBeCloseTo((6378.137 * Math.PI) / 180, 9);
  });

  it('pole to pole (and exact antipodes) is half a meridian, 20003.931 km', () => {
    expect(distanceKm({ lat: 90, lon: 0 }, { lat: -90, lon: 0 })).toBeCloseTo(20003.931458, 5);
    expect(distanceKm({ lat: 37, lon: -122 }, { lat: -37, lon: 58 })).toBeCloseTo(20003.931458, 5);
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(20003.931458, 5);
  });

  it('the same point is 0, including both poles under any longitude and ±180', () => {
    expect(distanceKm({ lat: 51.5, lon: -0.12 }, { lat: 51.5, lon: -0.12 })).toBe(0);
    expect(distanceKm({ lat: 90, lon: 0 }, { lat: 90, lon: 123 })).toBe(0);
    expect(distanceKm({ lat: 0, lon: 180 }, { lat: 0, lon: -180 })).toBe(0);
  });

  it('is symmetric and ignores whole turns of longitude', () => {
    fc.assert(
      fc.property(point, point, fc.integer({ min: -3, max: 3 }), (a, b, turns) => {
        expect(distanceKm(a, b)).toBeCloseTo(distanceKm(b, a), 9);
        expect(distanceKm(a, { lat: b.lat, lon: b.lon + 360 * turns })).toBeCloseTo(distanceKm(a, b), 9);
      }),
    );
  });

  it('rejects latitudes outside [-90, 90] and non-finite coordinates', () => {
    expect(() => distanceKm({ lat: 90.1, lon: 0 }, { lat: 0, lon: 0 })).toThrow(RangeError);
    expect(() => distanceKm({ lat: 0, lon: 0 }, { lat: Number.NaN, lon: 0 })).toThrow(RangeError);
    expect(() => distanceKm({ lat: 0, lon: Infinity }, { lat: 0, lon: 0 })).toThrow(RangeError);
  });
});

describe('roundCoordinate', () => {
  it('rounds to 2 decimals by default (≈1 km), halves away from zero', () => {
    expect(roundCoordinate(51.50735)).toBe(51.51);
    expect(roundCoordinate(-0.12776)).toBe(-0.13);
    expect(roundCoordinate(-0.125, 2)).toBe(-0.13);
    expect(roundCoordinate(0.125, 2)).toBe(0.13);
    expect(roundCoordinate(12.3456, 3)).toBe(12.346);
    expect(roundCoordinate(12.5, 0)).toBe(13);
  });

  it('never returns -0', () => {
    expect(Object.is(roundCoordinate(-0.001), 0)).toBe(true);
  });

  it('rejects non-finite values and bad decimals', () => {
    expect(() => roundCoordinate(Number.NaN)).toThrow(RangeError);
    expect(() => roundCoordinate(1, -1)).toThrow(RangeError);
    expect(() => roundCoordinate(1, 1.5)).toThrow(RangeError);
  });

  it('moves a value by at most half a unit, is idempotent and symmetric (property)', () => {
    const coordinate = fc.double({ min: -180, max: 180, noNaN: true });
    fc.assert(
      fc.property(coordinate, fc.integer({ min: 0, max: 6 }), (v, d) => {
        const r = roundCoordinate(v, d);
        expect(Math.abs(r - v)).toBeLessThanOrEqual(0.5 * 10 ** -d + 1e-9);
        expect(roundCoordinate(r, d)).toBe(r);
        expect(roundCoordinate(-v, d)).toBe(r === 0 ? 0 : -r);
        expect(Math.abs(r * 10 ** d - Math.round(r * 10 ** d))).toBeLessThan(1e-6);
      }),
      { numRuns: 2000 },
    );
  });
});
