import { Transform } from 'class-transformer';

/** Null, "" or only whitespace: what JSON null, an empty form field or a blank query parameter sends. */
export function isBlankInput(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * For every numeric DTO field: blank text (an empty form field, a blank query parameter) is absent
 * (undefined), so a required field is refused naming it and an optional one is left out. JSON `null`
 * is kept for the validators, which refuse it naming the field: no numeric field is nullable in the
 * OpenAPI document (IsOmittable). class-transformer's `@Type(() => Number)` made "" into 0 and kept
 * null, which the services then stored as 0 (a home at 0,0).
 * `fromText` also reads numbers written as text, for fields that arrive as text (query, HTML forms);
 * anything else is passed on unchanged for the validators to refuse.
 */
export function NumericInput(options: { fromText?: boolean } = {}): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value === 'string' && isBlankInput(value)) return undefined;
    if (options.fromText && typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return Number(value.trim());
    return value;
  });
}
