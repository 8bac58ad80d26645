import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { mikroOrmConfig } from '../../src/entities.js';
import { ORGANISATION_KINDS } from '../../libs/organisations/organisation.entities.js';
import { SKILL_SLUGS } from '../../libs/common/skills-catalogue.js';
import { buildDemoData, seedDemo } from '../../src/cli/seed-demo/seed.js';
import { createTestDatabase } from '../support/test-database.js';

const TABLES = [
  'accounts',
  'organisations',
  'organisation_addresses',
  'coordinators',
  'volunteers',
  'availability_windows',
  'availability_exceptions',
  'shift_series',
  'shifts',
  'shift_changes',
] as const;

describe('demo seed (npm run seed:demo)', () => {
  let orm: MikroORM;
  let db: pg.Client;

  beforeAll(async () => {
    const url = await createTestDatabase('seed_demo');
    orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 2 }));
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await orm?.close(true);
  });

  const count = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0].n as number;
  const tableCounts = async () => {
    const counts: Record<string, number> = {};
    for (const table of TABLES) counts[table] = await count(`select count(*)::int as n from ${table}`);
    return counts;
  };

  it('loads Manchester organisations of every kind, a few hundred volunteers and two weeks of shifts', async () => {
    const result = await seedDemo(orm.em);
    expect(result.status).toBe('seeded');

    const kinds = (await db.query(`select distinct kind::text as kind from organisations`)).rows
      .map((r) => r.kind)
      .sort();
    expect(kinds).toEqual([...ORGANISATION_KINDS].sort());
    expect(await count(`select count(*)::int as n from organisations where time_zone <> 'Europe/London'`)).toBe(0);
    // Every organisation has a default address and a verified coordinator who can sign in.
    expect(
      await count(`select count(*)::int as n from organisations o where not exists
      (select 1 from organisation_addresses a where a.organisation_id = o.id and a.is_default)`),
    ).toBe(0);
    expect(
      await count(`select count(*)::int as n from organisations o where not exists
      (select 1 from coordinators c join accounts a on a.id = c.account_id
        where c.organisation_id = o.id and a.role = 'coordinator' and a.email_verified_at is not null
          and a.email::text like 'coordinator@%.demo.kindshift.org')`),
    ).toBe(0);

    expect(await count(`select count(*)::int as n from volunteers`)).toBeGreaterThanOrEqual(250);
    expect(
      await count(`select count(*)::int as n from volunteers v join accounts a on a.id = v.account_id
      where a.role = 'volunteer' and a.email_verified_at is not null`),
    ).toBeGreaterThanOrEqual(200);
    // Only an approximate home is kept: at most two decimals, and inside Greater Manchester.
    expect(
      await count(`select count(*)::int as n from volunteers
      where home_lat <> round(home_lat::numeric, 2)::float8 or home_lon <> round(home_lon::numeric, 2)::float8`),
    ).toBe(0);
    expect(
      await count(`select count(*)::int as n from volunteers
      where home_lat not between 53.38 and 53.56 or home_lon not between -2.36 and -2.13`),
    ).toBe(0);
    // Skills come from the catalogue; everyone has availability.
    const skills = (
      await db.query(`select distinct unnest(skills) as s from volunteers
      union select distinct unnest(required_skills || nice_skills) from shifts`)
    ).rows.map((r) => r.s);
    expect(skills.filter((s) => !SKILL_SLUGS.includes(s))).toEqual([]);
    expect(
      await count(`select count(*)::int as n from volunteers v
      where not exists (select 1 from availability_windows w where w.volunteer_id = v.account_id)`),
    ).toBe(0);
    expect(
      await count(`select count(*)::int as n from availability_windows where end_local < start_local`),
    ).toBeGreaterThan(0);

    // Every organisation has shifts in the next 14 days, placed at one of its addresses.
    expect(
      await count(`select count(*)::int as n from organisations o where not exists
      (select 1 from shifts s where s.organisation_id = o.id and s.starts_at > now() and s.starts_at < now() + interval '14 days')`),
    ).toBe(0);
    expect(
      await count(
        `select count(*)::int as n from shifts where starts_at <= now() or starts_at >= now() + interval '15 days'`,
      ),
    ).toBe(0);
    expect(
      await count(`select count(*)::int as n from shifts s join organisation_addresses a on a.id = s.address_id
      where a.organisation_id <> s.organisation_id or a.lat <> s.lat or a.lon <> s.lon`),
    ).toBe(0);
    expect(await count(`select count(*)::int as n from shifts where status = 'open'`)).toBeGreaterThan(0);
    expect(await count(`select count(*)::int as n from shifts where status = 'draft'`)).toBeGreaterThan(0);
    // Recurring series with their generated shifts.
    expect(
      await count(`select count(*)::int as n from shift_series where generated_until is not null`),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await count(`select count(*)::int as n from shift_series r
      where not exists (select 1 from shifts s where s.series_id = r.id)`),
    ).toBe(0);
  });

  it('is a no-op the second time', async () => {
    const before = await tableCounts();
    const result = await seedDemo(orm.em);
    expect(result.status).toBe('skipped');
    expect(await tableCounts()).toEqual(before);
  });

  it('defines shift times on the London wall clock, whatever the season', () => {
    const winter = buildDemoData(new Date('2027-01-11T06:00:00Z'), 5).shifts;
    const summer = buildDemoData(new Date('2027-07-12T05:00:00Z'), 5).shifts;
    const first = (shifts: typeof winter, title: string) => shifts.find((s) => s.title === title)!;
    expect(first(winter, 'Evening meal service').starts_at).toBe('2027-01-11T17:30:00.000Z');
    expect(first(summer, 'Evening meal service').starts_at).toBe('2027-07-12T16:30:00.000Z');
    // The overnight shift crosses midnight: 21:00–07:00 local.
    const night = first(summer, 'Night shelter overnight');
    expect([night.starts_at, night.ends_at]).toEqual(['2027-07-12T20:00:00.000Z', '2027-07-13T06:00:00.000Z']);
    // Deterministic apart from ids.
    const strip = (data: ReturnType<typeof buildDemoData>) => data.volunteers.map(({ account_id: _, ...rest }) => rest);
    expect(strip(buildDemoData(new Date('2027-01-11T06:00:00Z'), 20))).toEqual(
      strip(buildDemoData(new Date('2027-01-11T06:00:00Z'), 20)),
    );
  });
});
