import type { DedicatedPoolSpec } from '../platform/index.js';

/**
 * Planner settings every matching search needs, given to its connections when they open.
 * JIT off: compiling these PostGIS-heavy plans costs far more than running them. No parallel
 * workers: starting them costs more than these short, index-driven queries. Sorts, bitmap and sequential scans priced out: the planner would rather
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

/**
 * The search connections: opened with SEARCH_SETTINGS; six, as a search runs its walk and its
 * counts side by side on two, and a few searches run at once.
 */
export const SEARCH_POOL: DedicatedPoolSpec = { purpose: 'search', size: 6, settings: SEARCH_SETTINGS };
