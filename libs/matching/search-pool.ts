import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { acquireDedicatedPool, releaseDedicatedPool } from '../database/dedicated-pool.js';

/**
 * Planner settings every matching search needs, given to its connections when they open.
 * JIT off: PostgreSQL compiles these PostGIS-heavy plans for 40–270 ms per query, far more than
 * the query itself. No parallel workers: starting them costs more than these short,
 * index-driven queries. Sorts, bitmap and sequential scans priced out: the planner would rather
 * bitmap-scan and sort (it misestimates the per-row radius filter) than walk a GiST index nearest
 * first and stop early. Read-only: searches never write.
 *
 * Set per connection of a dedicated pool rather than per transaction: a search query is then one
 * round trip instead of four (see dedicated-pool.ts), and a search runs three.
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

/** The search pool for `em`'s database: connections opened with SEARCH_SETTINGS. Each acquire needs a release. */
export function acquireSearchPool(em: EntityManager): pg.Pool {
  return acquireDedicatedPool(em, { purpose: 'search', size: SEARCH_POOL_SIZE, settings: SEARCH_SETTINGS });
}

export const releaseSearchPool = releaseDedicatedPool;
