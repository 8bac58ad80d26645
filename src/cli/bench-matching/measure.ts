import type { EntityManager } from '@mikro-orm/postgresql';
import { isoWeekBounds, shiftFitsAvailability } from '../../../libs/common/availability.js';
import { distanceKm } from '../../../libs/matching/core/distance.js';
import { MatchingService, runVolunteerWalk } from '../../../libs/matching/index.js';
import { MatchingRepository } from '../../../libs/matching/matching.repository.js';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

export function percentiles(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: sorted.length };
}

/** Open future shifts in a fixed pseudo-random order, so every size queries comparable shifts. */
export async function pickShifts(em: EntityManager, count: number): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from shifts where status = 'open' and starts_at > now() order by md5(id::text) limit ${Math.trunc(count)}`,
  );
  return rows.map((r) => r.id);
}

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await work();
  return [performance.now() - t, result];
}

export interface ServiceSample {
  shiftId: string;
  ms: number;
  matches: number;
  complete: boolean;
  radiusKm: number;
  candidates: number;
}

export interface ServiceRun {
  latency: Latency;
  samples: ServiceSample[];
  perShiftMs: Map<string, number>;
  topIds: Map<string, string[]>;
  avgMatches: number;
  completeShare: number;
}

/** findMatchesForShift, top 50, whole service call (walk, exact checks, scoring, exclusion counts). */
export async function measureService(em: EntityManager, shifts: string[]): Promise<ServiceRun> {
  const service = new MatchingService(new MatchingRepository(em));
  const perShiftMs = new Map<string, number>();
  const topIds = new Map<string, string[]>();
  const samples: ServiceSample[] = [];
  let matches = 0;
  let complete = 0;
  for (const id of shifts) {
    const [ms, result] = await time(() => service.findMatchesForShift(id, { limit: 50 }));
    samples.push({
      shiftId: id,
      ms,
      matches: result.matches.length,
      complete: result.complete,
      radiusKm: result.examinedRadiusKm,
      candidates: result.totalCandidates,
    });
    perShiftMs.set(id, ms);
    topIds.set(
      id,
      result.matches.map((m) => m.volunteerId),
    );
    matches += result.matches.length;
    if (result.complete) complete += 1;
  }
  return {
    latency: percentiles([...perShiftMs.values()]),
    samples,
    perShiftMs,
    topIds,
    avgMatches: matches / shifts.length,
    completeShare: complete / shifts.length,
  };
}

/** The service's own walk SQL as one `LIMIT 54` query, on the forced KNN plan or the planner's own plan. */
export async function measureWalk(em: EntityManager, shifts: string[], forceKnn: boolean): Promise<Latency> {
  const samples: number[] = [];
  for (const id of shifts) samples.push((await time(() => runVolunteerWalk(em, id, { limit: 54, forceKnn })))[0]);
  return percentiles(samples);
}

interface NaiveShift {
  id: string;
  organisation_id: string;
  kind: string;
  lat: number;
  lon: number;
  starts_ms: number;
  ends_ms: number;
  required_skills: string[];
  location: string;
}
interface NaiveVolunteer {
  id: string;
  time_zone: string;
  lat: number;
  lon: number;
  cap: number;
}

/**
 * The naive baseline: the same hard rules written the obvious way. SQL fetches every active,
 * verified volunteer with the skills and causes whose travel radius covers the shift (the
 * planner's plan, GIN/GiST indexes available), then their windows, exceptions, bookings, offers
 * and blocks; application code applies the rest with the same pure core, sorts by distance and
 * keeps the nearest `limit`.
 */
export async function naiveMatches(em: EntityManager, shiftId: string, limit: number): Promise<string[]> {
  return em.fork().transactional(
    async (tx) => {
      await tx.execute(`select set_config('jit', 'off', true)`);
      const [shift] = await tx.execute<NaiveShift[]>(
        `select s.id, s.organisation_id, o.kind::text as kind, s.lat, s.lon, s.location::text as location, s.required_skills,
              extract(epoch from s.starts_at)::float8 * 1000 as starts_ms, extract(epoch from s.ends_at)::float8 * 1000 as ends_ms
         from shifts s join organisations o on o.id = s.organisation_id where s.id = ?::uuid`,
        [shiftId],
      );
      const candidates = await tx.execute<NaiveVolunteer[]>(
        `select v.account_id as id, v.time_zone, v.home_lat as lat, v.home_lon as lon, v.weekly_shift_cap as cap
         from volunteers v join accounts a on a.id = v.account_id
        where a.email_verified_at is not null and v.status = 'active'
          and v.skills @> ?::text[] and (cardinality(v.causes) = 0 or ?::organisation_kind = any(v.causes))
          and st_dwithin(v.home, ?::geography, v.travel_m)`,
        [`{${shift.required_skills.join(',')}}`, shift.kind, shift.location],
      );
      const facts = await loadFacts(
        tx,
        shift,
        candidates.map((c) => c.id),
      );
      const fit = candidates.filter((v) => naiveAccepts(shift, v, facts));
      const withDistance = fit.map((v) => ({ id: v.id, km: distanceKm(v, shift) }));
      return withDistance
        .sort((a, b) => a.km - b.km)
        .slice(0, limit)
        .map((v) => v.id);
    },
    { readOnly: true },
  );
}

interface Facts {
  windows: Map<string, { weekday: number; start: string; end: string }[]>;
  exceptions: Map<string, { startsOn: string; endsOn: string }[]>;
  bookings: Map<string, { start: number; end: number }[]>;
  excluded: Set<string>;
}

async function loadFacts(em: EntityManager, shift: NaiveShift, ids: string[]): Promise<Facts> {
  const list = `{${ids.join(',')}}`;
  const group = <T>(rows: (T & { volunteer_id: string })[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.volunteer_id, [...(map.get(row.volunteer_id) ?? []), row]);
    return map;
  };
  const windows = await em.execute(
    `select volunteer_id, weekday, start_local::text as start, end_local::text as end
    from availability_windows where volunteer_id = any(?::uuid[])`,
    [list],
  );
  const exceptions = await em.execute(
    `select volunteer_id, starts_on::text as "startsOn", ends_on::text as "endsOn"
    from availability_exceptions where volunteer_id = any(?::uuid[])`,
    [list],
  );
  const bookings = await em.execute(
    `select volunteer_id, extract(epoch from lower(period))::float8 * 1000 as start,
    extract(epoch from upper(period))::float8 * 1000 as end from bookings
    where volunteer_id = any(?::uuid[]) and status in ('confirmed', 'attended')`,
    [list],
  );
  const excluded = await em.execute<{ volunteer_id: string }[]>(
    `select volunteer_id from offers where shift_id = ?::uuid
    union select volunteer_id from organisation_blocks where organisation_id = ?::uuid`,
    [shift.id, shift.organisation_id],
  );
  return {
    windows: group(windows as any),
    exceptions: group(exceptions as any),
    bookings: group(bookings as any),
    excluded: new Set(excluded.map((r) => r.volunteer_id)),
  };
}

function naiveAccepts(shift: NaiveShift, v: NaiveVolunteer, facts: Facts): boolean {
  if (facts.excluded.has(v.id)) return false;
  const slot = { startsAt: new Date(shift.starts_ms), endsAt: new Date(shift.ends_ms) };
  if (!shiftFitsAvailability(slot, facts.windows.get(v.id) ?? [], v.time_zone, facts.exceptions.get(v.id) ?? []).fits)
    return false;
  const booked = facts.bookings.get(v.id) ?? [];
  if (booked.some((b) => b.start < shift.ends_ms && shift.starts_ms < b.end)) return false;
  const week = isoWeekBounds(slot.startsAt, v.time_zone);
  return booked.filter((b) => b.start >= week.start.getTime() && b.start < week.end.getTime()).length < v.cap;
}

export interface NaiveRun {
  latency: Latency;
  /** Share of the service's top 50 that the naive search also returns (ties at equal distance may differ). */
  agreement: number;
}

export async function measureNaive(em: EntityManager, shifts: string[], service: ServiceRun): Promise<NaiveRun> {
  const samples: number[] = [];
  let same = 0;
  let total = 0;
  for (const id of shifts) {
    const [ms, ids] = await time(() => naiveMatches(em, id, 50));
    samples.push(ms);
    const fast = new Set(service.topIds.get(id) ?? []);
    same += ids.filter((x) => fast.has(x)).length;
    total += Math.max(ids.length, fast.size);
  }
  return { latency: percentiles(samples), agreement: total === 0 ? 1 : same / total };
}

/** EXPLAIN (ANALYZE, BUFFERS): the walk and the counts as the service runs them, and the walk on the planner's own plan. */
export async function explainWalk(
  em: EntityManager,
  shiftId: string,
): Promise<{ knn: string[]; counts: string[]; planner: string[] }> {
  const knn = await runVolunteerWalk(em, shiftId, { limit: 54, forceKnn: true, explain: true });
  const planner = await runVolunteerWalk(em, shiftId, { limit: 54, forceKnn: false, explain: true });
  return { knn: knn.plan, counts: knn.countsPlan, planner: planner.plan };
}
