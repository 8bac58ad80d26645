import type { RawCity } from './cities-pbf.js';
import { normalizePlaceName, umlautVariant } from './place-names.js';
import { EXONYMS } from './regions.js';

/** Historical, abandoned or destroyed places are not somewhere anyone lives. */
const SKIPPED_FEATURE_CODES = new Set(['PPLH', 'PPLQ', 'PPLW']);

/** The places kept from the dataset as columns (one row each), and every index key with the row it names. */
export interface PlaceColumns {
  names: string[];
  countries: string[];
  otherCountries: string[];
  admins: string[];
  ids: number[];
  populations: number[];
  lats: number[];
  lons: number[];
  entryKeys: string[];
  entryRows: number[];
}

/** One pass over the dataset: a row per place, a key for its name, its umlaut spelling and its exonyms. */
export function collectPlaces(raw: Iterable<RawCity>): PlaceColumns {
  const intern = new Map<string, string>();
  const share = (s: string): string => {
    const seen = intern.get(s);
    if (seen !== undefined) return seen;
    intern.set(s, s);
    return s;
  };
  const names: string[] = [];
  const countries: string[] = [];
  const otherCountries: string[] = [];
  const admins: string[] = [];
  const ids: number[] = [];
  const populations: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const entryKeys: string[] = [];
  const entryRows: number[] = [];
  // Exonyms point at the most populous place of that name in that country.
  const exonymTargets = new Set(EXONYMS.map(([, name]) => name));
  const best = new Map<string, number>();

  for (const city of raw) {
    if (SKIPPED_FEATURE_CODES.has(city.featureCode)) continue;
    const key = normalizePlaceName(city.name);
    if (!key) continue;
    const row = names.length;
    names.push(city.name);
    countries.push(share(city.country));
    otherCountries.push(share(city.altName));
    admins.push(share(city.adminCode));
    ids.push(city.cityId);
    populations.push(city.population);
    lons.push(city.lon);
    lats.push(city.lat);
    entryKeys.push(key);
    entryRows.push(row);
    const variant = umlautVariant(city.name);
    if (variant && variant !== key) {
      entryKeys.push(variant);
      entryRows.push(row);
    }
    if (exonymTargets.has(city.name)) {
      const id = `${city.name}|${city.country}`;
      const other = best.get(id);
      if (other === undefined || city.population > populations[other]) best.set(id, row);
    }
  }
  for (const [alias, name, country] of EXONYMS) {
    const row = best.get(`${name}|${country}`);
    if (row === undefined) continue;
    entryKeys.push(normalizePlaceName(alias));
    entryRows.push(row);
  }
  return { names, countries, otherCountries, admins, ids, populations, lats, lons, entryKeys, entryRows };
}
