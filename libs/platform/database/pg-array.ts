/**
 * A PostgreSQL array literal for a raw-query parameter (`cast(? as text[])`). MikroORM expands a JS
 * array parameter into a comma list, so arrays travel as one literal string instead.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((value) => `"${String(value).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
