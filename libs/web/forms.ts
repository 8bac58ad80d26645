import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, flattenValidationErrors, InvalidInputError, type FieldProblem } from '../platform/index.js';

/** A parsed application/x-www-form-urlencoded body: repeated names arrive as arrays. */
export type FormBody = Record<string, string | string[] | undefined>;
export type FormValues = Record<string, string | string[]>;

export function asFormBody(body: unknown): FormBody {
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

/** The first value of a field, trimmed ('' when absent). */
export function text(body: FormBody, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** Every value of a repeated field (checkboxes), without blanks. */
export function list(body: FormBody, name: string): string[] {
  const value = body[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** A number typed into a field, or undefined when left empty (validation then names the field). */
export function numberOrUndefined(value: string): number | undefined {
  if (value === '') return undefined;
  const parsed = Number(value.replace(',', '.'));
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

/**
 * Rows of a repeated group named `prefix.<index>.<field>` (e.g. availability.3.start), in index order.
 * Rows whose fields are all empty are dropped (unless `keepBlank`), so the remaining rows are renumbered
 * 0..n-1 and error paths such as availability.1.end refer to the rows as they are rendered again.
 */
export function rows<F extends string>(
  body: FormBody,
  prefix: string,
  fields: readonly F[],
  keepBlank = false,
): Array<Record<F, string>> {
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d{1,3})\\.(${fields.join('|')})$`);
  const byIndex = new Map<number, Record<F, string>>();
  for (const name of Object.keys(body)) {
    const match = pattern.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const row = byIndex.get(index) ?? (Object.fromEntries(fields.map((f) => [f, ''])) as Record<F, string>);
    row[match[2] as F] = text(body, name);
    byIndex.set(index, row);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((row) => keepBlank || fields.some((f) => row[f] !== ''));
}

/** Validates a plain object against a DTO class with the same rules as the JSON API's ValidationPipe. */
export async function validateAs<T extends object>(
  cls: new () => T,
  plain: object,
): Promise<{ dto: T; problems: FieldProblem[] }> {
  const dto = plainToInstance(cls, plain);
  const errors = await validate(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
  });
  return { dto, problems: flattenValidationErrors(errors) };
}

/** The field problems of an input error, or rethrows anything else. */
export function problemsOf(error: unknown): FieldProblem[] {
  if (error instanceof InvalidInputError)
    return error.errors.length ? error.errors : [{ field: '', message: error.message }];
  if (error instanceof DomainError && error.status === 409) return [{ field: '', message: error.message }];
  throw error;
}

/** A rule turning a machine message about a field into plain words for people. */
export interface MessageRule {
  /** Field path; `*` stands for a row index. */
  field: string;
  /** Only for raw messages matching this; any message when omitted. */
  when?: RegExp;
  /** The words to show; omitted = keep the raw message (capitalised). */
  say?: string;
}

export function plainMessage(rules: readonly MessageRule[], field: string, raw: string): string {
  const generic = field.replace(/\.\d+\./g, '.*.');
  const rule = rules.find((r) => (r.field === generic || r.field === field) && (!r.when || r.when.test(raw)));
  const words = rule?.say ?? raw;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Makes a field path usable as an element id: availability.0.start → f-availability-0-start. */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;

export interface SummaryError {
  href?: string;
  message: string;
}

/**
 * What a template needs to render a form: the values the person typed (kept on errors) and the
 * problems per field, in plain words. Problems whose field is not on the form are still listed in
 * the summary at the top.
 */
export class FormState {
  private readonly errors = new Map<string, string>();
  readonly summary: SummaryError[] = [];

  constructor(
    readonly values: FormValues = {},
    problems: FieldProblem[] = [],
    rules: readonly MessageRule[] = [],
    /** Maps an error path to the input that shows it (e.g. startsAt → start). */
    aliases: Record<string, string> = {},
    /** Inputs present on the form, for linking summary entries to them. */
    present?: (name: string) => boolean,
  ) {
    // The summary lists problems in the order of the fields on the form; others come last.
    const order = Object.keys(values);
    const position = (problem: FieldProblem) => {
      const index = order.indexOf(aliases[problem.field] ?? problem.field);
      return index === -1 ? order.length : index;
    };
    for (const problem of [...problems].sort((a, b) => position(a) - position(b))) {
      const field = aliases[problem.field] ?? problem.field;
      const message = plainMessage(rules, problem.field, problem.message);
      if (field !== '' && this.errors.has(field)) continue; // one problem per field is enough
      this.errors.set(field, message);
      const onForm = field !== '' && (present ? present(field) : true);
      this.summary.push(onForm ? { href: `#${fieldId(field)}`, message } : { message });
    }
  }

  get hasErrors(): boolean {
    return this.summary.length > 0;
  }

  value(name: string): string {
    const value = this.values[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  }

  all(name: string): string[] {
    const value = this.values[name];
    return Array.isArray(value) ? value : value ? [value] : [];
  }

  checked(name: string, option: string): boolean {
    return this.all(name).includes(option);
  }

  error(name: string): string | undefined {
    return this.errors.get(name);
  }

  id(name: string): string {
    return fieldId(name);
  }

  /** aria-describedby for an input: its hint and its error, when present. */
  describedBy(name: string, hasHint = false): string {
    return [hasHint ? `${fieldId(name)}-hint` : '', this.errors.has(name) ? `${fieldId(name)}-error` : '']
      .filter(Boolean)
      .join(' ');
  }
}
