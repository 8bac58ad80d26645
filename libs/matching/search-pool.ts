import type { EntityManager } from '@mikro-orm/postgresql';
import { PostgreSqlConnection } from '@mikro-orm/postgresql';
import pg from 'pg';

/**
 * Planner settings every matching search needs, given to its connections when they open.
 * JIT off: PostgreSQL compiles these PostGIS-heavy plans for 40–270 ms per query, far more than
 * the query itself. No parallel workers: starting them costs more than these short,
 * index-driven queries. Sorts, bitmap and sequential scans priced out: the planner would rather
 * bitmap-scan and sort (it misestimates the per-row radius filter) than walk a GiST index nearest
 * first and stop early. Read-only: searches never write.
 *
 * Setting them per connection rather than per transaction makes a search query one round trip
 * instead of four (BEGIN, set_config, the query, COMMIT): measured ~1 ms of wall time and ~1.3 ms
 * of Node CPU per query on the 2-core machine, and a search runs three.
 */
export const SEARCH_SETTINGS = {
  jit: 'off',
  max_parallel_workers_per_gather: '0',
  enable_sort: 'off',
  enable_bitmapscan: 'off',
  enable_seqscan: 'off',
  default_transaction_read_only: 'on',
} as const;

/** Two connections per search (the walk and the counts run side by side), a few searches at once. */
const SEARCH_POOL_SIZE = 6;

interface Shared {
  pool: pg.Pool;
  users: number;
}
/** One pool per database, shared by every MatchingService instance of the process. */
const pools = new Map<string, Shared>();

/**
 * The search pool for `em`'s database, with the ORM's own connection options and type parsers
 * (so rows read the same as through MikroORM) plus SEARCH_SETTINGS. Each acquire needs a release.
 */
export function acquireSearchPool(em: EntityManager): pg.Pool {
  const connection = em.getConnection();
  if (!(connection instanceof PostgreSqlConnection)) throw new Error('matching needs the PostgreSQL driver');
  const url = em.config.get('clientUrl') ?? '';
  let shared = pools.get(url);
  if (!shared) {
    const options = Object.entries(SEARCH_SETTINGS).map(([name, value]) => `-c ${name}=${value}`).join(' ');
    // Idle connections close by themselves, so a process that never releases (a script) can exit.
    const pool = new pg.Pool(connection.mapOptions({ max: SEARCH_POOL_SIZE, min: 0, options, idleTimeoutMillis: 10_000, allowExitOnIdle: true }));
    // An idle connection that dies (server restart) must not crash the process; the pool drops it.
    pool.on('error', () => undefined);
    shared = { pool, users: 0 };
    pools.set(url, shared);
  }
  shared.users += 1;
  return shared.pool;
}

export async function releaseSearchPool(pool: pg.Pool): Promise<void> {
  for (const [url, shared] of pools) {
    if (shared.pool !== pool) continue;
    shared.users -= 1;
    if (shared.users <= 0) {
      pools.delete(url);
      await pool.end();
    }
  }
}
