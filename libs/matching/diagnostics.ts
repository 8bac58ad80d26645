import type { EntityManager } from '@mikro-orm/postgresql';
import { loadShift, ormRun } from './matching.repository.js';
import { SEARCH_SETTINGS } from './search-pool.js';
import { countSql } from './sql/exclusion-counts.sql.js';
import { bind, shiftValues } from './sql/params.js';
import { walkSql } from './sql/volunteer-walk.sql.js';

/** SEARCH_SETTINGS as transaction-local settings, for the diagnostics on the ORM's connections. */
const SEARCH_SETTINGS_SQL = `select ${Object.entries(SEARCH_SETTINGS)
  .filter(([name]) => name !== 'default_transaction_read_only')
  .map(([name, value]) => `set_config('${name}', '${value}', true)`)
  .join(', ')}`;
/** Back to the planner's own choices (diagnostics: what the plan would be without forcing). */
const PLANNER_FREE_SQL = `select set_config('enable_sort', 'on', true), set_config('enable_bitmapscan', 'on', true),
  set_config('enable_seqscan', 'on', true)`;

/**
 * Diagnostics for benchmarks and operators: the volunteer walk of `findMatchesForShift` as one
 * LIMIT query, on the forced KNN plan or on the planner's own choice, optionally as EXPLAIN
 * (ANALYZE, BUFFERS) lines; with `explain`, the plan of the exclusion counts too.
 */
export async function runVolunteerWalk(
  em: EntityManager,
  shiftId: string,
  options: { limit: number; forceKnn: boolean; explain?: boolean },
): Promise<{ rows: number; plan: string[]; countsPlan: string[] }> {
  return em.fork().transactional(
    async (tx) => {
      await tx.execute(SEARCH_SETTINGS_SQL);
      if (!options.forceKnn) await tx.execute(PLANNER_FREE_SQL);
      const shift = await loadShift(ormRun(tx), shiftId);
      const explain = (sql: string) => (options.explain ? `explain (analyze, buffers) ${sql}` : sql);
      const lines = (rows: Record<string, string>[]) => (options.explain ? rows.map((r) => r['QUERY PLAN']) : []);
      const walk = await tx.execute<Record<string, string>[]>(
        ...bind(explain(walkSql(shift, options.limit)), shiftValues(shift, [])),
      );
      if (!options.explain) return { rows: walk.length, plan: [], countsPlan: [] };
      const counts = await tx.execute<Record<string, string>[]>(...bind(explain(countSql()), shiftValues(shift, [])));
      return { rows: walk.length, plan: lines(walk), countsPlan: lines(counts) };
    },
    { readOnly: true },
  );
}
