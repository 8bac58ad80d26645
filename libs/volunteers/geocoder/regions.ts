// Small reference tables (names people type that the dataset spells differently, and regions), and
// the hints ("…, OR", "…, Deutschland") built from them.

import { normalizePlaceName } from './place-names.js';

/** [what people type, name in the dataset, country]. Treated as exact name matches. */
export const EXONYMS: ReadonlyArray<readonly [string, string, string]> = [
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

export interface Region {
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
export const REGIONS: readonly Region[] = [
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
export interface HintMeaning {
  country: string;
  admin?: string;
}

export function buildCountryLabels(codes: readonly string[]): Map<string, string> {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  return new Map(codes.map((code) => [code, safeDisplayName(names, code) ?? code]));
}

export function buildHints(codes: readonly string[]): Map<string, HintMeaning[]> {
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
