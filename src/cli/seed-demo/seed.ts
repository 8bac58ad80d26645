/**
 * Demo data for `docker compose up`: organisations of every kind in Manchester, a few hundred
 * volunteers with skills and weekly availability, and two weeks of shifts (one-off and
 * recurring). Deterministic (seeded PRNG) apart from ids and "today", idempotent, and written
 * with a handful of set-based SQL statements in one transaction, so it takes well under a second.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { expandWeeklySeries } from '../../../libs/organisations/core/recurrence.js';
import type { OrganisationKind } from '../../../libs/organisations/organisation.entities.js';
import { SKILLS_CATALOGUE, type SkillSlug } from '../../../libs/common/skills-catalogue.js';
import {
  DEMO_DAYS_AHEAD,
  DEMO_EMAIL_DOMAIN,
  DEMO_ORGANISATIONS,
  DEMO_SEED,
  DEMO_TIME_ZONE,
  DEMO_VOLUNTEER_COUNT,
  FIRST_NAMES,
  LAST_NAMES,
  NEIGHBOURHOODS,
  SKILL_POPULARITY,
  type DemoOrganisation,
} from './data.js';
import { Prng } from './prng.js';

export interface SeedDemoOptions {
  /** The instant treated as "now" (defaults to the current time). */
  now?: Date;
  /** Number of volunteers to create (default 300). */
  volunteers?: number;
}

export interface SeedDemoCounts {
  organisations: number;
  addresses: number;
  coordinators: number;
  volunteers: number;
  verifiedVolunteers: number;
  availabilityWindows: number;
  availabilityExceptions: number;
  series: number;
  shifts: number;
  openShifts: number;
  draftShifts: number;
}

export type SeedDemoResult =
  | { status: 'seeded'; counts: SeedDemoCounts; coordinatorEmails: string[] }
  | { status: 'skipped'; reason: string; coordinatorEmails: string[] };

/** Serialises concurrent seed runs (two `compose up`s at once) so the existence check is reliable. */
const ADVISORY_LOCK_KEY = 'kindshift:seed-demo';

export function coordinatorEmail(organisation: Pick<DemoOrganisation, 'slug'>): string {
  return `coordinator@${organisation.slug}.${DEMO_EMAIL_DOMAIN}`;
}

export function volunteerEmail(index: number): string {
  return `volunteer${String(index).padStart(3, '0')}@${DEMO_EMAIL_DOMAIN}`;
}

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

// ---- building the rows (pure, deterministic apart from ids) -------------------------------------

interface AccountRow {
  id: string;
  email: string;
  role: 'volunteer' | 'coordinator';
  email_verified_at: string | null;
}
interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  time_zone: string;
}
interface AddressRow {
  id: string;
  organisation_id: string;
  label: string;
  street: string;
  lat: number;
  lon: number;
  is_default: boolean;
}
interface CoordinatorRow {
  account_id: string;
  organisation_id: string;
  name: string;
}
interface VolunteerRow {
  account_id: string;
  name: string;
  time_zone: string;
  home_label: string;
  home_lat: number;
  home_lon: number;
  travel_km: number;
  skills: string[];
  causes: OrganisationKind[];
  weekly_shift_cap: number;
  status: 'active' | 'paused';
  offers_consent_at: string;
  check_in_consent_at: string | null;
  country: string;
}
interface WindowRow {
  volunteer_id: string;
  weekday: number;
  start_local: string;
  end_local: string;
}
interface ExceptionRow {
  volunteer_id: string;
  starts_on: string;
  ends_on: string;
}
interface SeriesRow {
  id: string;
  organisation_id: string;
  address_id: string;
  title: string;
  description: string;
  weekday: number;
  start_local: string;
  end_local: string;
  starts_on: string;
  until: string;
  capacity: number;
  required_skills: string[];
  nice_skills: string[];
  generated_until: string;
}
interface ShiftRow {
  id: string;
  organisation_id: string;
  series_id: string | null;
  address_id: string;
  title: string;
  description: string;
  starts_at: string;
  ends_at: string;
  lat: number;
  lon: number;
  capacity: number;
  required_skills: string[];
  nice_skills: string[];
  status: 'open' | 'draft';
  published_at: string | null;
  changed_by: string;
}

export interface DemoData {
  accounts: AccountRow[];
  organisations: OrganisationRow[];
  addresses: AddressRow[];
  coordinators: CoordinatorRow[];
  volunteers: VolunteerRow[];
  windows: WindowRow[];
  exceptions: ExceptionRow[];
  series: SeriesRow[];
  shifts: ShiftRow[];
  counts: SeedDemoCounts;
}

const CAUSE_WEIGHTS: Record<OrganisationKind, number> = {
  soup_kitchen: 3,
  animal_shelter: 4,
  homeless_shelter: 3,
  food_bank: 3,
  other: 1,
};
const TRAVEL_KM = [2, 3, 3, 4, 5, 5, 5, 6, 8, 8, 10, 12, 15] as const;

export function buildDemoData(now: Date, volunteerCount: number): DemoData {
  const random = new Prng(DEMO_SEED);
  const nowIso = now.toISOString();
  const today = DateTime.fromJSDate(now, { zone: DEMO_TIME_ZONE }).startOf('day');
  const accounts: AccountRow[] = [];
  const organisations: OrganisationRow[] = [];
  const addresses: AddressRow[] = [];
  const coordinators: CoordinatorRow[] = [];
  const series: SeriesRow[] = [];
  const shifts: ShiftRow[] = [];

  for (const demo of DEMO_ORGANISATIONS) {
    const organisationId = randomUUID();
    const coordinatorId = randomUUID();
    organisations.push({ id: organisationId, name: demo.name, kind: demo.kind, time_zone: DEMO_TIME_ZONE });
    const orgAddresses = demo.addresses.map((address, index): AddressRow => ({
      id: randomUUID(),
      organisation_id: organisationId,
      label: address.label,
      street: address.street,
      lat: address.lat,
      lon: address.lon,
      is_default: index === 0,
    }));
    addresses.push(...orgAddresses);
    accounts.push({ id: coordinatorId, email: coordinatorEmail(demo), role: 'coordinator', email_verified_at: nowIso });
    coordinators.push({ account_id: coordinatorId, organisation_id: organisationId, name: demo.coordinator });

    // One-off shifts on every date from today for DEMO_DAYS_AHEAD days, in the organisation's wall-clock time.
    for (let offset = 0; offset < DEMO_DAYS_AHEAD; offset += 1) {
      const date = today.plus({ days: offset });
      for (const template of demo.shifts) {
        if (!template.weekdays.includes(date.weekday)) continue;
        if (template.chance !== undefined && !random.chance(template.chance)) continue;
        const { startsAt, endsAt } = localInterval(date, template.start, template.end);
        if (startsAt.getTime() <= now.getTime() + 3600_000) continue; // too late to staff today
        const address = orgAddresses[template.address ?? 0];
        const open = random.chance(0.85);
        shifts.push({
          id: randomUUID(),
          organisation_id: organisationId,
          series_id: null,
          address_id: address.id,
          title: template.title,
          description: template.description,
          starts_at: startsAt.toISOString(),
          ends_at: endsAt.toISOString(),
          lat: address.lat,
          lon: address.lon,
          capacity: random.int(template.capacity[0], template.capacity[1]),
          required_skills: [...template.required],
          nice_skills: [...template.nice],
          status: open ? 'open' : 'draft',
          published_at: open ? nowIso : null,
          changed_by: coordinatorId,
        });
      }
    }

    // A weekly series, generated the same way the worker extends series (so it never duplicates them).
    if (demo.series) {
      const template = demo.series;
      const address = orgAddresses[template.address ?? 0];
      const startsOn = today.toISODate() as string;
      const until = today.plus({ weeks: 26 }).toISODate() as string;
      const generatedUntil = today.plus({ days: DEMO_DAYS_AHEAD - 1 }).toISODate() as string;
      const seriesId = randomUUID();
      series.push({
        id: seriesId,
        organisation_id: organisationId,
        address_id: address.id,
        title: template.title,
        description: template.description,
        weekday: template.weekday,
        start_local: template.start,
        end_local: template.end,
        starts_on: startsOn,
        until,
        capacity: template.capacity,
        required_skills: [...template.required],
        nice_skills: [...template.nice],
        generated_until: generatedUntil,
      });
      const occurrences = expandWeeklySeries(
        {
          weekday: template.weekday,
          startLocal: template.start,
          endLocal: template.end,
          startsOn,
          until,
          zone: DEMO_TIME_ZONE,
        },
        startsOn,
        generatedUntil,
      ).filter((occurrence) => occurrence.startsAt.getTime() > now.getTime());
      for (const occurrence of occurrences) {
        shifts.push({
          id: randomUUID(),
          organisation_id: organisationId,
          series_id: seriesId,
          address_id: address.id,
          title: template.title,
          description: template.description,
          starts_at: occurrence.startsAt.toISOString(),
          ends_at: occurrence.endsAt.toISOString(),
          lat: address.lat,
          lon: address.lon,
          capacity: template.capacity,
          required_skills: [...template.required],
          nice_skills: [...template.nice],
          status: 'open',
          published_at: nowIso,
          changed_by: coordinatorId,
        });
      }
    }
  }

  const volunteers: VolunteerRow[] = [];
  const windows: WindowRow[] = [];
  const exceptions: ExceptionRow[] = [];
  let verifiedVolunteers = 0;
  for (let index = 1; index <= volunteerCount; index += 1) {
    const id = randomUUID();
    const verified = random.chance(0.9);
    if (verified) verifiedVolunteers += 1;
    accounts.push({ id, email: volunteerEmail(index), role: 'volunteer', email_verified_at: verified ? nowIso : null });
    const home = random.weighted(NEIGHBOURHOODS, (n) => n.weight);
    volunteers.push({
      account_id: id,
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      time_zone: DEMO_TIME_ZONE,
      home_label: home.name,
      // Only an approximate home is stored: the area centre, jittered by about a kilometre, to 2 decimals.
      home_lat: round2(home.lat + random.between(-0.012, 0.012)),
      home_lon: round2(home.lon + random.between(-0.02, 0.02)),
      travel_km: random.pick(TRAVEL_KM),
      skills: volunteerSkills(random),
      causes: random.chance(0.55)
        ? []
        : random.weightedSample(
            Object.keys(CAUSE_WEIGHTS) as OrganisationKind[],
            random.int(1, 2),
            (k) => CAUSE_WEIGHTS[k],
          ),
      weekly_shift_cap: random.weighted([1, 2, 3], (cap) => (cap === 3 ? 2 : 4)),
      status: random.chance(0.93) ? 'active' : 'paused',
      offers_consent_at: nowIso,
      check_in_consent_at: random.chance(0.4) ? nowIso : null,
      country: 'GB',
    });
    for (const window of volunteerWindows(random)) windows.push({ volunteer_id: id, ...window });
    if (random.chance(0.1)) {
      const startsOn = today.plus({ days: random.int(0, 20) });
      exceptions.push({
        volunteer_id: id,
        starts_on: startsOn.toISODate() as string,
        ends_on: startsOn.plus({ days: random.int(1, 9) }).toISODate() as string,
      });
    }
  }

  const openShifts = shifts.filter((s) => s.status === 'open').length;
  return {
    accounts,
    organisations,
    addresses,
    coordinators,
    volunteers,
    windows,
    exceptions,
    series,
    shifts,
    counts: {
      organisations: organisations.length,
      addresses: addresses.length,
      coordinators: coordinators.length,
      volunteers: volunteers.length,
      verifiedVolunteers,
      availabilityWindows: windows.length,
      availabilityExceptions: exceptions.length,
      series: series.length,
      shifts: shifts.length,
      openShifts,
      draftShifts: shifts.length - openShifts,
    },
  };
}

/** [start, end) of a 'HH:MM'–'HH:MM' local shift on `date`; an end at or before the start is on the next day. */
function localInterval(date: DateTime, start: string, end: string): { startsAt: Date; endsAt: Date } {
  const day = date.toISODate() as string;
  const endDay = end <= start ? (date.plus({ days: 1 }).toISODate() as string) : day;
  const startsAt = DateTime.fromISO(`${day}T${start}`, { zone: DEMO_TIME_ZONE });
  const endsAt = DateTime.fromISO(`${endDay}T${end}`, { zone: DEMO_TIME_ZONE });
  if (!startsAt.isValid || !endsAt.isValid) throw new RangeError(`bad local shift time ${day} ${start}–${end}`);
  return { startsAt: startsAt.toJSDate(), endsAt: endsAt.toJSDate() };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const SKILL_COUNT_WEIGHTS = [5, 15, 28, 28, 14, 10]; // 0–5 skills

function volunteerSkills(random: Prng): string[] {
  const count = random.weighted([0, 1, 2, 3, 4, 5], (n) => SKILL_COUNT_WEIGHTS[n]);
  const slugs = SKILLS_CATALOGUE.map((skill) => skill.slug as SkillSlug);
  const skills: string[] = random.weightedSample(slugs, count, (slug) => SKILL_POPULARITY[slug] ?? 1);
  // Someone who drives a van has a driving licence.
  if (skills.includes('van-driving') && !skills.includes('driving-licence')) skills.push('driving-licence');
  return skills.sort();
}

interface Window {
  weekday: number;
  start_local: string;
  end_local: string;
}

/** Typical weekly patterns in local wall-clock time; at least one window each. */
function volunteerWindows(random: Prng): Window[] {
  const windows: Window[] = [];
  const add = (days: readonly number[], start: string, end: string) => {
    for (const weekday of days) windows.push({ weekday, start_local: start, end_local: end });
  };
  const weekdays = [1, 2, 3, 4, 5];
  const weekend = [6, 7];
  if (random.chance(0.55)) add(random.sample(weekdays, random.int(2, 5)), '17:00', '21:00');
  if (random.chance(0.4)) add(random.sample(weekend, random.int(1, 2)), '09:00', '13:00');
  if (random.chance(0.25)) add(random.sample(weekdays, random.int(2, 4)), '09:00', '17:00');
  if (random.chance(0.15)) add(random.sample(weekend, random.int(1, 2)), '12:00', '17:00');
  if (random.chance(0.07)) {
    // Night owls for the shelters: crossing midnight, end < start.
    const [start, end] = random.chance(0.5) ? ['22:00', '02:00'] : ['21:00', '07:00'];
    add(random.sample([1, 2, 3, 4, 5, 6, 7], random.int(1, 3)), start, end);
  }
  if (windows.length === 0) add(random.sample([...weekdays, ...weekend], 2), '10:00', '16:00');
  return mergeSameDay(windows);
}

/** Overlapping daytime windows on the same weekday become one (e.g. 09–13 and 12–17 → 09–17). */
function mergeSameDay(windows: Window[]): Window[] {
  const crossing = windows.filter((w) => w.end_local <= w.start_local);
  const daytime = windows
    .filter((w) => w.end_local > w.start_local)
    .sort((a, b) => a.weekday - b.weekday || a.start_local.localeCompare(b.start_local));
  const merged: Window[] = [];
  for (const window of daytime) {
    const last = merged[merged.length - 1];
    if (last && last.weekday === window.weekday && window.start_local < last.end_local) {
      if (window.end_local > last.end_local) last.end_local = window.end_local;
    } else {
      merged.push({ ...window });
    }
  }
  return [...merged, ...crossing];
}

// ---- writing (set-based: one statement per table) -----------------------------------------------

async function insertAll(tx: EntityManager, data: DemoData): Promise<void> {
  const json = (rows: unknown[]) => [JSON.stringify(rows)];
  await tx.execute(
    `insert into accounts (id, email, role, email_verified_at)
     select id, email, role, email_verified_at
     from jsonb_to_recordset(?::jsonb) as x(id uuid, email citext, role account_role, email_verified_at timestamptz)`,
    json(data.accounts),
  );
  await tx.execute(
    `insert into organisations (id, name, kind, time_zone)
     select id, name, kind, time_zone from jsonb_to_recordset(?::jsonb) as x(id uuid, name text, kind organisation_kind, time_zone text)`,
    json(data.organisations),
  );
  await tx.execute(
    `insert into organisation_addresses (id, organisation_id, label, street, lat, lon, is_default)
     select id, organisation_id, label, street, lat, lon, is_default
     from jsonb_to_recordset(?::jsonb) as x(id uuid, organisation_id uuid, label text, street text, lat float8, lon float8, is_default boolean)`,
    json(data.addresses),
  );
  await tx.execute(
    `insert into coordinators (account_id, organisation_id, name)
     select account_id, organisation_id, name from jsonb_to_recordset(?::jsonb) as x(account_id uuid, organisation_id uuid, name text)`,
    json(data.coordinators),
  );
  await tx.execute(
    `insert into volunteers (account_id, name, time_zone, home_label, home_lat, home_lon, travel_km, skills, causes, weekly_shift_cap,
                             status, offers_consent_at, check_in_consent_at, country)
     select account_id, name, time_zone, home_label, home_lat, home_lon, travel_km, skills, causes, weekly_shift_cap,
            status, offers_consent_at, check_in_consent_at, country
     from jsonb_to_recordset(?::jsonb) as x(account_id uuid, name text, time_zone text, home_label text, home_lat float8, home_lon float8,
       travel_km real, skills text[], causes organisation_kind[], weekly_shift_cap smallint, status volunteer_status,
       offers_consent_at timestamptz, check_in_consent_at timestamptz, country text)`,
    json(data.volunteers),
  );
  await tx.execute(
    `insert into availability_windows (volunteer_id, weekday, start_local, end_local)
     select volunteer_id, weekday, start_local, end_local
     from jsonb_to_recordset(?::jsonb) as x(volunteer_id uuid, weekday smallint, start_local time, end_local time)`,
    json(data.windows),
  );
  if (data.exceptions.length > 0) {
    await tx.execute(
      `insert into availability_exceptions (volunteer_id, starts_on, ends_on)
       select volunteer_id, starts_on, ends_on from jsonb_to_recordset(?::jsonb) as x(volunteer_id uuid, starts_on date, ends_on date)`,
      json(data.exceptions),
    );
  }
  if (data.series.length > 0) {
    await tx.execute(
      `insert into shift_series (id, organisation_id, address_id, title, description, weekday, start_local, end_local, starts_on, until,
                                 capacity, required_skills, nice_skills, generated_until)
       select id, organisation_id, address_id, title, description, weekday, start_local, end_local, starts_on, until,
              capacity, required_skills, nice_skills, generated_until
       from jsonb_to_recordset(?::jsonb) as x(id uuid, organisation_id uuid, address_id uuid, title text, description text, weekday smallint,
         start_local time, end_local time, starts_on date, until date, capacity int, required_skills text[], nice_skills text[], generated_until date)`,
      json(data.series),
    );
  }
  await tx.execute(
    `insert into shifts (id, organisation_id, series_id, address_id, title, description, starts_at, ends_at, lat, lon, capacity,
                         required_skills, nice_skills, status, published_at)
     select id, organisation_id, series_id, address_id, title, description, starts_at, ends_at, lat, lon, capacity,
            required_skills, nice_skills, status, published_at
     from jsonb_to_recordset(?::jsonb) as x(id uuid, organisation_id uuid, series_id uuid, address_id uuid, title text, description text,
       starts_at timestamptz, ends_at timestamptz, lat float8, lon float8, capacity int, required_skills text[], nice_skills text[],
       status shift_status, published_at timestamptz)`,
    json(data.shifts),
  );
  // The same history the API writes: created (with the series for generated ones), then published.
  await tx.execute(
    `insert into shift_changes (shift_id, kind, changes, changed_by)
     select s.id, k.kind,
            case when k.kind = 'created' and s.series_id is not null then jsonb_build_object('seriesId', s.series_id) else '{}'::jsonb end,
            s.changed_by
     from jsonb_to_recordset(?::jsonb) as s(id uuid, series_id uuid, changed_by uuid, published_at timestamptz)
     cross join lateral (values (1, 'created'), (2, 'published')) as k(n, kind)
     where k.kind = 'created' or s.published_at is not null
     order by s.id, k.n`,
    json(
      data.shifts.map((s) => ({
        id: s.id,
        series_id: s.series_id,
        changed_by: s.changed_by,
        published_at: s.published_at,
      })),
    ),
  );
}
