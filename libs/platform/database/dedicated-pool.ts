import { type EntityManager, PostgreSqlConnection } from '@mikro-orm/postgresql';
import pg from 'pg';

/**
 * A small `pg` pool beside MikroORM's, for hot statements that gain from skipping the ORM: a
 * query is one round trip, not four (BEGIN, set_config, the query, COMMIT) and named statements
 * are parsed once per connection (figures in docs/performance.md).
 */
export interface DedicatedPoolSpec {
  /** What the pool is for; one pool per purpose and database in a process. */
  purpose: string;
  size: number;
  /** Session settings every connection opens with (given as `-c name=value` startup options). */
  settings?: Record<string, string>;
}

interface Shared {
  pool: pg.Pool;
  users: number;
}
const pools = new Map<string, Shared>();

/**
 * The pool for `spec.purpose` on `em`'s database, with the ORM's own connection options and type
 * parsers, so rows read the same as through MikroORM. Shared by every caller in the process;
 * each acquire needs a release.
 */
export function acquireDedicatedPool(em: EntityManager, spec: DedicatedPoolSpec): pg.Pool {
  const connection = em.getConnection();
  if (!(connection instanceof PostgreSqlConnection)) throw new Error('a dedicated pool needs the PostgreSQL driver');
  const key = `${spec.purpose} ${em.config.get('clientUrl') ?? ''}`;
  let shared = pools.get(key);
  if (!shared) {
    const options = Object.entries(spec.settings ?? {})
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' ');
    // Idle connections close by themselves, so a process that never releases (a script) can exit.
    const pool = new pg.Pool(
      connection.mapOptions({
        max: spec.size,
        min: 0,
        ...(options ? { options } : {}),
        idleTimeoutMillis: 10_000,
        allowExitOnIdle: true,
      }),
    );
    // An idle connection that dies (server restart) must not crash the process; the pool drops it.
    pool.on('error', () => undefined);
    shared = { pool, users: 0 };
    pools.set(key, shared);
  }
  shared.users += 1;
  return shared.pool;
}

export async function releaseDedicatedPool(pool: pg.Pool): Promise<void> {
  for (const [key, shared] of pools) {
    if (shared.pool !== pool) continue;
    shared.users -= 1;
    if (shared.users <= 0) {
      pools.delete(key);
      await pool.end();
    }
  }
}

/** A dedicated pool acquired on first use and released on shutdown, for a service that may never need one. */
export class LazyDedicatedPool {
  private pool?: pg.Pool;

  constructor(
    private readonly em: EntityManager,
    private readonly spec: DedicatedPoolSpec,
  ) {}

  get(): pg.Pool {
    return (this.pool ??= acquireDedicatedPool(this.em, this.spec));
  }

  async release(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await releaseDedicatedPool(pool);
  }
}
