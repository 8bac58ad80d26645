/** The words for one and for several of something; `#` stands for the number ("# volunteers live"). */
export interface PluralForms {
  one: string;
  other: string;
}

const RULES = new Intl.PluralRules('en-GB');
const NUMBER = new Intl.NumberFormat('en-GB');

/**
 * The form of `forms` that fits `n`, with `#` replaced by the number: every count the pages and
 * emails show goes through here, so "1 volunteers" and "(s)" cannot creep back in. English has only
 * one/other; Intl.PluralRules keeps the choice right when other languages come.
 */
export function plural(n: number, forms: PluralForms): string {
  const form = RULES.select(n) === 'one' ? forms.one : forms.other;
  return form.replaceAll('#', NUMBER.format(n));
}
