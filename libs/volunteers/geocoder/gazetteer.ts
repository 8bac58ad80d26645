import type { RawCity } from './cities-pbf.js';
import { collectPlaces } from './gazetteer-rows.js';
import { normalizePlaceName } from './place-names.js';
import { buildCountryLabels, buildHints, REGIONS, type HintMeaning } from './regions.js';
import type { GeocodedArea } from './types.js';

/** Longer queries are not place names; they return no result instead of costing work. */
const MAX_QUERY_LENGTH = 200;
/** Below this many normalized characters only exact names match (no prefix search). */
const MIN_PREFIX_LENGTH = 3;

/**
 * The in-memory index, built once per process from the dataset (see `loadGazetteer` in ../geocoder.ts).
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

    // A native string sort is much cheaper than sorting key indices with a comparator: sort the keys
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
    const { names, countries, otherCountries, admins, ids, populations, lats, lons, entryKeys, entryRows } =
      collectPlaces(raw);
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
