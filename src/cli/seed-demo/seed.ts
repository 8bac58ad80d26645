/**
 * Demo data for `docker compose up`: organisations of every kind in Manchester, a few hundred
 * volunteers with skills and weekly availability, and two weeks of shifts (one-off and
 * recurring). Deterministic (seeded PRNG) apart from ids and "today", idempotent, and written
 * with a handful of set-based SQL statements in one transaction, so it takes well under a second.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_EMAIL_DOMAIN, DEMO_ORGANISATIONS, DEMO_VOLUNTEER_COUNT } from './data.js';
import { buildDemoData } from './build.js';
import { coordinatorEmail } from './emails.js';
import { insertAll } from './insert.js';
import type { SeedDemoCounts } from './rows.js';

// The CLI entry and the e2e test import these from here.
export { buildDemoData } from './build.js';
export { coordinatorEmail, volunteerEmail } from './emails.js';
export type { DemoData, SeedDemoCounts } from './rows.js';

export interface SeedDemoOptions {
  /** The instant treated as "now" (defaults to the current time). */
  now?: Date;
  /** Number of volunteers to create (default 300). */
  volunteers?: number;
}

export type SeedDemoResult =
  | { status: 'seeded'; counts: SeedDemoCounts; coordinatorEmails: string[] }
  | { status: 'skipped'; reason: string; coordinatorEmails: string[] };

/** Serialises concurrent seed runs (two `compose up`s at once) so the existence check is reliable. */
const ADVISORY_LOCK_KEY = 'kindshift:seed-demo';

/**
 * Loads the demo data unless it is already there. "Already there" means any demo organisation
 * name or any account on the demo email domain exists, so a half-deleted demo is never re-seeded
 * into unique-constraint errors. Everything is written in one transaction: all or nothing.
 */
export async function seedDemo(em: EntityManager, options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const now = options.now ?? new Date();
  const coordinatorEmails = DEMO_ORGANISATIONS.map(coordinatorEmail);
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [ADVISORY_LOCK_KEY]);
    const existing = await tx.execute<{ what: string }[]>(
      `(select 'organisation "' || name || '"' as what from organisations
          where name in (select jsonb_array_elements_text(?::jsonb)) limit 1)
       union all
       (select 'account ' || email::text as what from accounts
          where lower(email::text) like ? or lower(email::text) like ? limit 1)`,
      [JSON.stringify(DEMO_ORGANISATIONS.map((o) => o.name)), `%@${DEMO_EMAIL_DOMAIN}`, `%.${DEMO_EMAIL_DOMAIN}`],
    );
    if (existing.length > 0) {
      return {
        status: 'skipped',
        reason: `demo data already present (${existing[0].what} exists)`,
        coordinatorEmails,
      } as const;
    }
    const data = buildDemoData(now, options.volunteers ?? DEMO_VOLUNTEER_COUNT);
    await insertAll(tx, data);
    return { status: 'seeded', counts: data.counts, coordinatorEmails } as const;
  });
}
