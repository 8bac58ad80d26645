// Recognises what UK volunteers often type instead of a town: a postcode ("M4 5AB", "m45ab"), its
// outward code ("M4") or a sector ("M4 5"), including one still being typed ("M4 5A").
//
// No npm package ships postcode centroids (checked: `postcode`, `uk-postcode` and
// `uk-postcode-validator` only validate), so the offline geocoder cannot place them; the point of
// recognising them is to say so clearly instead of "no place found". Pure: no Nest, no I/O.

export interface UkPostcodeShape {
  /** Outward code (district), e.g. "M4", "SW1A". */
  outward: string;
  /** What was typed, upper case with one space between outward and inward part: "M4 5AB", "M4 5". */
  normalized: string;
  kind: 'outward' | 'sector' | 'partial' | 'full';
}

// Outward code: area (1–2 letters, never Q/V/X first, never I/J/Z second) + district (digit, then an
// optional digit or letter). Inward: digit + two letters (never C, I, K, M, O, V).
const POSTCODE_RE = /^([A-PR-UWYZ](?:[A-HK-Y])?\d[A-Z\d]?)(?: ?(\d)([ABD-HJLNP-UW-Z]{0,2}))?$/;

/** Parses a postcode-shaped query; anything else (a place name, "A1 road", …) gives undefined. */
export function parseUkPostcode(query: string): UkPostcodeShape | undefined {
  if (typeof query !== 'string' || query.length > 12) return undefined;
  const compact = query.trim().toUpperCase().replace(/\s+/g, ' ');
  if (compact === 'GIR 0AA' || compact === 'GIR0AA') return { outward: 'GIR', normalized: 'GIR 0AA', kind: 'full' };
  const match = POSTCODE_RE.exec(compact);
  if (!match) return undefined;
  const [, outward, sector, unit] = match;
  if (sector === undefined) return { outward, normalized: outward, kind: 'outward' };
  const normalized = `${outward} ${sector}${unit}`;
  const kind = unit.length === 2 ? 'full' : unit.length === 0 ? 'sector' : 'partial';
  return { outward, normalized, kind };
}

/** The sentence shown when a postcode-shaped query found no place (the API and the pages share it). */
export function unknownPostcodeMessage(query: string): string | undefined {
  const shape = parseUkPostcode(query);
  if (!shape) return undefined;
  return `We don't know the postcode area ${shape.outward} — try your town or city instead (we only keep the area anyway)`;
}
