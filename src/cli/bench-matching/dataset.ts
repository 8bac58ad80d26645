import type { EntityManager } from '@mikro-orm/postgresql';
import { AVAILABILITY_PATTERNS, CITIES, SHIFT_SLOTS, SKILL_POPULARITY } from './world.js';

/**
 * Generates a benchmark world inside PostgreSQL with generate_series, so no row crosses the
 * network: volunteers clustered around CITIES (85 % Gaussian around a centre, 15 % a long tail
 * up to ~200 km out), skewed skills, common availability patterns, exceptions, organisations,
 * shifts four weeks back and forward, booking history, recent offers and a few blocks.
 *
 * Bulk loading runs with session_replication_role = replica, which switches off triggers
 * (foreign keys included): the derived volunteer columns the triggers would keep are written
 * directly with the migration's own SQL functions, so the data is what the triggers would give.
 */

const BATCH = 100_000;

export interface Counts {
  volunteers: number;
  organisations: number;
  shifts: number;
}

export function worldCounts(volunteers: number): Counts {
  return {
    volunteers,
    organisations: Math.max(50, Math.round(volunteers / 500)),
    shifts: Math.max(2_000, Math.round(volunteers / 20)),
  };
}

/** Runs `sql` in its own transaction with triggers off. */
async function bulk(em: EntityManager, sql: string): Promise<void> {
  await em.fork().transactional(async (tx) => {
    await tx.execute(
      `select set_config('session_replication_role', 'replica', true), set_config('synchronous_commit', 'off', true)`,
    );
    await tx.execute(sql);
  });
}

/** Cumulative-weight lookup tables: a uniform draw u picks the row with lo <= u < hi. */
function pickTable(name: string, rows: { weight: number; cols: string }[], colNames: string): string {
  const total = rows.reduce((a, r) => a + r.weight, 0);
  let acc = 0;
  const values = rows.map((r) => {
    const lo = acc / total;
    acc += r.weight;
    return `(${lo}, ${acc === total ? 1.0000001 : acc / total}, ${r.cols})`;
  });
  return `create unlogged table ${name} as select * from (values ${values.join(', ')}) as t(lo, hi, ${colNames})`;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function createLookupTables(em: EntityManager): Promise<void> {
  await em.execute(
    pickTable(
      'bench_cities',
      CITIES.map((c, i) => ({
        weight: c.weight,
        cols: `${i + 1}, ${c.lat}, ${c.lon}, ${quote(c.zone)}, ${c.sigmaKm}`,
      })),
      'idx, lat, lon, zone, sigma_km',
    ),
  );
  const skills = Object.entries(SKILL_POPULARITY);
  await em.execute(`create unlogged table bench_skills as select * from (values
    ${skills.map(([slug, p]) => `(${quote(slug)}, ${p})`).join(', ')}) as t(slug, p)`);
  await em.execute(
    pickTable(
      'bench_skill_pick',
      skills.map(([slug, p]) => ({ weight: p, cols: quote(slug) })),
      'slug',
    ),
  );
  await em.execute(
    pickTable(
      'bench_pattern_pick',
      AVAILABILITY_PATTERNS.map((p, i) => ({ weight: p.weight, cols: `${i + 1}` })),
      'pattern',
    ),
  );
  const windows = AVAILABILITY_PATTERNS.flatMap((p, i) =>
    p.windows.map(([d, s, e]) => `(${i + 1}, ${d}, time '${s}', time '${e}')`),
  );
  await em.execute(
    `create unlogged table bench_patterns as select * from (values ${windows.join(', ')}) as t(pattern, weekday, start_local, end_local)`,
  );
  await em.execute(
    pickTable(
      'bench_slots',
      SHIFT_SLOTS.map((s) => ({
        weight: s.weight,
        cols: `time '${s.start}', ${s.hours}, array[${s.weekdays.join(', ')}]`,
      })),
      'start_local, hours, weekdays',
    ),
  );
}

/** Accounts, windows and exceptions for volunteers [from, to], then the volunteers themselves. */
async function generateVolunteerBatch(em: EntityManager, from: number, to: number): Promise<void> {
  const series = `generate_series(${from}, ${to}) g`;
  await bulk(
    em,
    `insert into accounts (id, email, role, email_verified_at)
    select md5('v' || g)::uuid, 'v' || g || '@bench.invalid', 'volunteer', case when random() < 0.95 then now() end from ${series}`,
  );
  await bulk(
    em,
    `insert into availability_windows (volunteer_id, weekday, start_local, end_local)
    select md5('v' || r.g)::uuid, p.weekday, p.start_local, p.end_local
      from (select g, random() as u from ${series}) r
      join bench_pattern_pick pp on r.u >= pp.lo and r.u < pp.hi
      join bench_patterns p on p.pattern = pp.pattern
    union all
    select md5('v' || g)::uuid, 1 + floor(random() * 7)::int, make_time(h, 0, 0), make_time((h + len) % 24, 0, 0)
      from (select g, 6 + floor(random() * 15)::int as h, 2 + floor(random() * 5)::int as len from ${series} where random() < 0.3) x`,
  );
  await bulk(
    em,
    `insert into availability_exceptions (volunteer_id, starts_on, ends_on)
    select md5('v' || g)::uuid, d, d + floor(random() * 14)::int
      from (select g, current_date + floor(random() * 28)::int as d from ${series} where random() < 0.05) x`,
  );
  await bulk(em, volunteerInsertSql(series));
}

function volunteerInsertSql(series: string): string {
  const ids = `array(select md5('v' || g)::uuid from ${series})`;
  const zones = `array[${CITIES.map((c) => quote(c.zone)).join(', ')}]`;
  // Box–Muller normals gx, gy; `0 * r.g` ties each subquery to its row so random() is drawn per row.
  return `insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km, skills, causes,
      weekly_shift_cap, status, email_verified, weekly_availability, weekly_windows_disjoint, weekly_windows, away_dates,
      available_utc_hours)
    select x.id, 'Volunteer ' || x.g, x.zone, x.lat, x.lon,
           (array[2, 3, 5, 5, 8, 10, 10, 10, 15, 15, 20, 25, 30, 50, 100])[1 + floor(random() * 15)::int],
           array(select s.slug from bench_skills s where random() < s.p + 0 * x.g),
           case when random() < 0.6 then '{}'::organisation_kind[]
                else array(select k from unnest(enum_range(null::organisation_kind)) k where random() < 0.5 + 0 * x.g) end,
           1 + floor(random() * 3)::int,
           (case when random() < 0.05 then 'paused' else 'active' end)::volunteer_status,
           a.email_verified_at is not null, w.ranges, w.disjoint, w.windows, d.dates, matching_utc_hours(w.windows, x.zone)
      from (select r.g, md5('v' || r.g)::uuid as id,
                   case when random() < 0.05 then (${zones})[1 + floor(random() * ${CITIES.length})::int] else c.zone end as zone,
                   round(greatest(-89.0, least(89.0, c.lat + case when r.tail then (random() - 0.5) * 3.6
                     else r.gx * c.sigma_km / 111.0 end))::numeric, 2)::float8 as lat,
                   round((c.lon + case when r.tail then (random() - 0.5) * 5.0
                     else r.gy * c.sigma_km / (111.0 * cos(radians(c.lat))) end)::numeric, 2)::float8 as lon
              from (select g, random() as u, random() < 0.15 as tail,
                           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) as gx,
                           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) as gy
                      from ${series}) r
              join bench_cities c on r.u >= c.lo and r.u < c.hi) x
      join accounts a on a.id = x.id
      join matching_weekly_availability(${ids}) w on w.volunteer_id = x.id
      join matching_away_dates(${ids}) d on d.volunteer_id = x.id`;
}

async function generateOrganisations(em: EntityManager, n: number): Promise<void> {
  await bulk(
    em,
    `create unlogged table bench_orgs as
    select g, md5('o' || g)::uuid as id, md5('oa' || g)::uuid as address_id, c.zone,
           c.lat + r.gx * c.sigma_km / 2 / 111.0 as lat, c.lon + r.gy * c.sigma_km / 2 / (111.0 * cos(radians(c.lat))) as lon
      from (select g, random() as u, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) as gx,
                   sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) as gy from generate_series(1, ${n}) g) r
      join bench_cities c on r.u >= c.lo and r.u < c.hi`,
  );
  await bulk(
    em,
    `insert into organisations (id, name, kind, time_zone)
    select id, 'Organisation ' || g, (enum_range(null::organisation_kind))[1 + floor(random() * 5)::int], zone from bench_orgs`,
  );
  await bulk(
    em,
    `insert into organisation_addresses (id, organisation_id, label, lat, lon, is_default)
    select address_id, id, 'Main', lat, lon, true from bench_orgs`,
  );
}

/**
 * Shifts 28 days back to 28 days ahead at common local slots on the slot's weekdays (draws on
 * other days are dropped, so the count is approximate); 0–2 required skills by popularity.
 */
async function generateShifts(em: EntityManager, c: Counts): Promise<void> {
  await bulk(
    em,
    `insert into shifts (id, organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity,
      required_skills, nice_skills, status)
    select md5('s' || x.g)::uuid, o.id, o.address_id, 'Shift ' || x.g, x.local_start at time zone o.zone,
           (x.local_start + make_interval(hours => x.hours)) at time zone o.zone, o.lat, o.lon, 1 + floor(random() * 8)::int,
           coalesce((select array_agg(distinct sp.slug) from (select random() + 0 * x.g + 0 * i as u from generate_series(1, x.k) i) d
                      join bench_skill_pick sp on d.u >= sp.lo and d.u < sp.hi), '{}'),
           array(select s.slug from bench_skills s where random() < 0.1 + 0 * x.g),
           (case when x.local_start < localtimestamp then 'completed' when random() < 0.05 then 'full' else 'open' end)::shift_status
      from (select g, 1 + floor(random() * ${c.organisations})::int as org, local_day + s.start_local as local_start, s.hours,
                   case when random() < 0.25 then 0 when random() < 0.8 then 1 else 2 end as k
              from (select g, random() as u, current_date + floor(random() * 56)::int - 28 as local_day
                      from generate_series(1, ${c.shifts}) g) r
              join bench_slots s on r.u >= s.lo and r.u < s.hi
             where extract(isodow from r.local_day) = any(s.weekdays)) x
      join bench_orgs o on o.g = x.org`,
  );
}

/** Past attended/no-show history, future confirmed bookings, recent offers, a few blocks. */
async function generateHistory(em: EntityManager, c: Counts, from: number, to: number): Promise<void> {
  const pickShift = `md5('s' || (1 + floor(random() * ${c.shifts}))::int)::uuid`;
  await bulk(
    em,
    `insert into bookings (shift_id, volunteer_id, status, period)
    select s.id, x.v, (case when s.starts_at > now() then 'confirmed' when random() < 0.85 then 'attended' else 'no_show' end)::booking_status,
           s.period
      from (select md5('v' || g)::uuid as v, ${pickShift} as sid
              from generate_series(${from}, ${to}) g cross join lateral generate_series(1, 1 + floor(random() * 4 + 0 * g)::int) i
             where random() < 0.3) x
      join shifts s on s.id = x.sid
    on conflict do nothing`,
  );
  await bulk(
    em,
    `insert into offers (shift_id, volunteer_id, status, expires_at, created_at)
    select s.id, x.v,
           (array['pending', 'accepted', 'declined', 'declined', 'expired', 'withdrawn'])[1 + floor(random() * 6)::int]::offer_status,
           now() + interval '2 days', now() - random() * interval '20 days'
      from (select md5('v' || g)::uuid as v, ${pickShift} as sid
              from generate_series(${from}, ${to}) g cross join lateral generate_series(1, 1 + floor(random() * 3 + 0 * g)::int) i
             where random() < 0.15) x
      join shifts s on s.id = x.sid
    on conflict do nothing`,
  );
  await bulk(
    em,
    `insert into organisation_blocks (organisation_id, volunteer_id)
    select md5('o' || (1 + floor(random() * ${c.organisations}))::int)::uuid, md5('v' || g)::uuid
      from generate_series(${from}, ${to}) g where random() < 0.001
    on conflict do nothing`,
  );
}

/** The volunteers' secondary indexes as the migrations define them (recreated after the load). */
async function volunteerIndexes(em: EntityManager): Promise<{ name: string; definition: string }[]> {
  return em.execute(`select indexname as name, indexdef as definition from pg_indexes
    where schemaname = 'public' and tablename = 'volunteers' and indexname <> 'volunteers_pkey'`);
}

/** Builds the whole world; returns seconds spent per phase. */
export async function generateWorld(
  em: EntityManager,
  c: Counts,
  log: (msg: string) => void,
): Promise<Record<string, number>> {
  const seconds: Record<string, number> = {};
  const phase = async (name: string, work: () => Promise<void>) => {
    const t = performance.now();
    await work();
    seconds[name] = (performance.now() - t) / 1000;
    log(`  ${name}: ${seconds[name].toFixed(1)} s`);
  };
  await em.execute(`select setseed(0.42)`);
  await phase('lookup tables', () => createLookupTables(em));
  // Indexes are built once after the load: faster than maintaining them row by row.
  const indexes = await volunteerIndexes(em);
  await phase('drop volunteer indexes', async () => {
    for (const index of indexes) await em.execute(`drop index ${index.name}`);
  });
  await phase('volunteers', async () => {
    for (let from = 1; from <= c.volunteers; from += BATCH)
      await generateVolunteerBatch(em, from, Math.min(c.volunteers, from + BATCH - 1));
  });
  await phase('organisations', () => generateOrganisations(em, c.organisations));
  await phase('shifts', () => generateShifts(em, c));
  await phase('history', async () => {
    for (let from = 1; from <= c.volunteers; from += BATCH)
      await generateHistory(em, c, from, Math.min(c.volunteers, from + BATCH - 1));
  });
  await phase(`${indexes.length} volunteer indexes`, async () => {
    await em.execute(`set maintenance_work_mem = '512MB'`);
    for (const index of indexes) await em.execute(index.definition);
  });
  await phase('vacuum analyze', () => em.execute(`vacuum analyze`).then(() => undefined));
  return seconds;
}
