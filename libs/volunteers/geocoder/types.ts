// What every geocoder answers and accepts; the offline one and any networked one later alike.

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
