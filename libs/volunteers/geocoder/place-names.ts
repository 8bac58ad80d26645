// Normalized keys for place names: what the index sorts and what a query is compared with.

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
export function umlautVariant(name: string): string | undefined {
  if (!/[äöüÄÖÜ]/.test(name)) return undefined;
  const spelled = name.replace(/[äÄ]/g, 'ae').replace(/[öÖ]/g, 'oe').replace(/[üÜ]/g, 'ue');
  return normalizePlaceName(spelled);
}
