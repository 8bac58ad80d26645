import { SEARCH_RADIUS_M, SPHERE_MARGIN } from '../core/matches.js';
import type { ShiftRow } from '../core/rows.js';

// `:name::type` markers in the SQL are bound by `bind` (MikroORM itself binds `?`).

/**
 * Replaces :name markers with placeholders (`?` for MikroORM, `$n` for pg) and returns the
 * params in order.
 */
export function bind(sql: string, values: Record<string, unknown>, placeholder: '?' | '$n' = '?'): [string, unknown[]] {
  const params: unknown[] = [];
  const text = sql.replace(/(?<!:):([a-z_]+)(?=::)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`unbound SQL parameter :${name}`);
    params.push(values[name]);
    return placeholder === '?' ? '?' : `$${params.length}`;
  });
  return [text, params];
}

export function shiftValues(shift: ShiftRow, exclude: string[]): Record<string, unknown> {
  return {
    kind: shift.kind,
    required: pgArray(shift.required_skills),
    shift: shift.id,
    org: shift.organisation_id,
    period: shift.period,
    location: shift.location,
    exclude: pgArray(exclude),
    radius: SEARCH_RADIUS_M,
    margin: SPHERE_MARGIN,
    zone: shift.zone,
    span: shift.span,
    slack: shift.slack,
    span_shrunk: shift.span_shrunk,
    local_dates: shift.local_dates,
    utc_hours: shift.utc_hours,
  };
}

/** A text[] constant in SQL text, where the planner must see the value (partial index choice). */
export function pgTextArrayLiteral(values: readonly string[]): string {
  return `'${pgArray(values).replaceAll("'", "''")}'::text[]`;
}

/** A PostgreSQL array literal ('{"a","b"}'), for binding through MikroORM's `?` placeholders. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
