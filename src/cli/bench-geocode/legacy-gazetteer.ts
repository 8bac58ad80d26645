// The gazetteer as it was before its index was rebuilt (commit 807929f), kept only as the
// benchmark's in-run baseline: `npm run bench:geocode` times it against libs/volunteers/geocoder.ts
// on the same queries and checks both give the same answers. Not used by the app.
//
// Lines 44–440 of that file, unchanged but for `export` on the class and this header; the types
// and the data file decoder come from the current module (they did not change).

import { decodeCitiesPbf, type GeocodedArea, type RawCity } from '../../../libs/volunteers/geocoder.js';
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

/**
 * Case-, accent- and punctuation-insensitive key for a place name:
 * "München" → "munchen", "St. John's" → "st johns", "Saint-Étienne" → "st etienne".
 */
export function normalizePlaceName(input: string): string {
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

/** Historical, abandoned or destroyed places are not somewhere anyone lives. */
const SKIPPED_FEATURE_CODES = new Set(['PPLH', 'PPLQ', 'PPLW']);

interface Candidate {
  row: number;
  exact: boolean;
}

export class LegacyGazetteer {
  /** Sorted normalized keys, several per place (name, umlaut spelling, exonyms). */
  private readonly keys: string[];
  private readonly keyRows: Int32Array;

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
    entries: Array<[string, number]>,
    private readonly hints: Map<string, HintMeaning[]>,
    private readonly regionLabels: Map<string, string>,
    private readonly countryLabels: Map<string, string>,
  ) {
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    this.keys = entries.map((e) => e[0]);
    this.keyRows = Int32Array.from(entries, (e) => e[1]);
  }

  static fromRaw(raw: Iterable<RawCity>): LegacyGazetteer {
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
    const entries: Array<[string, number]> = [];

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
      entries.push([key, row]);
      const variant = umlautVariant(city.name);
      if (variant && variant !== key) entries.push([variant, row]);
    }

    // Exonyms point at the most populous place of that name in that country.
    const best = new Map<string, number>();
    for (let row = 0; row < names.length; row++) {
      const id = `${names[row]}|${countries[row]}`;
      const other = best.get(id);
      if (other === undefined || populations[row] > populations[other]) best.set(id, row);
    }
    for (const [alias, name, country] of EXONYMS) {
      const row = best.get(`${name}|${country}`);
      if (row !== undefined) entries.push([normalizePlaceName(alias), row]);
    }

    const presentCountries = [...new Set(countries)].sort();
    return new LegacyGazetteer(
      names,
      countries,
      otherCountries,
      admins,
      Uint32Array.from(ids),
      Uint32Array.from(populations),
      Float64Array.from(lats),
      Float64Array.from(lons),
      entries,
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

    const candidates = new Map<number, Candidate>();
    const add = (row: number, exact: boolean, meanings: HintMeaning[][]): void => {
      if (country && !this.inCountry(row, country)) return;
      if (!meanings.every((any) => any.some((m) => this.fits(row, m)))) return;
      const seen = candidates.get(row);
      if (!seen) candidates.set(row, { row, exact });
      else if (exact) seen.exact = true;
    };

    // 1. The whole query as one name: some names contain commas ("Washington, D.C.").
    for (const row of this.exactRows(whole)) add(row, true, []);

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
      for (const row of this.exactRows(name)) add(row, true, meanings);
      if (name.length >= MIN_PREFIX_LENGTH) {
        for (const row of this.prefixRows(name)) add(row, false, meanings);
      }
    }

    const ranked = [...candidates.values()].sort(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        this.populations[b.row] - this.populations[a.row] ||
        this.names[a.row].length - this.names[b.row].length ||
        a.row - b.row,
    );

    const results: GeocodedArea[] = [];
    const labels = new Set<string>();
    for (const { row } of ranked) {
      const area = this.toArea(row);
      // Two places with the same label cannot be told apart by a person: keep the larger.
      if (labels.has(area.label)) continue;
      labels.add(area.label);
      results.push(area);
      if (results.length >= limit) break;
    }
    return results;
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

  private *exactRows(key: string): Generator<number> {
    for (let i = this.lowerBound(key); i < this.keys.length && this.keys[i] === key; i++) yield this.keyRows[i];
  }

  private *prefixRows(prefix: string): Generator<number> {
    for (let i = this.lowerBound(prefix); i < this.keys.length && this.keys[i].startsWith(prefix); i++) {
      yield this.keyRows[i];
    }
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

/** Builds the old index from the data file bytes, as its lazy loader did on the first search. */
export function buildLegacyGazetteer(bytes: Uint8Array): LegacyGazetteer {
  return LegacyGazetteer.fromRaw(decodeCitiesPbf(bytes));
}
