import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../http/domain-errors.js';
import { isoWeekBounds, shiftFitsAvailability, type WeeklyWindow } from './core/availability.js';
import { distanceKm } from './core/distance.js';
import { explainMatch, scoreMatch, type ScoreBreakdown } from './core/score.js';

/**
 * Hard rules a volunteer within reach of a shift can fail, in the order they are counted: each
 * excluded volunteer is counted once, under the first rule they fail (see `excluded`).
 */
export const EXCLUSION_RULES = [
  'unverified',
  'paused',
  'cause',
  'skills',
  'declined',
  'already_offered',
  'blocked',
  'away',
  'availability',
  'booking_overlap',
  'weekly_cap',
] as const;
export type ExclusionRule = (typeof EXCLUSION_RULES)[number];

export interface MatchWindow extends WeeklyWindow {
  /** Local date (volunteer's zone) the window occurrence containing the shift starts on. */
  localDate: string;
}

export interface Match {
  volunteerId: string;
  score: ScoreBreakdown;
  distanceKm: number;
  explanation: string;
  window: MatchWindow;
}

export interface ShiftMatches {
  matches: Match[];
  /**
   * Volunteers who could reach the shift (it lies within their own travel distance) and were
   * examined, counted under the FIRST rule they fail in EXCLUSION_RULES order, so
   * totalCandidates = sum(excluded) + eligible. When `complete` is false the search stopped
   * early with enough matches; the counts then cover volunteers no farther than the farthest
   * one examined (`examinedRadiusKm`), not the whole travel radius.
   */
  excluded: Record<ExclusionRule, number>;
  totalCandidates: number;
  complete: boolean;
  examinedRadiusKm: number;
}

export interface ShiftForVolunteer {
  shiftId: string;
  distanceKm: number;
  explanation: string;
  startsAt: Date;
  endsAt: Date;
  score: ScoreBreakdown;
}

/**
 * Matches are ranked by score inside consecutive pools of this many eligible volunteers taken
 * nearest first: pool 1 holds the 50 nearest eligible, ranked; pool 2 the next 50, and so on.
 * A page is a slice of that one well-defined order, so pages never overlap or skip, and the
 * search only has to find offset + limit (rounded up to a pool) eligible volunteers instead of
 * scoring everyone within 200 km. Distance dominates the score anyway.
 */
export const RANK_POOL = 50;
/** The largest travel radius a volunteer may choose (volunteers.travel_km check), plus 1 %
 *  because the walk measures on the sphere and the travel rule on the WGS84 spheroid. */
const SEARCH_RADIUS_M = 202_000;
const LIVE_BOOKING = `('confirmed', 'attended')`;

interface ShiftRow {
  id: string;
  organisation_id: string;
  kind: string;
  period: string;
  location: string;
  lat: number;
  lon: number;
  starts_ms: number;
  ends_ms: number;
  required_skills: string[];
  nice_skills: string[];
}

/** Per-volunteer facts the exact check and the score need, read with the candidate row. */
interface VolunteerFacts {
  time_zone: string;
  weekly_shift_cap: number;
  windows: [number, string, string][];
  exceptions: [string, string][];
  week_bookings: number[];
  attended: number;
  no_shows: number;
  recent_offers: number;
}

interface CandidateRow extends VolunteerFacts {
  id: string;
  travel_km: number;
  travel_m: number;
  skills: string[];
  lat: number;
  lon: number;
  knn_m: number;
}

interface ShiftCandidateRow {
  id: string;
  lat: number;
  lon: number;
  starts_ms: number;
  ends_ms: number;
  nice_skills: string[];
  required_skills: string[];
  knn_m: number;
}

type Verdict = { ok: true; window: MatchWindow } | { ok: false; rule: ExclusionRule };

/**
 * Finds volunteers for a shift and shifts for a volunteer.
 *
 * The database does the coarse work while a nearest-first KNN index scan walks volunteers
 * (filters applied during the walk, read through a cursor in bounded batches); the exact
 * wall-clock/DST availability rule, the weekly cap in the volunteer's zone, the distance shown
 * and the score come from the pure core, on the short list only.
 */
@Injectable()
export class MatchingService {
  constructor(private readonly em: EntityManager) {}

  async findMatchesForShift(
    shiftId: string,
    options: { limit: number; offset?: number; excludeVolunteerIds?: string[] },
  ): Promise<ShiftMatches> {
    const offset = options.offset ?? 0;
    const wanted = Math.ceil((offset + options.limit) / RANK_POOL) * RANK_POOL;
    return this.inSearchTransaction(async (em) => {
      const shift = await loadShift(em, shiftId);
      const exclude = options.excludeVolunteerIds ?? [];
      const walk = await walkVolunteers(em, shift, exclude, wanted);
      const counts = await countExclusions(em, shift, exclude, walk.complete ? SEARCH_RADIUS_M : walk.stopM);
      const ranked = rankInPools(walk.eligible);
      return {
        matches: ranked.slice(offset, offset + options.limit),
        excluded: pick(counts, EXCLUSION_RULES),
        totalCandidates: counts.total,
        complete: walk.complete,
        examinedRadiusKm: (walk.complete ? SEARCH_RADIUS_M : walk.stopM) / 1000,
      };
    });
  }

  async findShiftsForVolunteer(
    volunteerId: string,
    options: { limit: number; offset?: number },
  ): Promise<ShiftForVolunteer[]> {
    const offset = options.offset ?? 0;
    return this.inSearchTransaction(async (em) => {
      const volunteer = await loadVolunteer(em, volunteerId);
      if (!volunteer.matchable) return [];
      const found = await walkShifts(em, volunteer, offset + options.limit);
      return found.slice(offset, offset + options.limit);
    });
  }

  /**
   * One read-only snapshot for the cursor and the counts. JIT off: PostgreSQL compiles these
   * PostGIS-heavy plans for 40–270 ms per query, far more than the query itself.
   */
  private inSearchTransaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(
      async (em) => {
        await em.execute(`select set_config('jit', 'off', true)`);
        return work(em);
      },
      { readOnly: true, isolationLevel: 'repeatable read' },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Volunteers for a shift

async function loadShift(em: EntityManager, shiftId: string): Promise<ShiftRow> {
  // period/location go back into later queries as text, so they round-trip exactly.
  const [row] = await em.execute<ShiftRow[]>(
    `select s.id, s.organisation_id, o.kind::text as kind, s.period::text as period, s.location::text as location,
            s.lat, s.lon, extract(epoch from s.starts_at)::float8 * 1000 as starts_ms,
            extract(epoch from s.ends_at)::float8 * 1000 as ends_ms, s.required_skills, s.nice_skills
       from shifts s join organisations o on o.id = s.organisation_id
      where s.id = ?::uuid`,
    [shiftId],
  );
  if (!row) throw new NotFoundError('The shift');
  return row;
}

/**
 * The hard rules as SQL over volunteer `v` and shift parameters. Each rule is also a branch of
 * the counting CASE, so the walk and the counts cannot disagree. `?` placeholders are bound by
 * `shiftParams` in this order.
 */
const RULE_SQL: Record<ExclusionRule, string> = {
  unverified: `not v.email_verified`,
  paused: `v.status <> 'active'`,
  cause: `cardinality(v.causes) > 0 and not (:kind::organisation_kind = any(v.causes))`,
  skills: `not (v.skills @> :required::text[])`,
  // Hashed subplans (evaluated once per query): a shift has few offers, an organisation few blocks.
  declined: `v.account_id in (select o.volunteer_id from offers o where o.shift_id = :shift::uuid and o.status = 'declined')`,
  already_offered: `v.account_id in (select o.volunteer_id from offers o where o.shift_id = :shift::uuid)`,
  blocked: `v.account_id in (select b.volunteer_id from organisation_blocks b where b.organisation_id = :org::uuid)`,
  away: `v.away_dates && daterange((lower(:period::tstzrange) at time zone v.time_zone)::date,
           ((upper(:period::tstzrange) - interval '1 millisecond') at time zone v.time_zone)::date, '[]')`,
  availability: `not matching_availability_may_fit(v.weekly_availability, v.time_zone, lower(:period::tstzrange), upper(:period::tstzrange))`,
  // Correlated probes, reached only by volunteers who passed everything cheaper. OFFSET 0 keeps
  // the planner from turning them into joins, which would lose the walk's nearest-first order.
  booking_overlap: `exists (select 1 from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
           and b.period && :period::tstzrange offset 0)`,
  // Definitely over the cap: counted over the volunteer's local ISO week shrunk by 3 h at each
  // end, because PostgreSQL resolves a Monday 00:00 inside a DST change differently from the core.
  weekly_cap: `${bookingsInLocalWeek('3 hours')} >= v.weekly_shift_cap`,
};

/** Live bookings of `v` starting in its local ISO week of the shift, the week shrunk by `margin`. */
function bookingsInLocalWeek(margin: string): string {
  const monday = `date_trunc('week', lower(:period::tstzrange) at time zone v.time_zone)`;
  return `(select count(*) from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
           and lower(b.period) >= (${monday} at time zone v.time_zone) + interval '${margin}'
           and lower(b.period) < ((${monday} + interval '7 days') at time zone v.time_zone) - interval '${margin}')`;
}

/**
 * Where the database cannot decide exactly, the counts ask the pure core: availability when
 * windows were merged or near a DST change (the span was shrunk), and the weekly cap when a
 * booking lies within 3 h of a local week edge.
 */
const UNCERTAIN_SQL = {
  afterAvailability: `not v.weekly_windows_disjoint
    or matching_dst_slack(v.time_zone, lower(:period::tstzrange), upper(:period::tstzrange)) > 0`,
  afterWeeklyCap: `${bookingsInLocalWeek('-3 hours')} >= v.weekly_shift_cap`,
};

/** Replaces :name markers with `?` and returns the params in order (MikroORM binds `?`). */
function bind(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const params: unknown[] = [];
  const text = sql.replace(/(?<!:):([a-z_]+)(?=::)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`unbound SQL parameter :${name}`);
    params.push(values[name]);
    return '?';
  });
  return [text, params];
}

function shiftValues(shift: ShiftRow, exclude: string[]): Record<string, unknown> {
  return {
    kind: shift.kind,
    required: pgArray(shift.required_skills),
    shift: shift.id,
    org: shift.organisation_id,
    period: shift.period,
    location: shift.location,
    exclude: pgArray(exclude),
    radius: SEARCH_RADIUS_M,
  };
}

/**
 * Within the volunteer's own travel distance (on the WGS84 spheroid, like the core's
 * distanceKm), and not excluded by the caller. The spheroid distance costs ~4 µs a row, so a
 * sphere test 1 % wider (sphere and spheroid differ by < 0.6 %) runs first.
 */
const REACH_PREFILTER_SQL = `st_dwithin(v.home, :location::geography, v.travel_m * 1.01, false)
  and not (v.account_id = any(:exclude::uuid[]))`;
const REACH_SQL = `${REACH_PREFILTER_SQL} and st_dwithin(v.home, :location::geography, v.travel_m)`;

const CANDIDATE_FACTS_SQL = `
  v.time_zone, v.weekly_shift_cap,
  (select coalesce(json_agg(json_build_array(w.weekday, w.start_local, w.end_local)), '[]')
     from availability_windows w where w.volunteer_id = v.account_id) as windows,
  (select coalesce(json_agg(json_build_array(e.starts_on, e.ends_on)), '[]')
     from availability_exceptions e where e.volunteer_id = v.account_id) as exceptions,
  (select coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000), '[]')
     from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
      and lower(b.period) >= lower(:period::tstzrange) - interval '8 days'
      and lower(b.period) < lower(:period::tstzrange) + interval '8 days') as week_bookings,
  (select count(*)::int from bookings b where b.volunteer_id = v.account_id and b.status = 'attended') as attended,
  (select count(*)::int from bookings b where b.volunteer_id = v.account_id and b.status = 'no_show') as no_shows,
  (select count(*)::int from offers o where o.volunteer_id = v.account_id
      and o.created_at > now() - interval '14 days') as recent_offers`;

/**
 * The KNN walk: nearest first over the partial GiST index of matchable volunteers, every other
 * rule a filter applied while walking (the rows come out in index order, so a LIMIT or a cursor
 * stops the scan early).
 */
function walkSelectSql(): string {
  const rules = EXCLUSION_RULES.filter((r) => r !== 'unverified' && r !== 'paused' && r !== 'declined')
    .map((r) => `and not (${RULE_SQL[r]})`)
    .join('\n     ');
  return `select v.account_id as id, v.travel_km::float8 as travel_km, v.travel_m::float8 as travel_m, v.skills,
         v.home_lat as lat, v.home_lon as lon,
         v.home <-> :location::geography as knn_m, ${CANDIDATE_FACTS_SQL}
    from volunteers v
   where v.status = 'active' and v.email_verified
     and st_dwithin(v.home, :location::geography, :radius::float8, false)
     and ${REACH_PREFILTER_SQL}
     ${rules}
   order by v.home <-> :location::geography`;
}

/**
 * The planner would rather bitmap-scan and sort (it misestimates the per-row radius filter),
 * so for the walk sorts and the alternatives to an index scan are priced out (transaction-local).
 */
const FORCE_KNN_SQL = `select set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true),
                              set_config('enable_seqscan', 'off', true)`;
const UNFORCE_KNN_SQL = `select set_config('enable_sort', 'on', true), set_config('enable_bitmapscan', 'on', true),
                                set_config('enable_seqscan', 'on', true)`;

/**
 * Diagnostics for benchmarks and operators: the volunteer walk of `findMatchesForShift` as one
 * LIMIT query (its database rules only), on the forced KNN plan or on the planner's own
 * choice, optionally as EXPLAIN (ANALYZE, BUFFERS) lines.
 */
export async function runVolunteerWalk(
  em: EntityManager,
  shiftId: string,
  options: { limit: number; forceKnn: boolean; explain?: boolean },
): Promise<{ rows: number; plan: string[] }> {
  return em.fork().transactional(
    async (tx) => {
      await tx.execute(`select set_config('jit', 'off', true)`);
      if (options.forceKnn) await tx.execute(FORCE_KNN_SQL);
      const shift = await loadShift(tx, shiftId);
      const [sql, params] = bind(`${walkSelectSql()} limit ${Math.trunc(options.limit)}`, shiftValues(shift, []));
      const rows = await tx.execute<Record<string, string>[]>(options.explain ? `explain (analyze, buffers) ${sql}` : sql, params);
      return { rows: rows.length, plan: options.explain ? rows.map((r) => r['QUERY PLAN']) : [] };
    },
    { readOnly: true },
  );
}

interface WalkResult {
  eligible: Match[];
  complete: boolean;
  stopM: number;
}

async function walkVolunteers(em: EntityManager, shift: ShiftRow, exclude: string[], wanted: number): Promise<WalkResult> {
  await em.execute(FORCE_KNN_SQL);
  await em.execute(...bind(`declare matching_walk no scroll cursor for ${walkSelectSql()}`, shiftValues(shift, exclude)));
  const result: WalkResult = { eligible: [], complete: false, stopM: 0 };
  // The database filter is nearly exact, so the first batch is sized to finish in one trip.
  let batch = wanted + 8;
  while (result.eligible.length < wanted) {
    const rows = await em.execute<CandidateRow[]>(`fetch ${batch} from matching_walk`);
    for (const row of rows) acceptOrReject(shift, row, result);
    if (rows.length < batch) {
      result.complete = true;
      break;
    }
    result.stopM = rows[rows.length - 1].knn_m;
    batch = Math.max(64, wanted - result.eligible.length);
  }
  await em.execute(`close matching_walk`);
  await em.execute(UNFORCE_KNN_SQL);
  return result;
}

function acceptOrReject(shift: ShiftRow, row: CandidateRow, result: WalkResult): void {
  const km = distanceKm({ lat: row.lat, lon: row.lon }, { lat: shift.lat, lon: shift.lon });
  if (km * 1000 > row.travel_m) return; // the walk tested reach on the sphere, 1 % wide
  const verdict = exactRules(shift.starts_ms, shift.ends_ms, row, false);
  if (!verdict.ok) return;
  const nice = shift.nice_skills.filter((s) => row.skills.includes(s));
  result.eligible.push({
    volunteerId: row.id,
    distanceKm: km,
    score: scoreFor(km, row.travel_km, nice.length, shift.nice_skills.length, row),
    explanation: explainMatch({ distanceKm: km, requiredSkills: shift.required_skills, niceSkillsMatched: nice, window: verdict.window }),
    window: verdict.window,
  });
}

/**
 * The tail of the rules (availability, booking overlap, weekly cap, in counting order), decided
 * exactly by the pure core where the database only approximates.
 */
function exactRules(startsMs: number, endsMs: number, facts: VolunteerFacts, overlapsBooking: boolean): Verdict {
  const startsAt = new Date(startsMs);
  const windows = facts.windows.map(([weekday, start, end]) => ({ weekday, start, end }));
  const exceptions = facts.exceptions.map(([startsOn, endsOn]) => ({ startsOn, endsOn }));
  const fit = shiftFitsAvailability({ startsAt, endsAt: new Date(endsMs) }, windows, facts.time_zone, exceptions);
  if (!fit.fits || !fit.window || !fit.localDate) return { ok: false, rule: fit.reason === 'exception' ? 'away' : 'availability' };
  if (overlapsBooking) return { ok: false, rule: 'booking_overlap' };
  const week = isoWeekBounds(startsAt, facts.time_zone);
  const booked = facts.week_bookings.filter((t) => t >= week.start.getTime() && t < week.end.getTime()).length;
  if (booked >= facts.weekly_shift_cap) return { ok: false, rule: 'weekly_cap' };
  return { ok: true, window: { ...fit.window, localDate: fit.localDate } };
}

function scoreFor(km: number, travelKm: number, niceMatched: number, niceTotal: number, facts: VolunteerFacts): ScoreBreakdown {
  return scoreMatch({
    distanceKm: km,
    travelKm,
    niceSkillsMatched: niceMatched,
    niceSkillsTotal: niceTotal,
    attended: facts.attended,
    noShows: facts.no_shows,
    offersLast14Days: facts.recent_offers,
  });
}

/** Score order inside each RANK_POOL of the nearest-first list; ties: nearer, then id. */
function rankInPools(nearestFirst: Match[]): Match[] {
  const ranked: Match[] = [];
  for (let i = 0; i < nearestFirst.length; i += RANK_POOL) {
    const pool = nearestFirst.slice(i, i + RANK_POOL);
    pool.sort((a, b) => b.score.total - a.score.total || a.distanceKm - b.distanceKm || a.volunteerId.localeCompare(b.volunteerId));
    ranked.push(...pool);
  }
  return ranked;
}

type Counts = Record<ExclusionRule | 'eligible' | 'total', number>;

/** CASE branches naming the first rule a volunteer fails; 'uncertain' rows go to the core. */
function funnelCaseSql(): string {
  const branches: string[] = [];
  for (const rule of EXCLUSION_RULES) {
    if (rule === 'booking_overlap') branches.push(`when ${UNCERTAIN_SQL.afterAvailability} then 'uncertain'`);
    branches.push(`when ${RULE_SQL[rule]} then '${rule}'`);
  }
  branches.push(`when ${UNCERTAIN_SQL.afterWeeklyCap} then 'uncertain'`);
  return `case ${branches.join('\n      ')} else 'eligible' end`;
}

interface FunnelRow {
  rule: ExclusionRule | 'eligible' | 'uncertain';
  n: number;
  facts: (VolunteerFacts & { overlaps_booking: boolean }) | null;
}

/**
 * One pass over the volunteers who can reach the shift and live within `radiusM` (sphere
 * metres, the walk's measure): a CASE names the first rule each fails, and stops at the first
 * true branch, so costly tests run only for volunteers who passed the cheap ones. The few rows
 * the database cannot classify exactly come back with their facts for the pure core.
 */
async function countExclusions(em: EntityManager, shift: ShiftRow, exclude: string[], radiusM: number): Promise<Counts> {
  const sql = `with r as materialized (
      select v.account_id, ${funnelCaseSql()} as rule
        from volunteers v
       where st_dwithin(v.home, :location::geography, :radius::float8, false)
         and v.home <-> :location::geography <= :radius::float8
         and ${REACH_SQL})
    select rule, count(*)::int as n, null::json as facts from r where rule <> 'uncertain' group by rule
    union all
    select 'uncertain', 1, (select row_to_json(f) from (select ${CANDIDATE_FACTS_SQL},
             ${RULE_SQL.booking_overlap} as overlaps_booking) f)
      from r join volunteers v on v.account_id = r.account_id where r.rule = 'uncertain'`;
  const rows = await em.execute<FunnelRow[]>(...bind(sql, { ...shiftValues(shift, exclude), radius: radiusM }));
  const counts = Object.fromEntries([...EXCLUSION_RULES, 'eligible', 'total'].map((k) => [k, 0])) as Counts;
  for (const { rule, n, facts } of rows) {
    const decided = facts ? exactRules(shift.starts_ms, shift.ends_ms, facts, facts.overlaps_booking) : null;
    const name = decided ? (decided.ok ? 'eligible' : decided.rule) : (rule as ExclusionRule | 'eligible');
    counts[name] += n;
    counts.total += n;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Shifts for a volunteer

interface VolunteerRow extends VolunteerFacts {
  id: string;
  matchable: boolean;
  home: string;
  lat: number;
  lon: number;
  travel_km: number;
  travel_m: number;
  skills: string[];
  causes: string;
  weekly_availability: string;
  away_dates: string;
}

async function loadVolunteer(em: EntityManager, volunteerId: string): Promise<VolunteerRow> {
  const [row] = await em.execute<VolunteerRow[]>(
    `select v.account_id as id, (v.status = 'active' and v.email_verified) as matchable, v.home::text as home,
            v.home_lat as lat, v.home_lon as lon, v.travel_km::float8 as travel_km, v.travel_m::float8 as travel_m,
            v.skills, v.causes::text as causes, v.weekly_availability::text as weekly_availability,
            v.away_dates::text as away_dates, v.time_zone, v.weekly_shift_cap,
            (select coalesce(json_agg(json_build_array(w.weekday, w.start_local, w.end_local)), '[]')
               from availability_windows w where w.volunteer_id = v.account_id) as windows,
            (select coalesce(json_agg(json_build_array(e.starts_on, e.ends_on)), '[]')
               from availability_exceptions e where e.volunteer_id = v.account_id) as exceptions,
            (select coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000), '[]')
               from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
                and lower(b.period) >= now() - interval '8 days') as week_bookings,
            (select count(*)::int from bookings b where b.volunteer_id = v.account_id and b.status = 'attended') as attended,
            (select count(*)::int from bookings b where b.volunteer_id = v.account_id and b.status = 'no_show') as no_shows,
            (select count(*)::int from offers o where o.volunteer_id = v.account_id
                and o.created_at > now() - interval '14 days') as recent_offers
       from volunteers v where v.account_id = ?::uuid`,
    [volunteerId],
  );
  if (!row) throw new NotFoundError('The volunteer');
  return row;
}

/**
 * Open future shifts with a free slot within the volunteer's travel distance, nearest first
 * (KNN over the partial GiST index of open shifts), same-distance shifts soonest first. The
 * volunteer's own availability, away dates, skills and causes are constants here.
 */
const SHIFT_WALK_SQL = `declare shift_walk no scroll cursor for
  select s.id, s.lat, s.lon, extract(epoch from s.starts_at)::float8 * 1000 as starts_ms,
         extract(epoch from s.ends_at)::float8 * 1000 as ends_ms, s.required_skills, s.nice_skills,
         s.location <-> :home::geography as knn_m
    from shifts s join organisations o on o.id = s.organisation_id
   where s.status = 'open' and s.starts_at > now() and s.filled < s.capacity
     and st_dwithin(s.location, :home::geography, :travel::float8)
     and s.required_skills <@ :skills::text[]
     and (cardinality(:causes::organisation_kind[]) = 0 or o.kind = any(:causes::organisation_kind[]))
     and matching_availability_may_fit(:weekly::int4multirange, :zone::text, s.starts_at, s.ends_at)
     and not (:away::datemultirange && daterange((s.starts_at at time zone :zone::text)::date,
              ((s.ends_at - interval '1 millisecond') at time zone :zone::text)::date, '[]'))
     and s.organisation_id not in (select b.organisation_id from organisation_blocks b where b.volunteer_id = :volunteer::uuid)
     and s.id not in (select f.shift_id from offers f where f.volunteer_id = :volunteer::uuid)
     and not exists (select 1 from bookings b where b.volunteer_id = :volunteer::uuid and b.status in ${LIVE_BOOKING}
                     and b.period && s.period offset 0)
   order by s.location <-> :home::geography, s.starts_at, s.id`;

async function walkShifts(em: EntityManager, v: VolunteerRow, wanted: number): Promise<ShiftForVolunteer[]> {
  const values = {
    home: v.home, travel: v.travel_m, skills: pgArray(v.skills), causes: v.causes, weekly: v.weekly_availability,
    zone: v.time_zone, away: v.away_dates, volunteer: v.id,
  };
  await em.execute(...bind(SHIFT_WALK_SQL, values));
  const found: ShiftForVolunteer[] = [];
  let batch = wanted + 8;
  for (;;) {
    const rows = await em.execute<ShiftCandidateRow[]>(`fetch ${batch} from shift_walk`);
    for (const row of rows) {
      const match = shiftIfFits(v, row);
      if (match) found.push(match);
    }
    if (found.length >= wanted || rows.length < batch) break;
    batch = Math.max(64, wanted - found.length);
  }
  await em.execute(`close shift_walk`);
  return found;
}

function shiftIfFits(v: VolunteerRow, row: ShiftCandidateRow): ShiftForVolunteer | null {
  const verdict = exactRules(row.starts_ms, row.ends_ms, v, false);
  if (!verdict.ok) return null;
  const km = distanceKm({ lat: v.lat, lon: v.lon }, { lat: row.lat, lon: row.lon });
  const nice = row.nice_skills.filter((s) => v.skills.includes(s));
  return {
    shiftId: row.id,
    distanceKm: km,
    explanation: explainMatch({ distanceKm: km, requiredSkills: row.required_skills, niceSkillsMatched: nice, window: verdict.window }),
    startsAt: new Date(row.starts_ms),
    endsAt: new Date(row.ends_ms),
    score: scoreFor(km, v.travel_km, nice.length, row.nice_skills.length, v),
  };
}

// ---------------------------------------------------------------------------------------------

/** A PostgreSQL array literal ('{"a","b"}'), for binding through MikroORM's `?` placeholders. */
function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

function pick<K extends string>(counts: Record<string, number>, keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0])) as Record<K, number>;
}

