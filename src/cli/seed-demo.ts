import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmConfig } from '../entities.js';
import { DEMO_CITY, DEMO_TIME_ZONE, DEMO_VOLUNTEER_COUNT } from './seed-demo/data.js';
import { signInHint } from './seed-demo/next-steps.js';
import { seedDemo, volunteerEmail } from './seed-demo/seed.js';

/**
 * `npm run seed:demo`: loads the Manchester demo data. Runs on every `docker compose up` right
 * after migrations, so it is idempotent: when the demo is already there it says so and exits 0.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      'seed:demo: DATABASE_URL is required, e.g. DATABASE_URL=postgres://kindshift:password@localhost:5432/kindshift',
    );
  }
  const started = performance.now();
  const orm = await MikroORM.init(mikroOrmConfig(databaseUrl, { poolMax: 2 }));
  try {
    const result = await seedDemo(orm.em);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (result.status === 'skipped') {
      console.log(`seed:demo: ${result.reason}; nothing to do (${seconds}s).`);
    } else {
      const c = result.counts;
      console.log(
        `seed:demo: created ${c.organisations} organisations in ${DEMO_CITY} (${DEMO_TIME_ZONE}) with ${c.addresses} addresses and ` +
          `${c.coordinators} coordinators; ${c.volunteers} volunteers (${c.verifiedVolunteers} verified) with ${c.availabilityWindows} ` +
          `availability windows and ${c.availabilityExceptions} exceptions; ${c.shifts} shifts (${c.openShifts} open, ${c.draftShifts} draft) ` +
          `over the next two weeks, ${c.series} of them weekly series; in ${seconds}s.`,
      );
    }
    const baseUrl = (process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
    console.log(
      `${signInHint(baseUrl, process.env.SMTP_URL, result.coordinatorEmails[0])} ` +
        `Other coordinators: ${result.coordinatorEmails.slice(1).join(', ')}. Volunteers: ${volunteerEmail(1)} … ${volunteerEmail(DEMO_VOLUNTEER_COUNT)}.`,
    );
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
