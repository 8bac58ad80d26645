import 'reflect-metadata';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ArrivalsService } from '../../libs/arrivals/index.js';
import { IdentityService } from '../../libs/identity/index.js';
import { createApiApp } from '../api/api-app.js';
import { mikroOrmConfig } from '../entities.js';
import { benchEnv, deleteRedisPrefix, numberFlag } from './bench-offers/processes.js';
import { median, percentile, table } from './bench-offers/stats.js';
import { recreateDatabase } from './bench-support/database.js';
import { seedStatementVolunteer } from './bench-support/hours-seed.js';

/**
 * npm run bench:pages [-- --requests=300 --warmup=30 --shifts=500 --volunteers=10000 --bookings=20000
 *                        --entries=500 --waiting=3 --logged=2000]
 *
 * Page timings at an organisation's real size: one organisation with `shifts` shifts over the next
 * 14 days, `volunteers` volunteers and `bookings` bookings (each volunteer on two shifts a week
 * apart, so the no-overlap constraint holds), all inserted with set-based SQL. For the dashboard,
 * `waiting` volunteers wait on each full shift's waitlist and `logged` logged hours entries fall in
 * this month (three in four approved); for the statement, one volunteer has `entries` hours entries
 * on the organisation's past shifts (one a day, so its attendance history is real too). Then the
 * api (in this process, Fastify's inject: no sockets) answers `requests` sequential GETs of each
 * case after `warmup` untimed ones; p50/p95/p99 and the target are printed as a table, beside GET
 * /health/live as the baseline of the same run. Cases are a list: add a `BenchCase` to time another
 * page or download.
 *
 * Own database (DATABASE_URL's name, default kindshift_bench_pages_<TEST_DB_NAMESPACE>) and the
 * machine's Redis (BENCH_REDIS_URL) under a prefix of its own, deleted afterwards. Not a test.
 */

interface Options {
  requests: number;
  warmup: number;
  shifts: number;
  volunteers: number;
  bookings: number;
  entries: number;
  waiting: number;
  logged: number;
  url: string;
  redisUrl: string;
}

/** What a case may use: the seeded ids and the cookies of a signed-in coordinator and an open kiosk. */
export interface BenchWorld {
  organisationId: string;
  coordinatorId: string;
  /** The shift on now (inside its arrival window): its roster and its kiosk. */
  shiftNow: string;
  /** A shift next week with free places: its page also runs matching. */
  shiftLater: string;
  /** The volunteer with `entries` hours entries: their statement downloads. */
  statementVolunteerId: string;
  coordinatorCookie: string;
  kioskCookie: string;
  volunteerCookie: string;
}

export interface BenchCase {
  name: string;
  /** The p95 the issue asks for, if it names one. */
  targetMs?: number;
  /** One timed run; it throws if the answer is wrong, so a fast error page never counts. */
  run: (app: NestFastifyApplication, world: BenchWorld) => Promise<void>;
}

const SHIFT_HOURS = 3;

function parseOptions(argv: string[]): Options {
  const namespace = (process.env.TEST_DB_NAMESPACE ?? 'local').toLowerCase().replace(/[^a-z0-9_]/g, '');
  return {
    requests: numberFlag(argv, 'requests', 300),
    warmup: numberFlag(argv, 'warmup', 30, 'zero'),
    shifts: numberFlag(argv, 'shifts', 500),
    volunteers: numberFlag(argv, 'volunteers', 10_000),
    bookings: numberFlag(argv, 'bookings', 20_000),
    entries: numberFlag(argv, 'entries', 500),
    waiting: numberFlag(argv, 'waiting', 3, 'zero'),
    logged: numberFlag(argv, 'logged', 2_000, 'zero'),
    url: process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/kindshift_bench_pages_${namespace}`,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
  };
}

let sent = 0;

interface Expect {
  /** Text the body must contain. */
  body: string;
  /** Media type the answer must have (default HTML). */
  type?: string;
}

async function get(app: NestFastifyApplication, url: string, cookie: string, expect: string | Expect): Promise<void> {
  const { body, type = 'text/html' } = typeof expect === 'string' ? { body: expect } : expect;
  // A peer address per request: the per-client limit (600 a minute) must not turn the bench into 429s.
  const peer = ++sent;
  const res = await app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: 'GET',
      url,
      headers: { accept: type === 'text/html' ? 'text/html' : `${type}, */*`, cookie },
      remoteAddress: `10.${(peer >> 16) & 255}.${(peer >> 8) & 255}.${peer & 255}`,
    });
  const contentType = String(res.headers['content-type'] ?? '');
  if (res.statusCode !== 200 || !res.body.includes(body) || (url !== '/health/live' && !contentType.startsWith(type)))
    throw new Error(`GET ${url} → ${res.statusCode} ${contentType}, expected 200 ${type} with "${body}"`);
}

const PAGE_TARGET_MS = 150;
const STATEMENT_TARGET_MS = 300;

export const CASES: BenchCase[] = [
  { name: 'GET /health/live (baseline)', run: (app) => get(app, '/health/live', '', '') },
  {
    name: 'roster /org/shifts/:id (on now, full)',
    targetMs: PAGE_TARGET_MS,
    run: (app, w) => get(app, `/org/shifts/${w.shiftNow}`, w.coordinatorCookie, 'Arrival at the door'),
  },
  {
    name: 'roster /org/shifts/:id (next week, free places)',
    targetMs: PAGE_TARGET_MS,
    run: (app, w) => get(app, `/org/shifts/${w.shiftLater}`, w.coordinatorCookie, 'Arrival at the door'),
  },
  {
    name: 'kiosk list /kiosk',
    targetMs: PAGE_TARGET_MS,
    run: (app, w) => get(app, '/kiosk', w.kioskCookie, 'Tap your name'),
  },
  {
    name: 'dashboard /org/dashboard',
    targetMs: PAGE_TARGET_MS,
    run: (app, w) => get(app, '/org/dashboard', w.coordinatorCookie, 'hours credited in'),
  },
  {
    name: 'statement CSV /me/hours/statement.csv (500 entries)',
    targetMs: STATEMENT_TARGET_MS,
    run: (app, w) =>
      get(app, '/me/hours/statement.csv', w.volunteerCookie, { body: 'Evening meal service', type: 'text/csv' }),
  },
  {
    name: 'statement PDF /me/hours/statement.pdf (500 entries)',
    targetMs: STATEMENT_TARGET_MS,
    run: (app, w) => get(app, '/me/hours/statement.pdf', w.volunteerCookie, { body: '%PDF-', type: 'application/pdf' }),
  },
];

/**
 * The organisation: shift k starts 30 minutes from now plus k × (14 days / shifts), so shift 0 is
 * inside its arrival window. Volunteer v is booked on shift (v mod shifts) and on the one half the
 * list later (a week apart); seats per shift = bookings / shifts, plus free places on odd shifts.
 */
async function seed(
  options: Options,
): Promise<Omit<BenchWorld, 'coordinatorCookie' | 'kioskCookie' | 'volunteerCookie'>> {
  const orm = await MikroORM.init(mikroOrmConfig(options.url, { poolMax: 1 }));
  try {
    await orm.migrator.up();
    const em = orm.em.fork();
    const { shifts, volunteers, bookings } = options;
    if (bookings > volunteers * 2) throw new Error('--bookings can be at most twice --volunteers');
    const perShift = Math.ceil(bookings / shifts);
    const stepMinutes = Math.floor((14 * 24 * 60) / shifts);
    const [{ id: orgId }] = await em.execute(`select md5('org')::uuid as id`);
    await em.execute(
      `insert into organisations (id, name, kind, time_zone) values (md5('org')::uuid, 'Bench kitchen', 'soup_kitchen', 'Europe/London')`,
    );
    await em.execute(`insert into organisation_addresses (id, organisation_id, label, street, lat, lon, is_default)
      values (md5('addr')::uuid, md5('org')::uuid, 'Main hall', '1 Bench Street', 53.4808, -2.2426, true)`);
    await em.execute(
      `insert into accounts (id, email, role, email_verified_at) values (md5('coord')::uuid, 'coordinator@bench.invalid', 'coordinator', now())`,
    );
    await em.execute(
      `insert into coordinators (account_id, organisation_id, name) values (md5('coord')::uuid, md5('org')::uuid, 'Coordinator')`,
    );
    await em.execute(`insert into accounts (id, email, role, email_verified_at)
      select md5('vol' || i)::uuid, 'volunteer' || i || '@bench.invalid', 'volunteer', now() from generate_series(0, ${volunteers - 1}) i`);
    await em.execute(`insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km, skills, quiet_hours_start, quiet_hours_end, weekly_shift_cap)
      select md5('vol' || i)::uuid, 'Volunteer' || i || ' Surname' || i, 'Europe/London',
             53.4808 + (random() - 0.5) * 0.1, -2.2426 + (random() - 0.5) * 0.15, 15, '{cooking}', '00:00', '00:00', 7
      from generate_series(0, ${volunteers - 1}) i`);
    await em.execute(`insert into availability_windows (volunteer_id, weekday, start_local, end_local)
      select md5('vol' || i)::uuid, d, '06:00', '23:00' from generate_series(0, ${volunteers - 1}) i cross join generate_series(1, 7) d`);
    await em.execute(`insert into shifts (id, organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, required_skills, status, published_at)
      select md5('shift' || k)::uuid, md5('org')::uuid, md5('addr')::uuid, 'Bench shift ' || k,
             now() + make_interval(mins => 30 + k * ${stepMinutes}), now() + make_interval(mins => 30 + k * ${stepMinutes} + ${SHIFT_HOURS * 60}),
             53.4808, -2.2426, ${perShift} + (k % 2) * 5, '{cooking}', 'open', now()
      from generate_series(0, ${shifts - 1}) k`);
    // Booking j: volunteer (j mod volunteers) on shift (j mod shifts) in the first round, half the list later in the second.
    await em.execute(`insert into bookings (shift_id, volunteer_id, period)
      select md5('shift' || ((j % ${volunteers}) % ${shifts} + (j / ${volunteers}) * ${Math.floor(shifts / 2)}) % ${shifts})::uuid,
             md5('vol' || (j % ${volunteers}))::uuid, s.period
        from generate_series(0, ${bookings - 1}) j
        join shifts s on s.id = md5('shift' || ((j % ${volunteers}) % ${shifts} + (j / ${volunteers}) * ${Math.floor(shifts / 2)}) % ${shifts})::uuid`);
    await em.execute(`update shifts s set filled = b.n, status = case when b.n = s.capacity then 'full'::shift_status else s.status end
      from (select shift_id, count(*)::int as n from bookings group by shift_id) b where b.shift_id = s.id`);
    // A door in use: a third of the shift on now has arrived.
    await em.execute(`insert into arrivals (booking_id, shift_id, arrived_at, arrived_via)
      select id, shift_id, now(), 'kiosk' from bookings where shift_id = md5('shift0')::uuid order by id limit ${Math.floor(perShift / 3)}`);
    await seedDashboardExtras(em, options);
    const statementVolunteerId = await seedStatementVolunteer(em, orgId, options.entries, 'statement@bench.invalid');
    await em.execute(`analyze`);
    const [counts] = await em.execute(
      `select (select count(*) from shifts where starts_at >= now())::int as shifts, (select count(*) from shifts where starts_at < now())::int as past_shifts,
              (select count(*) from volunteers)::int as volunteers,
              (select count(*) from bookings b join shifts s on s.id = b.shift_id where s.starts_at >= now())::int as bookings,
              (select count(*) from bookings b join shifts s on s.id = b.shift_id where s.starts_at < now())::int as past_bookings,
              (select count(*) from waitlist_entries)::int as waiting, (select count(*) from hours_entries)::int as hours_entries`,
    );
    console.log(
      `seeded: ${counts.shifts} shifts ahead (${counts.past_shifts} past), ${counts.volunteers} volunteers, ` +
        `${counts.bookings} bookings ahead (${counts.past_bookings} past), ${counts.waiting} on waitlists, ` +
        `${counts.hours_entries} hours entries (${options.entries} of one volunteer)`,
    );
    const [ids] = await em.execute(
      `select md5('org')::uuid as organisation_id, md5('coord')::uuid as coordinator_id, md5('shift0')::uuid as now, md5('shift${2 * Math.floor(shifts / 4) + 1}')::uuid as later`,
    );
    return {
      organisationId: String(ids.organisation_id),
      coordinatorId: String(ids.coordinator_id),
      shiftNow: String(ids.now),
      shiftLater: String(ids.later),
      statementVolunteerId,
    };
  } finally {
    await orm.close(true);
  }
}

/**
 * What the dashboard reads beyond shifts and bookings: `waiting` volunteers on each full shift's
 * waitlist (volunteers booked elsewhere, none twice on one list) and `logged` logged hours entries
 * spread over this month's days so far in London, three in four approved, the rest pending.
 */
async function seedDashboardExtras(em: EntityManager, options: Options): Promise<void> {
  const { shifts, volunteers, waiting, logged } = options;
  await em.execute(`insert into waitlist_entries (shift_id, volunteer_id)
    select s.id, md5('vol' || (((k + 1) % ${shifts} + g * ${shifts}) % ${volunteers}))::uuid
      from generate_series(0, ${shifts - 1}) k join shifts s on s.id = md5('shift' || k)::uuid,
           generate_series(0, ${waiting - 1}) g
     where s.status = 'full'
    on conflict do nothing`);
  await em.execute(`insert into hours_entries (kind, volunteer_id, organisation_id, status, work_date, logged_minutes, description, decided_at)
    select 'logged', md5('vol' || (i % ${volunteers}))::uuid, md5('org')::uuid,
           case when i % 4 = 3 then 'pending' else 'approved' end::hours_entry_status,
           d.first + (i % d.days), 30 + (i % 8) * 15, 'Sorting donations ' || i,
           case when i % 4 = 3 then null else now() end
      from generate_series(0, ${logged - 1}) i,
           lateral (select date_trunc('month', now() at time zone 'Europe/London')::date as first,
                           extract(day from now() at time zone 'Europe/London')::int as days) d`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  await recreateDatabase(options.url);
  const started = Date.now();
  const seeded = await seed(options);
  console.log(`seed took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const prefix = `kindshift-bench-pages-${process.pid}`;
  Object.assign(process.env, benchEnv({ url: options.url, redisUrl: options.redisUrl, prefix, smtpPort: 2525 }), {
    LOG_LEVEL: 'silent',
  });
  const app = await createApiApp();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const identity = app.get(IdentityService);
    const link = await identity.issueLinkToken(seeded.coordinatorId, 'sign_in', 600);
    const session = await identity.completeLink(link, 'sign_in');
    const kiosk = await app
      .get(ArrivalsService)
      .openKiosk(seeded.organisationId, seeded.shiftNow, seeded.coordinatorId);
    const volunteerLink = await identity.issueLinkToken(seeded.statementVolunteerId, 'sign_in', 600);
    const volunteerSession = await identity.completeLink(volunteerLink, 'sign_in');
    const world: BenchWorld = {
      ...seeded,
      coordinatorCookie: `ks_session=${session.token}`,
      kioskCookie: `ks_kiosk=${kiosk.token}`,
      volunteerCookie: `ks_session=${volunteerSession.token}`,
    };
    const rows: string[][] = [];
    for (const benchCase of CASES) {
      for (let i = 0; i < options.warmup; i++) await benchCase.run(app, world);
      const times: number[] = [];
      for (let i = 0; i < options.requests; i++) {
        const t0 = process.hrtime.bigint();
        await benchCase.run(app, world);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const p95 = percentile(times, 95);
      rows.push([
        benchCase.name,
        String(times.length),
        median(times).toFixed(1),
        p95.toFixed(1),
        percentile(times, 99).toFixed(1),
        benchCase.targetMs === undefined
          ? '—'
          : `< ${benchCase.targetMs} ${p95 < benchCase.targetMs ? 'met' : 'MISSED'}`,
      ]);
    }
    console.log(table(['case', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'target p95 ms'], rows));
  } finally {
    await app.close();
    await deleteRedisPrefix(options.redisUrl, prefix);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
