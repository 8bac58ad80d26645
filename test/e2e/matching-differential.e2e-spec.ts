import { MikroORM } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import pg from 'pg';
import { mikroOrmConfig } from '../../src/entities.js';
import { isoWeekBounds, shiftFitsAvailability } from '../../libs/common/availability.js';
import { distanceKm } from '../../libs/matching/core/distance.js';
import {
  COUNT_SAMPLE,
  EXCLUSION_RULES,
  MatchingService,
  runVolunteerWalk,
  type ExclusionRule,
} from '../../libs/matching/index.js';
import { MatchingRepository } from '../../libs/matching/matching.repository.js';
import { createTestDatabase } from '../support/test-database.js';

/**
 * The database search against a straightforward in-memory reference of the same rules, on
 * random data aimed at the hard cases: DST transition days in both hemispheres (incl. 30- and
 * 45-minute zones and a midnight-transition zone), windows crossing midnight and Sunday →
 * Monday, windows whose edges sit exactly on a shift's edges, exceptions, week boundaries.
 */

// ---------------------------------------------------------------------------------------------
// Seeded randomness and row helpers

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  subset<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }
}

let uuidCounter = 0;
function uuid(): string {
  uuidCounter += 1;
  return `00000000-0000-4000-8000-${uuidCounter.toString(16).padStart(12, '0')}`;
}

type Row = Record<string, unknown>;
async function insertRows(db: pg.Client, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]).join(', ');
  // ON CONFLICT DO NOTHING also skips bookings the overlap exclusion constraint refuses.
  await db.query(
    `insert into ${table} (${cols}) select ${cols} from json_populate_recordset(null::${table}, $1::json) on conflict do nothing`,
    [JSON.stringify(rows)],
  );
}

// ---------------------------------------------------------------------------------------------
// The reference: every rule written out plainly over rows read back from the database

interface Snapshot {
  volunteers: {
    id: string;
    verified: boolean;
    status: string;
    time_zone: string;
    lat: number;
    lon: number;
    travel_m: number;
    skills: string[];
    causes: string[];
    cap: number;
  }[];
  windows: Map<string, { weekday: number; start: string; end: string }[]>;
  exceptions: Map<string, { startsOn: string; endsOn: string }[]>;
  bookings: Map<string, { start: number; end: number }[]>;
  offers: Map<string, string>; // `${shift}/${volunteer}` → status
  blocks: Set<string>; // `${org}/${volunteer}`
}

interface RefShift {
  id: string;
  org: string;
  kind: string;
  start: number;
  end: number;
  lat: number;
  lon: number;
  required: string[];
  status: string;
  filled: number;
  capacity: number;
}

async function snapshot(db: pg.Client): Promise<Snapshot> {
  const group = <T>(rows: (T & { volunteer_id: string })[], map: (r: T) => unknown) => {
    const m = new Map<string, any[]>();
    for (const r of rows) m.set(r.volunteer_id, [...(m.get(r.volunteer_id) ?? []), map(r)]);
    return m;
  };
  const volunteers = (
    await db.query(`select v.account_id as id, a.email_verified_at is not null as verified, v.status::text as status,
      v.time_zone, v.home_lat as lat, v.home_lon as lon, v.travel_m::float8 as travel_m, v.skills,
      v.causes::text[] as causes, v.weekly_shift_cap as cap
      from volunteers v join accounts a on a.id = v.account_id`)
  ).rows;
  const windows = (
    await db.query(
      `select volunteer_id, weekday, start_local::text as start, end_local::text as end from availability_windows`,
    )
  ).rows;
  const exceptions = (
    await db.query(
      `select volunteer_id, starts_on::text as "startsOn", ends_on::text as "endsOn" from availability_exceptions`,
    )
  ).rows;
  const bookings = (
    await db.query(`select volunteer_id, extract(epoch from lower(period))::float8 * 1000 as start,
      extract(epoch from upper(period))::float8 * 1000 as end from bookings where status in ('confirmed', 'attended')`)
  ).rows;
  const offers = (await db.query(`select shift_id, volunteer_id, status::text from offers`)).rows;
  const blocks = (await db.query(`select organisation_id, volunteer_id from organisation_blocks`)).rows;
  return {
    volunteers,
    windows: group(windows, (r: any) => ({ weekday: r.weekday, start: r.start, end: r.end })),
    exceptions: group(exceptions, (r: any) => ({ startsOn: r.startsOn, endsOn: r.endsOn })),
    bookings: group(bookings, (r: any) => ({ start: r.start, end: r.end })),
    offers: new Map(offers.map((o) => [`${o.shift_id}/${o.volunteer_id}`, o.status])),
    blocks: new Set(blocks.map((b) => `${b.organisation_id}/${b.volunteer_id}`)),
  };
}

async function loadRefShifts(db: pg.Client): Promise<RefShift[]> {
  return (
    await db.query(`select s.id, s.organisation_id as org, o.kind::text as kind,
      extract(epoch from s.starts_at)::float8 * 1000 as start, extract(epoch from s.ends_at)::float8 * 1000 as end,
      s.lat, s.lon, s.required_skills as required, s.status::text as status, s.filled, s.capacity
      from shifts s join organisations o on o.id = s.organisation_id`)
  ).rows;
}

function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

/** Great-circle metres on PostGIS's sphere (the WGS84 mean radius), the order the KNN walk uses. */
function sphereMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371008.771415 * Math.asin(Math.sqrt(h));
}

type Verdict = ExclusionRule | 'eligible' | 'out_of_reach';

/** The first hard rule volunteer `v` fails for `shift`, in the service's documented order. */
function referenceVerdict(s: Snapshot, v: Snapshot['volunteers'][number], shift: RefShift): Verdict {
  if (distanceKm(v, shift) * 1000 > v.travel_m) return 'out_of_reach';
  if (!v.verified) return 'unverified';
  if (v.status !== 'active') return 'paused';
  if (v.causes.length > 0 && !v.causes.includes(shift.kind)) return 'cause';
  if (!shift.required.every((k) => v.skills.includes(k))) return 'skills';
  const offer = s.offers.get(`${shift.id}/${v.id}`);
  if (offer === 'declined') return 'declined';
  if (offer) return 'already_offered';
  if (s.blocks.has(`${shift.org}/${v.id}`)) return 'blocked';
  const first = localDate(shift.start, v.time_zone);
  const last = localDate(shift.end - 1, v.time_zone);
  if ((s.exceptions.get(v.id) ?? []).some((e) => e.startsOn <= last && first <= e.endsOn)) return 'away';
  const slot = { startsAt: new Date(shift.start), endsAt: new Date(shift.end) };
  if (!shiftFitsAvailability(slot, s.windows.get(v.id) ?? [], v.time_zone).fits) return 'availability';
  const booked = s.bookings.get(v.id) ?? [];
  if (booked.some((b) => b.start < shift.end && shift.start < b.end)) return 'booking_overlap';
  const week = isoWeekBounds(new Date(shift.start), v.time_zone);
  if (booked.filter((b) => b.start >= week.start.getTime() && b.start < week.end.getTime()).length >= v.cap)
    return 'weekly_cap';
  return 'eligible';
}

function referenceForShift(s: Snapshot, shift: RefShift, exclude: Set<string>) {
  const funnel = Object.fromEntries([...EXCLUSION_RULES, 'eligible'].map((k) => [k, 0])) as Record<string, number>;
  const eligible = new Set<string>();
  for (const v of s.volunteers) {
    if (exclude.has(v.id)) continue;
    const verdict = referenceVerdict(s, v, shift);
    if (verdict === 'out_of_reach') continue;
    funnel[verdict] += 1;
    if (verdict === 'eligible') eligible.add(v.id);
  }
  return { eligible, funnel };
}

// ---------------------------------------------------------------------------------------------
// Random data aimed at the edges

const ZONES = [
  'Europe/London',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'America/Santiago',
  'UTC',
];
/** Around DST changes in 2027 (north and south, 30/45-minute zones, a midnight change). */
const TRANSITIONS = [
  '2027-03-14T07:00Z',
  '2027-11-07T06:00Z',
  '2027-03-28T01:00Z',
  '2027-10-31T01:00Z',
  '2027-04-03T16:00Z',
  '2027-10-02T16:00Z',
  '2027-04-03T14:00Z',
  '2027-09-25T14:00Z',
  '2027-04-03T15:00Z',
  '2027-10-02T15:30Z',
  '2027-04-04T03:00Z',
  '2027-09-05T04:00Z',
  '2027-06-13T23:30Z',
].map((t) => Date.parse(t));
const SKILLS = ['cooking', 'first-aid', 'driving-licence', 'animal-handling', 'cleaning', 'languages'];
const KINDS = ['soup_kitchen', 'animal_shelter', 'homeless_shelter', 'food_bank', 'other'];
const CENTRES = [
  { lat: 51.5, lon: -0.12 },
  { lat: 51.75, lon: -1.25 },
  { lat: -33.87, lon: 151.2 },
];
const MIN = 60_000;
const HOUR = 3_600_000;

function nearby(r: Rand, c: { lat: number; lon: number }, km: number) {
  return { lat: c.lat + ((r.next() - 0.5) * 2 * km) / 111, lon: c.lon + ((r.next() - 0.5) * 2 * km) / 70 };
}

/**
 * A window on the volunteer's clock lying on a shift's edges: exactly, a minute or an hour off
 * in real time, or up to 90 minutes off on the wall clock (which, inside a repeated or skipped
 * DST hour, is where wall-clock and real-time containment part ways).
 */
function windowOnShift(r: Rand, shift: { start: number; end: number }, zone: string) {
  const jitter = r.pick([0, 0, 0, -1, 1, -60, 60]) * MIN;
  const from = DateTime.fromMillis(shift.start + (r.chance(0.5) ? jitter : 0), { zone });
  const to = DateTime.fromMillis(shift.end + (r.chance(0.5) ? -jitter : 0), { zone });
  const wall = (dt: DateTime) => dt.hour * 60 + dt.minute + (r.chance(0.3) ? r.int(-90, 90) : 0);
  const startMin = wall(from);
  const weekday = ((from.weekday - 1 + Math.floor(startMin / 1440) + 7) % 7) + 1;
  const start = clock(startMin);
  const end = clock(wall(to));
  return { weekday, start_local: start, end_local: end === start ? clock(wall(to) + 1) : end };
}

function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function randomWindow(r: Rand) {
  const startMin = r.int(0, 47) * 30 + r.pick([0, 0, 15]);
  return { weekday: r.int(1, 7), start_local: clock(startMin), end_local: clock(startMin + r.int(1, 46) * 30) };
}

interface World {
  orgs: { id: string; kind: string; addressId: string }[];
  shifts: { id: string; org: string; start: number; end: number; lat: number; lon: number }[];
}

/** Where volunteers live and how far they travel; the default spreads them over three cities. */
interface Shape {
  centres: { lat: number; lon: number }[];
  homeSpreadKm: number;
  shiftSpreadKm: number;
  travelKm: [number, number];
}
const SPREAD_OUT: Shape = { centres: CENTRES, homeSpreadKm: 25, shiftSpreadKm: 15, travelKm: [2, 40] };

async function seedWorld(
  db: pg.Client,
  r: Rand,
  volunteers: number,
  targetShifts: number,
  shape = SPREAD_OUT,
): Promise<World> {
  const orgs = KINDS.map((kind) => ({ id: uuid(), kind, addressId: uuid() }));
  await insertRows(
    db,
    'organisations',
    orgs.map((o) => ({ id: o.id, name: o.kind, kind: o.kind, time_zone: 'Europe/London' })),
  );
  await insertRows(
    db,
    'organisation_addresses',
    orgs.map((o) => ({ id: o.addressId, organisation_id: o.id, label: 'Main', lat: 51.5, lon: -0.1 })),
  );
  const shifts = Array.from({ length: targetShifts }, () => {
    // Half start within 90 minutes of a DST change, half within a day and a half of one.
    const near = r.chance(0.5) ? r.int(-6, 6) * 15 * MIN : r.int(-36, 36) * HOUR + r.int(0, 3) * 15 * MIN;
    const start = Math.round((r.pick(TRANSITIONS) + near) / MIN) * MIN;
    const at = nearby(r, r.pick(shape.centres), shape.shiftSpreadKm);
    return { id: uuid(), org: r.pick(orgs).id, start, end: start + r.int(2, 16) * 30 * MIN, ...at };
  });
  await insertShifts(db, orgs, shifts, r);
  const fits = await seedVolunteers(db, r, volunteers, shifts, shape);
  await seedHistory(db, r, orgs, shifts, fits);
  return { orgs, shifts };
}

async function insertShifts(db: pg.Client, orgs: World['orgs'], shifts: World['shifts'], r: Rand): Promise<void> {
  await insertRows(
    db,
    'shifts',
    shifts.map((s) => ({
      id: s.id,
      organisation_id: s.org,
      address_id: orgs.find((o) => o.id === s.org)!.addressId,
      title: 'Shift',
      starts_at: new Date(s.start).toISOString(),
      ends_at: new Date(s.end).toISOString(),
      lat: s.lat,
      lon: s.lon,
      capacity: 3,
      filled: r.chance(0.1) ? 3 : 0,
      status: r.chance(0.9) ? 'open' : 'draft',
      required_skills: r.subset(SKILLS.slice(0, 3), 0.3),
      nice_skills: r.subset(SKILLS.slice(3), 0.4),
    })),
  );
}

async function seedVolunteers(
  db: pg.Client,
  r: Rand,
  n: number,
  shifts: World['shifts'],
  shape: Shape,
): Promise<Map<string, string[]>> {
  const fits = new Map<string, string[]>(); // target shift → volunteers with a window on it
  const accounts: Row[] = [];
  const volunteers: Row[] = [];
  const windows: Row[] = [];
  const exceptions: Row[] = [];
  for (let i = 0; i < n; i++) {
    const id = uuid();
    const zone = r.pick(ZONES);
    const home = nearby(r, r.pick(shape.centres), shape.homeSpreadKm);
    accounts.push({
      id,
      email: `v${uuidCounter}@example.org`,
      role: 'volunteer',
      email_verified_at: r.chance(0.95) ? '2026-01-01T00:00:00Z' : null,
    });
    volunteers.push({
      account_id: id,
      name: `V${i}`,
      time_zone: zone,
      home_lat: home.lat,
      home_lon: home.lon,
      travel_km: r.int(...shape.travelKm),
      skills: r.subset(SKILLS, 0.5),
      causes: r.chance(0.7) ? [] : r.subset(KINDS, 0.5),
      weekly_shift_cap: r.int(1, 3),
      status: r.chance(0.95) ? 'active' : 'paused',
    });
    for (let k = r.int(0, 3); k > 0; k--) windows.push({ id: uuid(), volunteer_id: id, ...randomWindow(r) });
    for (let k = r.int(0, 4); k > 0; k--) {
      const target = r.pick(shifts);
      fits.set(target.id, [...(fits.get(target.id) ?? []), id]);
      windows.push({ id: uuid(), volunteer_id: id, ...windowOnShift(r, target, zone) });
    }
    if (r.chance(0.25)) {
      const day = DateTime.fromMillis(r.pick(shifts).start + r.int(-2, 2) * 86_400_000, { zone });
      exceptions.push({
        id: uuid(),
        volunteer_id: id,
        starts_on: day.toISODate(),
        ends_on: day.plus({ days: r.int(0, 2) }).toISODate(),
      });
    }
  }
  await insertRows(db, 'accounts', accounts);
  await insertRows(db, 'volunteers', volunteers);
  await insertRows(db, 'availability_windows', windows);
  await insertRows(db, 'availability_exceptions', exceptions);
  // Later edits, so the triggers' update and delete paths shape the data too.
  const some = (n: number) => `('x' || substr(md5(id::text), 1, 4))::bit(16)::int % ${n} = 0`;
  await db.query(`delete from availability_windows where ${some(20)}`);
  await db.query(`update availability_windows set end_local = end_local + interval '30 minutes' where ${some(15)}`);
  await db.query(`delete from availability_exceptions where ${some(4)}`);
  return fits;
}

/**
 * Bookings on other shifts around the targets (overlapping, same week, near week edges),
 * offers and blocks — mostly for volunteers who have a window on that target, so these rules
 * decide cases the earlier rules have not already settled.
 */
async function seedHistory(
  db: pg.Client,
  r: Rand,
  orgs: World['orgs'],
  targets: World['shifts'],
  fits: Map<string, string[]>,
): Promise<void> {
  const ids = (await db.query(`select account_id from volunteers`)).rows.map((x) => x.account_id as string);
  const someone = (target: string) =>
    r.chance(0.8) && fits.get(target)?.length ? r.pick(fits.get(target)!) : r.pick(ids);
  const others = targets.flatMap((t) =>
    [0, 1, 2, 3].map((i) => {
      const offset = i < 2 ? r.int(-4, 4) * 30 * MIN : r.int(-8 * 24, 8 * 24) * HOUR + r.pick([0, 30]) * MIN;
      return {
        id: uuid(),
        target: t.id,
        org: r.pick(orgs).id,
        start: t.start + offset,
        end: t.start + offset + r.int(1, 4) * HOUR,
      };
    }),
  );
  await insertRows(
    db,
    'shifts',
    others.map((s) => ({
      id: s.id,
      organisation_id: s.org,
      address_id: orgs.find((o) => o.id === s.org)!.addressId,
      title: 'Other',
      starts_at: new Date(s.start).toISOString(),
      ends_at: new Date(s.end).toISOString(),
      lat: 51.5,
      lon: -0.1,
      capacity: 500,
      status: 'full',
    })),
  );
  for (let i = 0; i < 3 * ids.length; i++) {
    const s = r.pick(others);
    const period = `[${new Date(s.start).toISOString()},${new Date(s.end).toISOString()})`;
    const status = r.pick(['confirmed', 'confirmed', 'attended', 'cancelled', 'cancelled_late', 'no_show']);
    const booking = { id: uuid(), shift_id: s.id, volunteer_id: someone(s.target), period };
    // One by one: a booking the overlap constraint refuses is skipped alone. A late cancellation
    // weighs in reliability, so both searches must read it alike.
    await insertRows(db, 'bookings', [
      status === 'cancelled_late' ? { ...booking, status: 'cancelled', cancelled_late: true } : { ...booking, status },
    ]);
  }
  const offers = Array.from({ length: ids.length }, () => {
    const t = r.pick(targets).id;
    return {
      id: uuid(),
      shift_id: t,
      volunteer_id: someone(t),
      expires_at: '2027-12-01T00:00:00Z',
      status: r.pick(['pending', 'declined', 'declined', 'expired', 'withdrawn', 'accepted']),
      created_at: new Date(Date.now() - r.int(0, 30) * 86_400_000).toISOString(),
    };
  });
  await insertRows(db, 'offers', offers);
  const blocks = Array.from({ length: Math.ceil(ids.length / 10) }, () => {
    const t = r.pick(targets);
    return { organisation_id: t.org, volunteer_id: someone(t.id) };
  });
  await insertRows(db, 'organisation_blocks', blocks);
}

// ---------------------------------------------------------------------------------------------

describe('matching: database search vs in-memory reference', () => {
  let orm: MikroORM;
  let db: pg.Client;
  let service: MatchingService;

  beforeAll(async () => {
    const url = await createTestDatabase('matching_differential');
    orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 2 }));
    db = new pg.Client({ connectionString: url });
    await db.connect();
    service = new MatchingService(new MatchingRepository(orm.em));
  });

  afterAll(async () => {
    await db?.end();
    await orm?.close(true);
  });

  for (const seed of [1, 2, 3]) {
    it(`finds exactly the reference's volunteers and exclusion counts (seed ${seed})`, async () => {
      await db.query(`truncate organisations, accounts cascade`);
      const r = new Rand(prng(seed));
      await seedWorld(db, r, 400, 25);
      const world = await snapshot(db);
      const shifts = (await loadRefShifts(db)).filter((s) => s.status !== 'full');
      let matched = 0;
      let pairs = 0;
      const pick = new Rand(prng(seed + 1000)); // its own stream: the searches' draws stay as they were
      for (const shift of shifts) {
        const exclude = new Set(
          r.subset(
            world.volunteers.map((v) => v.id),
            0.03,
          ),
        );
        const expected = referenceForShift(world, shift, exclude);
        const got = await service.findMatchesForShift(shift.id, { limit: 10_000, excludeVolunteerIds: [...exclude] });
        expect({ shift: shift.id, ids: new Set(got.matches.map((m) => m.volunteerId)) }).toEqual({
          shift: shift.id,
          ids: expected.eligible,
        });
        expect(got.complete).toBe(true);
        const { eligible, ...funnel } = expected.funnel;
        expect(got.excluded).toEqual(funnel);
        expect(got.totalCandidates).toBe(eligible + Object.values(funnel).reduce((a, b) => a + b, 0));
        matched += got.matches.length;
        // The single-pair check (self-booking) gives each volunteer the reference's verdict too.
        for (const v of pick.subset(world.volunteers, 0.02)) {
          const verdict = referenceVerdict(world, v, shift);
          const pair = await service.checkPair(orm.em.fork(), shift.id, v.id);
          if (verdict === 'out_of_reach') expect({ v: v.id, ok: pair.ok }).toEqual({ v: v.id, ok: false });
          else expect({ v: v.id, verdict: pair.ok ? 'eligible' : pair.rule }).toEqual({ v: v.id, verdict });
          pairs += 1;
        }
      }
      expect(pairs).toBeGreaterThan(shifts.length);
      // The data must actually exercise matching, not only exclusion.
      expect(matched).toBeGreaterThan(shifts.length);
    });
  }

  it('where many can reach a shift: matches are the nearest eligible, counts cover exactly the nearest sample', async () => {
    await db.query(`truncate organisations, accounts cascade`);
    const r = new Rand(prng(7));
    const dense: Shape = { centres: [CENTRES[0]], homeSpreadKm: 4, shiftSpreadKm: 1, travelKm: [15, 40] };
    await seedWorld(db, r, 700, 8, dense);
    const world = await snapshot(db);
    let sampled = 0;
    for (const shift of (await loadRefShifts(db)).filter((s) => s.status !== 'full')) {
      const got = await service.findMatchesForShift(shift.id, { limit: 50 });
      const nearestFirst = world.volunteers
        .map((v) => ({ v, m: sphereMetres(v, shift), verdict: referenceVerdict(world, v, shift) }))
        .filter((x) => x.verdict !== 'out_of_reach')
        .sort((a, b) => a.m - b.m);
      const eligible = nearestFirst
        .filter((x) => x.verdict === 'eligible')
        .slice(0, 50)
        .map((x) => x.v.id);
      expect(new Set(got.matches.map((m) => m.volunteerId))).toEqual(new Set(eligible));
      const counted = nearestFirst.filter((x) => x.m <= got.examinedRadiusKm * 1000 + 1e-6);
      expect(got.totalCandidates).toBe(counted.length);
      expect(got.totalCandidates).toBeLessThanOrEqual(COUNT_SAMPLE);
      const funnel = Object.fromEntries(EXCLUSION_RULES.map((k) => [k, counted.filter((x) => x.verdict === k).length]));
      expect(got.excluded).toEqual(funnel);
      if (!got.complete) sampled += 1;
    }
    expect(sampled).toBeGreaterThan(0); // the sample limit was really exercised
  });

  it('pages are consecutive slices of one ranking (across rank pools)', async () => {
    let tested = 0;
    for (const shift of (await loadRefShifts(db)).filter((s) => s.status !== 'full')) {
      const all = (await service.findMatchesForShift(shift.id, { limit: 1000 })).matches.map((m) => m.volunteerId);
      if (all.length <= 50 || tested === 3) continue; // want more than one pool of 50
      tested += 1;
      const pages: string[] = [];
      for (let offset = 0; offset < all.length; offset += 23) {
        pages.push(
          ...(await service.findMatchesForShift(shift.id, { limit: 23, offset })).matches.map((m) => m.volunteerId),
        );
      }
      expect(pages).toEqual(all);
    }
    expect(tested).toBeGreaterThan(0);
  });

  it('finds for a volunteer exactly the open future shifts the reference accepts', async () => {
    const world = await snapshot(db);
    const shifts = (await loadRefShifts(db)).filter(
      (s) => s.status === 'open' && s.filled < s.capacity && s.start > Date.now(),
    );
    for (const v of world.volunteers.slice(0, 150)) {
      const expected = shifts.filter((s) => referenceVerdict(world, v, s) === 'eligible').map((s) => s.id);
      const got = await service.findShiftsForVolunteer(v.id, { limit: 1000 });
      expect({ v: v.id, ids: got.map((x) => x.shiftId).sort() }).toEqual({ v: v.id, ids: expected.sort() });
      const distances = got.map((x) => x.distanceKm);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
    }
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * One shift and one volunteer per hard rule who fails only that rule; a reference volunteer
 * passes them all. Tuesday 15 June 2027, 17:00–20:00 in London (BST).
 */
describe('matching: each hard rule on its own', () => {
  const SHIFT_START = '2027-06-15T16:00:00Z';
  const SHIFT_END = '2027-06-15T19:00:00Z';
  const CENTRE = { lat: 51.5, lon: -0.12 };
  let orm: MikroORM;
  let db: pg.Client;
  let service: MatchingService;
  const ids: Record<string, string> = {};
  let shiftId: string;
  let orgId: string;

  beforeAll(async () => {
    const url = await createTestDatabase('matching_rules');
    orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 2 }));
    db = new pg.Client({ connectionString: url });
    await db.connect();
    service = new MatchingService(new MatchingRepository(orm.em));
    await seedRuleWorld();
  });

  afterAll(async () => {
    await db?.end();
    await orm?.close(true);
  });

  async function seedRuleWorld(): Promise<void> {
    orgId = uuid();
    const addressId = uuid();
    shiftId = uuid();
    await insertRows(db, 'organisations', [
      { id: orgId, name: 'Food bank', kind: 'food_bank', time_zone: 'Europe/London' },
    ]);
    await insertRows(db, 'organisation_addresses', [
      { id: addressId, organisation_id: orgId, label: 'Main', ...CENTRE },
    ]);
    const shift = (id: string, start: string, end: string, status = 'open', at = CENTRE) => ({
      id,
      organisation_id: orgId,
      address_id: addressId,
      title: 'Evening',
      starts_at: start,
      ends_at: end,
      ...at,
      capacity: 4,
      status,
      required_skills: ['cooking'],
      nice_skills: ['first-aid'],
    });
    const otherShift = uuid();
    await insertRows(db, 'shifts', [
      shift(shiftId, SHIFT_START, SHIFT_END),
      shift(otherShift, '2027-06-14T09:00:00Z', '2027-06-15T21:00:00Z', 'full'),
    ]);
    for (const name of ['reference', ...EXCLUSION_RULES, 'out_of_reach', 'excluded_by_caller']) ids[name] = uuid();
    await insertVolunteers();
    const at = (name: string, extra: Row) => ({ id: uuid(), volunteer_id: ids[name], ...extra });
    await insertRows(db, 'offers', [
      at('declined', { shift_id: shiftId, status: 'declined', expires_at: SHIFT_START }),
      at('already_offered', { shift_id: shiftId, status: 'pending', expires_at: SHIFT_START }),
    ]);
    await insertRows(db, 'organisation_blocks', [{ organisation_id: orgId, volunteer_id: ids.blocked }]);
    await insertRows(db, 'availability_exceptions', [at('away', { starts_on: '2027-06-15', ends_on: '2027-06-15' })]);
    await insertRows(db, 'bookings', [
      at('booking_overlap', {
        shift_id: otherShift,
        period: '[2027-06-15T18:00:00Z,2027-06-15T21:00:00Z)',
        status: 'confirmed',
      }),
      // Monday of the same local week; the cap of this volunteer is 1.
      at('weekly_cap', {
        shift_id: otherShift,
        period: '[2027-06-14T09:00:00Z,2027-06-14T11:00:00Z)',
        status: 'attended',
      }),
    ]);
  }

  async function insertVolunteers(): Promise<void> {
    const accounts: Row[] = [];
    const volunteers: Row[] = [];
    const windows: Row[] = [];
    for (const [name, id] of Object.entries(ids)) {
      const far = name === 'out_of_reach';
      accounts.push({
        id,
        email: `${name}@example.org`,
        role: 'volunteer',
        email_verified_at: name === 'unverified' ? null : '2026-01-01T00:00:00Z',
      });
      volunteers.push({
        account_id: id,
        name,
        time_zone: 'Europe/London',
        home_lat: CENTRE.lat + (far ? 0.2 : 0.009),
        home_lon: CENTRE.lon,
        travel_km: 10,
        skills: name === 'skills' ? ['first-aid'] : ['cooking'],
        causes: name === 'cause' ? ['animal_shelter'] : [],
        weekly_shift_cap: name === 'weekly_cap' ? 1 : 2,
        status: name === 'paused' ? 'paused' : 'active',
      });
      const start = name === 'availability' ? '17:30' : '16:00';
      windows.push({ id: uuid(), volunteer_id: id, weekday: 2, start_local: start, end_local: '21:00' });
    }
    await insertRows(db, 'accounts', accounts);
    await insertRows(db, 'volunteers', volunteers);
    await insertRows(db, 'availability_windows', windows);
  }

  async function search() {
    return service.findMatchesForShift(shiftId, { limit: 50, excludeVolunteerIds: [ids.excluded_by_caller] });
  }

  it('matches the reference volunteer alone, with a score and an explanation in their time zone', async () => {
    const result = await search();
    expect(result.matches.map((m) => m.volunteerId)).toEqual([ids.reference]);
    const [match] = result.matches;
    expect(match.explanation).toBe('1.0 km away · has cooking · fits your Tuesday 16:00–21:00');
    expect(match.window).toEqual({ weekday: 2, start: '16:00:00', end: '21:00:00', localDate: '2027-06-15' });
    expect(match.score.total).toBeCloseTo(
      match.score.distance + match.score.niceSkills + match.score.reliability + match.score.freshness,
    );
    expect(match.distanceKm).toBeCloseTo(1.0, 1);
  });

  it('counts every excluded volunteer under exactly its rule; out of reach and caller-excluded are not candidates', async () => {
    const result = await search();
    expect(result.excluded).toEqual(Object.fromEntries(EXCLUSION_RULES.map((rule) => [rule, 1])));
    expect(result.totalCandidates).toBe(EXCLUSION_RULES.length + 1);
    expect(result.complete).toBe(true);
  });

  it.each(EXCLUSION_RULES.map((rule) => [rule]))(
    'a volunteer failing only "%s" is excluded from both searches',
    async (rule) => {
      const result = await search();
      expect(result.matches.map((m) => m.volunteerId)).not.toContain(ids[rule]);
      expect(result.excluded[rule]).toBe(1);
      expect(await service.findShiftsForVolunteer(ids[rule], { limit: 10 })).toEqual([]);
    },
  );

  it.each(EXCLUSION_RULES.map((rule) => [rule]))(
    'the single-pair check names "%s" for the volunteer failing only it',
    async (rule) => {
      expect(await service.checkPair(orm.em.fork(), shiftId, ids[rule])).toEqual({ ok: false, rule });
    },
  );

  it("the single-pair check passes the reference volunteer with the search's own match, and skips only the rules it is told to", async () => {
    const [searched] = (await search()).matches;
    expect(await service.checkPair(orm.em.fork(), shiftId, ids.reference)).toEqual({ ok: true, match: searched });
    expect((await service.checkPair(orm.em.fork(), shiftId, ids.already_offered, ['already_offered'])).ok).toBe(true);
    expect(await service.checkPair(orm.em.fork(), shiftId, ids.declined, ['already_offered'])).toEqual({
      ok: false,
      rule: 'declined',
    });
  });

  it('lists the shift for the reference volunteer, explained', async () => {
    const shifts = await service.findShiftsForVolunteer(ids.reference, { limit: 10 });
    expect(shifts.map((s) => s.shiftId)).toEqual([shiftId]);
    expect(shifts[0].startsAt.toISOString()).toBe('2027-06-15T16:00:00.000Z');
    expect(shifts[0].explanation).toBe('1.0 km away · has cooking · fits your Tuesday 16:00–21:00');
  });

  it('sees a window change at once (the trigger keeps the weekly availability)', async () => {
    await db.query(`update availability_windows set start_local = '17:01' where volunteer_id = $1`, [ids.reference]);
    expect((await search()).matches).toEqual([]);
    await db.query(`update availability_windows set start_local = '16:00' where volunteer_id = $1`, [ids.reference]);
    expect((await search()).matches.map((m) => m.volunteerId)).toEqual([ids.reference]);
  });

  it('sees exceptions come and go (the trigger keeps the away dates)', async () => {
    await insertRows(db, 'availability_exceptions', [
      { id: uuid(), volunteer_id: ids.reference, starts_on: '2027-06-14', ends_on: '2027-06-20' },
    ]);
    expect((await search()).excluded.away).toBe(2);
    await db.query(`delete from availability_exceptions where volunteer_id = $1`, [ids.reference]);
    expect((await search()).matches.map((m) => m.volunteerId)).toEqual([ids.reference]);
  });

  it('sees verification and pausing at once', async () => {
    await db.query(`update accounts set email_verified_at = null where id = $1`, [ids.reference]);
    expect((await search()).excluded.unverified).toBe(2);
    await db.query(`update accounts set email_verified_at = now() where id = $1`, [ids.reference]);
    expect((await search()).matches).toHaveLength(1);
  });

  it("walks the required skill's partial GiST index nearest first (KNN), JIT off", async () => {
    await db.query('analyze volunteers');
    const { plan } = await runVolunteerWalk(orm.em, shiftId, { limit: 10, forceKnn: true, explain: true });
    const text = plan.join('\n');
    expect(text).toMatch(/Index Scan using volunteers_skill_cooking_home_gist on volunteers/);
    expect(text).toMatch(/Order By: \(home <-> /);
    expect(text).not.toMatch(/JIT|Sort/);
  });

  it('rejects an unknown shift', async () => {
    await expect(service.findMatchesForShift(uuid(), { limit: 10 })).rejects.toThrow(/not found/);
  });
});
