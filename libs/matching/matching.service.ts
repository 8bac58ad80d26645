import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type pg from 'pg';
import {
  NotFoundError,
  isoWeekBounds,
  shiftFitsAvailability,
  type AvailabilityFit,
  type WeeklyWindow,
} from '../common/index.js';
import { distanceKm } from './core/distance.js';
import { explainMatch, scoreMatch, type ScoreBreakdown } from './core/score.js';
import { LazyDedicatedPool } from '../platform/index.js';
import { SEARCH_POOL, SEARCH_SETTINGS } from './search-pool.js';

/**
 * Hard rules a volunteer within reach of a shift can fail, in the order they are counted: each
 * excluded volunteer is counted once, under the first rule they fail (see ShiftMatches).
 * 'already_offered' is any offer for this shift other than a declined one, or any booking of it
 * (a place they booked themselves, even one they cancelled): a volunteer with a pending, accepted,
 * expired or withdrawn offer or a booking is not offered the same shift again (offers and bookings
 * are unique per shift and volunteer anyway).
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
   * The answer to "why so few?": the volunteers nearest to the shift who could reach it (it lies
   * within their own travel distance), at most COUNT_SAMPLE of them and none farther than the
   * search went, each counted once under the FIRST rule they fail in EXCLUSION_RULES order. The
   * rest were eligible, so totalCandidates = sum(excluded) + eligible among them.
   */
  excluded: Record<ExclusionRule, number>;
  /** How many volunteers the counts cover. */
  totalCandidates: number;
  /** True when the counts cover everyone within reach of the shift (no sample limit hit). */
  complete: boolean;
  /** Distance of the farthest volunteer the counts cover (the whole 202 km when complete). */
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
 * scoring everyone within 200 km. Distance is the heaviest score weight anyway.
 */
export const RANK_POOL = 50;
/** The exclusion counts cover at most this many of the nearest volunteers within reach. */
export const COUNT_SAMPLE = 200;
/** The largest travel radius a volunteer may choose (volunteers.travel_km check), plus 1 %
 *  because the walk measures on the sphere and the travel rule on the WGS84 spheroid. */
const SEARCH_RADIUS_M = 202_000;
/** Sphere and spheroid distances differ by < 0.6 %: within 1 % either way the core decides. */
const SPHERE_MARGIN = 1.01;
const LIVE_BOOKING = `('confirmed', 'attended')`;
/** What the counts query calls a volunteer: a rule, eligible, or a case for the core. */
type CountLabel = ExclusionRule | 'eligible' | 'uncertain_availability' | 'uncertain_cap';

interface ShiftRow {
  id: string;
  organisation_id: string;
  kind: string;
  /** The organisation's zone and the shift's local-clock facts in it, computed once (see ZONE_SQL). */
  zone: string;
  span: string;
  slack: number;
  span_shrunk: string;
  local_dates: string;
  period: string;
  location: string;
  lat: number;
  lon: number;
  starts_ms: number;
  ends_ms: number;
  required_skills: string[];
  nice_skills: string[];
  /** The hours of the UTC week the shift touches, as an int[] literal (see migration AvailabilityHours20261128). */
  utc_hours: string;
}

/** Per-volunteer facts the exact check and the score need, read with the candidate row. */
interface VolunteerFacts {
  time_zone: string;
  weekly_shift_cap: number;
  skills: string[];
  travel_km: number;
  windows: [number, string, string][];
  exceptions: [string, string][];
  week_bookings: number[];
  /** [attended, no-shows] */
  history: [number, number];
  recent_offers: number;
  overlaps_booking: boolean;
}

/** A volunteer the walk found passing every rule the database can test; the core decides the rest. */
interface WalkRow extends VolunteerFacts {
  id: string;
  lat: number;
  lon: number;
  travel_m: number;
  knn_m: number;
}

/** One volunteer of the exclusion counts' sample: its label, or its facts when the core must decide. */
interface CountRow {
  label: CountLabel;
  knn_m: number;
  facts: VolunteerFacts | null;
}

type Verdict = { ok: true; window: MatchWindow } | { ok: false; rule: ExclusionRule };

/** A hard rule one volunteer fails for one shift: the searches' rules, plus reach (the searches only look within it). */
export type FitRule = ExclusionRule | 'too_far';
export type PairFit = { ok: true; match: Match } | { ok: false; rule: FitRule };
type Counts = Record<ExclusionRule, number>;

/**
 * Finds volunteers for a shift and shifts for a volunteer.
 *
 * For a shift, a nearest-first KNN index scan walks the matchable volunteers (over the partial
 * index of the shift's rarest required skill, when it has one), every rule the database can
 * test applied as a filter while walking, read through a cursor in bounded batches until enough
 * matches are found or the 200 km radius is exhausted. The rules the database only approximates
 * (wall-clock availability near DST changes, the weekly cap in the volunteer's zone, spheroid
 * distance) are decided by the pure core on that short list, which also scores and explains.
 * The exclusion counts come from a second bounded KNN query over all volunteers within reach,
 * labelling each with the first rule it fails.
 */
@Injectable()
export class MatchingService implements OnApplicationShutdown {
  /** The shift search's own connections, opened with SEARCH_SETTINGS (see search-pool.ts). */
  private readonly searchPool: LazyDedicatedPool;

  constructor(private readonly em: EntityManager) {
    this.searchPool = new LazyDedicatedPool(em, SEARCH_POOL);
  }

  private get search(): SearchDb {
    return poolDb(this.searchPool.get());
  }

  onApplicationShutdown(): Promise<void> {
    return this.searchPool.release();
  }

  async findMatchesForShift(
    shiftId: string,
    options: {
      limit: number;
      offset?: number;
      excludeVolunteerIds?: string[];
      /** False skips the exclusion counts (the offer waves only need the matches): they come back all zero. */
      counts?: boolean;
    },
  ): Promise<ShiftMatches> {
    const offset = options.offset ?? 0;
    const wanted = Math.ceil((offset + options.limit) / RANK_POOL) * RANK_POOL;
    const db = this.search;
    const shift = await loadShift(db.run, shiftId);
    const exclude = options.excludeVolunteerIds ?? [];
    const exact = new ExactRules();
    // The walk and the counts sample are independent queries: they run side by side on two
    // pooled connections and meet here (measured faster than one after the other).
    const [walk, sample] = await Promise.all([
      walkVolunteers(db, shift, exclude, wanted, exact),
      options.counts === false ? [] : countSample(db.run, shift, exclude),
    ]);
    const counts = tally(shift, sample, walk.exhausted ? Infinity : walk.stopM, exact);
    const complete = walk.exhausted && sample.length < COUNT_SAMPLE;
    return {
      matches: rankInPools(walk.eligible).slice(offset, offset + options.limit),
      excluded: counts.excluded,
      totalCandidates: counts.total,
      complete,
      examinedRadiusKm: (complete ? SEARCH_RADIUS_M : counts.radiusM) / 1000,
    };
  }

  /**
   * Whether one volunteer passes every hard rule for one shift, right now: the counts' rule labels
   * (labelSql) for this one row, the walk's reach test and the pure core where the database only
   * approximates — the searches' own rules, not a copy. Runs on the caller's EntityManager, so a
   * booking checks inside its own transaction, after taking its locks. `skip` leaves rules out
   * (self-booking skips 'already_offered': their own offer is withdrawn when they book).
   */
  async checkPair(
    em: EntityManager,
    shiftId: string,
    volunteerId: string,
    skip: readonly ExclusionRule[] = [],
  ): Promise<PairFit> {
    const run = ormRun(em);
    const shift = await loadShift(run, shiftId);
    const [row] = await run<PairRow>(pairSql(skip), { ...shiftValues(shift, []), volunteer: volunteerId });
    if (!row) throw new NotFoundError('The volunteer');
    if (row.label !== 'eligible' && !row.label.startsWith('uncertain'))
      return { ok: false, rule: row.label as ExclusionRule };
    const km = distanceKm(row, shift);
    if (km * 1000 > row.travel_m) return { ok: false, rule: 'too_far' };
    const verdict = new ExactRules().verdict(shift.starts_ms, shift.ends_ms, row);
    return verdict.ok
      ? { ok: true, match: toMatch(shift, row, km, verdict.window) }
      : { ok: false, rule: verdict.rule };
  }

  async findShiftsForVolunteer(
    volunteerId: string,
    options: { limit: number; offset?: number },
  ): Promise<ShiftForVolunteer[]> {
    const offset = options.offset ?? 0;
    // One snapshot for the volunteer and the cursor over shifts.
    return this.search.inTransaction(async (run) => {
      const volunteer = await loadVolunteer(run, volunteerId);
      if (!volunteer.matchable) return [];
      const found = await walkShifts(run, volunteer, offset + options.limit);
      return found.slice(offset, offset + options.limit);
    });
  }
}

/** SEARCH_SETTINGS as transaction-local settings, for the diagnostics on the ORM's connections. */
const SEARCH_SETTINGS_SQL = `select ${Object.entries(SEARCH_SETTINGS)
  .filter(([name]) => name !== 'default_transaction_read_only')
  .map(([name, value]) => `set_config('${name}', '${value}', true)`)
  .join(', ')}`;
/** Back to the planner's own choices (diagnostics: what the plan would be without forcing). */
const PLANNER_FREE_SQL = `select set_config('enable_sort', 'on', true), set_config('enable_bitmapscan', 'on', true),
  set_config('enable_seqscan', 'on', true)`;

// ---------------------------------------------------------------------------------------------
// SQL pieces. `:name::type` markers are bound by `bind` (MikroORM itself binds `?`).

/**
 * Replaces :name markers with placeholders (`?` for MikroORM, `$n` for pg) and returns the
 * params in order.
 */
function bind(sql: string, values: Record<string, unknown>, placeholder: '?' | '$n' = '?'): [string, unknown[]] {
  const params: unknown[] = [];
  const text = sql.replace(/(?<!:):([a-z_]+)(?=::)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`unbound SQL parameter :${name}`);
    params.push(values[name]);
    return placeholder === '?' ? '?' : `$${params.length}`;
  });
  return [text, params];
}

/** Runs SQL with :name markers. */
type Run = <T>(sql: string, values: Record<string, unknown>) => Promise<T[]>;

/** Where a shift search runs: `run` for single statements, `inTransaction` for the cursor. */
interface SearchDb {
  run: Run;
  inTransaction<T>(work: (run: Run) => Promise<T>): Promise<T>;
}

function runOn(db: pg.Pool | pg.PoolClient): Run {
  return async <T>(sql: string, values: Record<string, unknown>) =>
    (await db.query(...bind(sql, values, '$n'))).rows as T[];
}

/** The search pool: statements on any of its connections; a transaction on one checked out. */
function poolDb(pool: pg.Pool): SearchDb {
  return {
    run: runOn(pool),
    async inTransaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin isolation level repeatable read');
        const result = await work(runOn(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** Statements through the ORM (diagnostics, in a transaction with SEARCH_SETTINGS_SQL). */
function ormRun(em: EntityManager): Run {
  return <T>(sql: string, values: Record<string, unknown>) => em.execute<T[]>(...bind(sql, values));
}

async function loadShift(run: Run, shiftId: string): Promise<ShiftRow> {
  // period/location go back into later queries as text, so they round-trip exactly.
  const [row] = await run<ShiftRow>(
    `select s.id, s.organisation_id, o.kind::text as kind, s.period::text as period, s.location::text as location,
            s.lat, s.lon, extract(epoch from s.starts_at)::float8 * 1000 as starts_ms,
            extract(epoch from s.ends_at)::float8 * 1000 as ends_ms, s.required_skills, s.nice_skills,
            matching_shift_utc_hours(s.starts_at, s.ends_at)::text as utc_hours, o.time_zone as zone, z.span::text as span, z.slack, matching_local_week_span(o.time_zone, s.starts_at, s.ends_at, z.slack)::text as span_shrunk,
            daterange((s.starts_at at time zone o.time_zone)::date,
                      ((s.ends_at - interval '1 millisecond') at time zone o.time_zone)::date, '[]')::text as local_dates
       from shifts s join organisations o on o.id = s.organisation_id
       cross join lateral (select matching_local_week_span(o.time_zone, s.starts_at, s.ends_at, 0) as span,
                                  matching_dst_slack(o.time_zone, s.starts_at, s.ends_at) as slack) z
      where s.id = :shift::uuid`,
    { shift: shiftId },
  );
  if (!row) throw new NotFoundError('The shift');
  return row;
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
    margin: SPHERE_MARGIN,
    zone: shift.zone,
    span: shift.span,
    slack: shift.slack,
    span_shrunk: shift.span_shrunk,
    local_dates: shift.local_dates,
    utc_hours: shift.utc_hours,
  };
}

/**
 * Most volunteers near a shift live in its organisation's zone: for them the local-clock facts
 * are the constants loadShift computed, and only other zones pay for time-zone conversions
 * per row (a few µs each, the walk's biggest per-row cost otherwise).
 */
const ZONE_SQL = {
  mayFit: `case when v.time_zone = :zone::text
      then v.weekly_availability @> :span::int4range or (:slack::int > 0 and v.weekly_availability @> :span_shrunk::int4range)
      else matching_availability_may_fit(v.weekly_availability, v.time_zone, lower(:period::tstzrange), upper(:period::tstzrange)) end`,
  localDates: `case when v.time_zone = :zone::text then :local_dates::daterange
      else daterange((lower(:period::tstzrange) at time zone v.time_zone)::date,
                     ((upper(:period::tstzrange) - interval '1 millisecond') at time zone v.time_zone)::date, '[]') end`,
  slack: `case when v.time_zone = :zone::text then :slack::int
      else matching_dst_slack(v.time_zone, lower(:period::tstzrange), upper(:period::tstzrange)) end`,
};

/** The volunteer's local ISO week around the shift's start, as PostgreSQL resolves it. */
const MONDAY_SQL = `date_trunc('week', lower(:period::tstzrange) at time zone v.time_zone)`;
const WEEK_START_SQL = `(${MONDAY_SQL} at time zone v.time_zone)`;
const WEEK_END_SQL = `((${MONDAY_SQL} + interval '7 days') at time zone v.time_zone)`;

/** Each hard rule as "volunteer `v` fails it" (the matchable ones: active and verified come first). */
const RULE_SQL: Record<Exclude<ExclusionRule, 'unverified' | 'paused'>, string> = {
  cause: `cardinality(v.causes) > 0 and not (:kind::organisation_kind = any(v.causes))`,
  skills: `not (v.skills @> :required::text[])`,
  // Hashed subplans (run once per query): a shift has few offers, an organisation few blocks.
  declined: `v.account_id in (select o.volunteer_id from offers o where o.shift_id = :shift::uuid and o.status = 'declined')`,
  already_offered: `(v.account_id in (select o.volunteer_id from offers o where o.shift_id = :shift::uuid)
           or v.account_id in (select b.volunteer_id from bookings b where b.shift_id = :shift::uuid))`,
  blocked: `v.account_id in (select b.volunteer_id from organisation_blocks b where b.organisation_id = :org::uuid)`,
  // Exact: the same local dates the core checks (the shift's first instant and its last one).
  away: `v.away_dates && (${ZONE_SQL.localDates})`,
  // Definitely outside every window (the test is permissive, see the migration).
  availability: `not (${ZONE_SQL.mayFit})`,
  // Correlated index probes, reached only by volunteers who passed everything cheaper. OFFSET 0
  // keeps the EXISTS a per-row probe of (volunteer_id, period): pulled up into an anti-join, the
  // planner may scan every booking of the period once per candidate instead.
  booking_overlap: `exists (select 1 from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
           and b.period && :period::tstzrange offset 0)`,
  // Definitely over the cap (see capLabelSql).
  weekly_cap: `coalesce((${capLabelSql()}), '') = 'weekly_cap'`,
};

/**
 * One probe for the weekly cap: 'weekly_cap' when live bookings starting in the volunteer's
 * local ISO week, the week shrunk by 3 h at each end, already reach the cap; 'uncertain_cap'
 * when only the week grown by 3 h does (PostgreSQL resolves a Monday 00:00 inside a DST change
 * differently from the core, which then decides); null when under the cap either way.
 */
function capLabelSql(): string {
  return `select case when count(*) filter (where lower(b.period) >= ${WEEK_START_SQL} + interval '3 hours'
                                            and lower(b.period) < ${WEEK_END_SQL} - interval '3 hours') >= v.weekly_shift_cap
                      then 'weekly_cap'
                      when count(*) >= v.weekly_shift_cap then 'uncertain_cap' end
            from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
             and lower(b.period) >= ${WEEK_START_SQL} - interval '3 hours' and lower(b.period) < ${WEEK_END_SQL} + interval '3 hours'`;
}

/**
 * Where the database cannot decide availability exactly, the pure core does: when windows were
 * merged in the multirange or near a DST change (the span was shrunk).
 */
const UNCERTAIN_AVAILABILITY_SQL = `not v.weekly_windows_disjoint or (${ZONE_SQL.slack}) > 0`;

/** CASE naming the first rule a volunteer fails, or 'uncertain_*' where the core must decide; `skip` leaves rules out. */
function labelSql(skip: readonly ExclusionRule[] = []): string {
  const branches = [`when not v.email_verified then 'unverified'`, `when v.status <> 'active' then 'paused'`];
  for (const rule of Object.keys(RULE_SQL) as (keyof typeof RULE_SQL)[]) {
    if (rule === 'weekly_cap' || skip.includes(rule)) continue; // weekly_cap: the else branch below
    if (rule === 'booking_overlap') branches.push(`when ${UNCERTAIN_AVAILABILITY_SQL} then 'uncertain_availability'`);
    branches.push(`when ${RULE_SQL[rule]} then '${rule}'`);
  }
  return `case ${branches.join('\n      ')} else coalesce((${capLabelSql()}), 'eligible') end`;
}

/**
 * Within the volunteer's own travel distance, roughly: a sphere test 1 % wide. The exact rule
 * is on the WGS84 spheroid (like the core's distanceKm), which costs ~4 µs a row, so it is
 * applied only where the sphere could be wrong (by the core in the walk, by SQL in the counts).
 */
const NEAR_ENOUGH_SQL = `st_dwithin(v.home, :location::geography, v.travel_m * :margin::float8, false)
  and not (v.account_id = any(:exclude::uuid[]))`;
const WITHIN_TRAVEL_SQL = `${NEAR_ENOUGH_SQL}
  and ((v.home <-> :location::geography) * :margin::float8 <= v.travel_m or st_dwithin(v.home, :location::geography, v.travel_m))`;

/** The date exceptions of `v` as [first, last] local dates, from its trigger-kept away_dates. */
const EXCEPTIONS_SQL = `(select coalesce(json_agg(json_build_array(lower(r), upper(r) - 1) order by lower(r)), '[]')
     from unnest(v.away_dates) r) as exceptions`;

/** `b` is a live booking of `v` starting within 8 days of the shift's start (the core's weekly-cap facts). */
const NEAR_LIVE_BOOKING_SQL = `b.status in ${LIVE_BOOKING} and lower(b.period) >= lower(:period::tstzrange) - interval '8 days'
      and lower(b.period) < lower(:period::tstzrange) + interval '8 days'`;
/** Attended and no-show counts over bookings `b`. */
const ATTENDANCE_SQL = `array[count(*) filter (where b.status = 'attended'), count(*) filter (where b.status = 'no_show')]::int[]`;
/** Offers to `v` in the last 14 days (freshness). */
const RECENT_OFFERS_SQL = `(select count(*)::int from offers o where o.volunteer_id = v.account_id and o.created_at > now() - interval '14 days') as recent_offers`;
/** Attended and no-show counts (reliability) and offers in the last 14 days (freshness) of `v`. */
const HISTORY_SQL = `(select ${ATTENDANCE_SQL}
     from bookings b where b.volunteer_id = v.account_id and b.status in ('attended', 'no_show')) as history,
  ${RECENT_OFFERS_SQL}`;

/** What the core needs of a volunteer `v` it decides. */
const FACTS_SQL = `v.time_zone, v.weekly_shift_cap, v.skills, v.travel_km::float8 as travel_km,
  v.weekly_windows as windows, ${EXCEPTIONS_SQL},
  (select coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000), '[]')
     from bookings b where b.volunteer_id = v.account_id and ${NEAR_LIVE_BOOKING_SQL}) as week_bookings,
  ${HISTORY_SQL}`;

/**
 * Everything the walk needs from a volunteer's bookings in ONE probe per candidate (the counts
 * and the core ask the same questions through four): whether one overlaps the shift
 * (booking_overlap), live bookings in the local week shrunk by 3 h at each end (definitely over
 * the cap when >= weekly_shift_cap; the core decides the margin, see capLabelSql), live booking
 * starts within 8 days for the core's weekly-cap check, and attended / no-show counts.
 * Measured on the median 1M walk: ~2.5–3.7 ms instead of ~4.4–7 ms.
 */
const WALK_BOOKINGS_SQL = `select
    coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000) filter (where ${NEAR_LIVE_BOOKING_SQL}), '[]') as week_bookings,
    ${ATTENDANCE_SQL} as history,
    coalesce(bool_or(b.status in ${LIVE_BOOKING} and b.period && :period::tstzrange), false) as overlaps,
    count(*) filter (where b.status in ${LIVE_BOOKING} and lower(b.period) >= ${WEEK_START_SQL} + interval '3 hours'
                       and lower(b.period) < ${WEEK_END_SQL} - interval '3 hours') as week_live
  from bookings b where b.volunteer_id = v.account_id`;
const WALK_FACTS_SQL = `v.time_zone, v.weekly_shift_cap, v.skills, v.travel_km::float8 as travel_km,
  v.weekly_windows as windows, ${EXCEPTIONS_SQL}, bk.week_bookings, bk.history, ${RECENT_OFFERS_SQL}`;

/**
 * The walk: nearest first over a partial GiST index of matchable volunteers, a KNN index scan
 * whose rows come out in distance order, so the cursor stops it early. One `skills @> '{slug}'`
 * clause per required skill lets the planner pick the partial index of the rarest of them
 * (volunteers_skill_*_home_gist), so a rare skill is not searched for among everyone nearby.
 * The index also holds each volunteer's UTC hours of availability, a superset of their windows
 * (migration AvailabilityHours20261128): the walk skips, inside the index, everyone who cannot
 * be available then (most people nearby) without reading their row. Facts are read only for
 * the rows that pass.
 */
function walkSql(shift: ShiftRow, limit?: number): string {
  // 'declined' is implied by 'already_offered'; availability (fails most often) is tested
  // before away (rarely true) in one clause, so its result decides first. The booking rules are
  // tested on WALK_BOOKINGS_SQL's one probe.
  const rules = (Object.keys(RULE_SQL) as (keyof typeof RULE_SQL)[])
    .filter((rule) => !['declined', 'away', 'availability', 'booking_overlap', 'weekly_cap'].includes(rule))
    .map((rule) => `and not (${RULE_SQL[rule]})`)
    .join('\n     ');
  const availableThen = `and (${ZONE_SQL.mayFit}) and not (${RULE_SQL.away})`;
  const perSkill = shift.required_skills.map((skill) => `and v.skills @> ${pgTextArrayLiteral([skill])}`).join(' ');
  return `select v.account_id as id, v.home_lat as lat, v.home_lon as lon, v.travel_m::float8 as travel_m,
         v.home <-> :location::geography as knn_m, false as overlaps_booking, ${WALK_FACTS_SQL}
    from volunteers v cross join lateral (${WALK_BOOKINGS_SQL}) bk
   where v.status = 'active' and v.email_verified ${perSkill}
     and v.available_utc_hours @> :utc_hours::int[]
     and st_dwithin(v.home, :location::geography, :radius::float8, false)
     and ${NEAR_ENOUGH_SQL}
     ${availableThen}
     ${rules}
     and not bk.overlaps and bk.week_live < v.weekly_shift_cap
   order by v.home <-> :location::geography
   ${limit === undefined ? '' : `limit ${Math.trunc(limit)}`}`;
}

interface WalkResult {
  eligible: Match[];
  exhausted: boolean;
  stopM: number;
  /** Volunteers already taken (the cursor reads a newer snapshot than the first query). */
  seen: Set<string>;
}

async function walkVolunteers(
  db: SearchDb,
  shift: ShiftRow,
  exclude: string[],
  wanted: number,
  exact: ExactRules,
): Promise<WalkResult> {
  const result: WalkResult = { eligible: [], exhausted: false, stopM: 0, seen: new Set() };
  const values = shiftValues(shift, exclude);
  // The database's filter is nearly exact, so one plain LIMIT query usually finishes the walk;
  // only if the core rejected too many does a cursor carry on after those rows.
  const first = wanted + 4;
  const rows = await db.run<WalkRow>(walkSql(shift, first), values);
  if (takeBatch(shift, rows, first, exact, result) || result.eligible.length >= wanted) return result;
  return db.inTransaction(async (run) => {
    await run(`declare matching_walk no scroll cursor for ${walkSql(shift)} offset ${first}`, values);
    let batch = Math.max(64, wanted - result.eligible.length);
    while (result.eligible.length < wanted) {
      const more = await run<WalkRow>(`fetch ${batch} from matching_walk`, {});
      if (takeBatch(shift, more, batch, exact, result)) break;
      batch = Math.max(64, wanted - result.eligible.length);
    }
    return result;
  });
}

/** Adds a batch's exact matches; true when the batch was short, i.e. the walk is exhausted. */
function takeBatch(shift: ShiftRow, rows: WalkRow[], asked: number, exact: ExactRules, result: WalkResult): boolean {
  for (const row of rows) {
    if (result.seen.has(row.id)) continue;
    result.seen.add(row.id);
    const match = matchIfExact(shift, row, exact);
    if (match) result.eligible.push(match);
  }
  if (rows.length < asked) return (result.exhausted = true);
  result.stopM = rows[rows.length - 1].knn_m;
  return false;
}

function matchIfExact(shift: ShiftRow, row: WalkRow, exact: ExactRules): Match | null {
  const km = distanceKm(row, shift);
  if (km * 1000 > row.travel_m) return null; // the walk tested reach on the sphere, 1 % wide
  const verdict = exact.verdict(shift.starts_ms, shift.ends_ms, row);
  return verdict.ok ? toMatch(shift, row, km, verdict.window) : null;
}

function toMatch(shift: ShiftRow, row: WalkRow, km: number, window: MatchWindow): Match {
  const nice = shift.nice_skills.filter((s) => row.skills.includes(s));
  return {
    volunteerId: row.id,
    distanceKm: km,
    score: scoreFor(km, row.travel_km, nice.length, shift.nice_skills.length, row),
    explanation: explainMatch({
      distanceKm: km,
      requiredSkills: shift.required_skills,
      niceSkillsMatched: nice,
      window,
    }),
    window,
  };
}

/**
 * The tail of the rules in counting order (availability, booking overlap, weekly cap), decided
 * exactly by the pure core where the database only approximates. One instance per search
 * memoises the core's answers: many volunteers share a zone and the same windows, and the
 * core's zone arithmetic (luxon over Intl) costs ~100 µs a call.
 */
class ExactRules {
  private readonly fits = new Map<string, AvailabilityFit>();
  private readonly weeks = new Map<string, { start: number; end: number }>();
  private readonly weekdays = new Map<string, number>();

  verdict(startsMs: number, endsMs: number, facts: VolunteerFacts): Verdict {
    const fit = this.fit(startsMs, endsMs, facts);
    if (!fit.fits || !fit.window || !fit.localDate)
      return { ok: false, rule: fit.reason === 'exception' ? 'away' : 'availability' };
    if (facts.overlaps_booking) return { ok: false, rule: 'booking_overlap' };
    const week = this.week(startsMs, facts.time_zone);
    const booked = facts.week_bookings.filter((t) => t >= week.start && t < week.end).length;
    if (booked >= facts.weekly_shift_cap) return { ok: false, rule: 'weekly_cap' };
    return { ok: true, window: { ...fit.window, localDate: fit.localDate } };
  }

  /**
   * The core only looks at windows of the shift's local start day and the day before (a window
   * crossing midnight), so only those go in: fewer zone computations, and volunteers who differ
   * elsewhere in the week share a memo entry.
   */
  private fit(startsMs: number, endsMs: number, facts: VolunteerFacts): AvailabilityFit {
    const day = this.localWeekday(startsMs, facts.time_zone);
    const relevant = facts.windows.filter(([weekday]) => weekday === day || weekday === (day === 1 ? 7 : day - 1));
    const key = `${startsMs}|${endsMs}|${facts.time_zone}|${JSON.stringify(relevant)}|${JSON.stringify(facts.exceptions)}`;
    let fit = this.fits.get(key);
    if (!fit) {
      const windows = relevant.map(([weekday, start, end]) => ({ weekday, start, end }));
      const exceptions = facts.exceptions.map(([startsOn, endsOn]) => ({ startsOn, endsOn }));
      fit = shiftFitsAvailability(
        { startsAt: new Date(startsMs), endsAt: new Date(endsMs) },
        windows,
        facts.time_zone,
        exceptions,
      );
      this.fits.set(key, fit);
    }
    return fit;
  }

  private localWeekday(startsMs: number, zone: string): number {
    const key = `${startsMs}|${zone}`;
    let day = this.weekdays.get(key);
    if (day === undefined) {
      day = DateTime.fromMillis(startsMs, { zone }).weekday;
      this.weekdays.set(key, day);
    }
    return day;
  }

  private week(startsMs: number, zone: string): { start: number; end: number } {
    const key = `${startsMs}|${zone}`;
    let week = this.weeks.get(key);
    if (!week) {
      const bounds = isoWeekBounds(new Date(startsMs), zone);
      week = { start: bounds.start.getTime(), end: bounds.end.getTime() };
      this.weeks.set(key, week);
    }
    return week;
  }
}

function scoreFor(
  km: number,
  travelKm: number,
  niceMatched: number,
  niceTotal: number,
  facts: VolunteerFacts,
): ScoreBreakdown {
  return scoreMatch({
    distanceKm: km,
    travelKm,
    niceSkillsMatched: niceMatched,
    niceSkillsTotal: niceTotal,
    attended: facts.history[0],
    noShows: facts.history[1],
    offersLast14Days: facts.recent_offers,
  });
}

/** Score order inside each RANK_POOL of the nearest-first list; ties: nearer, then id. */
function rankInPools(nearestFirst: Match[]): Match[] {
  const ranked: Match[] = [];
  for (let i = 0; i < nearestFirst.length; i += RANK_POOL) {
    const pool = nearestFirst.slice(i, i + RANK_POOL);
    pool.sort(
      (a, b) =>
        b.score.total - a.score.total || a.distanceKm - b.distanceKm || a.volunteerId.localeCompare(b.volunteerId),
    );
    ranked.push(...pool);
  }
  return ranked;
}

function emptyCounts(): Counts {
  return Object.fromEntries(EXCLUSION_RULES.map((rule) => [rule, 0])) as Counts;
}

/**
 * The exclusion counts: the nearest COUNT_SAMPLE volunteers within reach and within `radiusM`
 * (the walk's reach), matchable or not, over the full GiST index, each labelled with the first
 * rule it fails. The few rows the database cannot label exactly come back with their facts.
 */
/**
 * The exclusion counts' sample: the nearest COUNT_SAMPLE volunteers within reach, matchable or
 * not, over the full GiST index, each labelled with the first rule it fails. The few rows the
 * database cannot label exactly come back with their facts for the pure core.
 */
function countSql(): string {
  return `with r as materialized (
      select v.account_id, v.home <-> :location::geography as knn_m, ${labelSql()} as label
        from volunteers v
       where st_dwithin(v.home, :location::geography, :radius::float8, false)
         and ${WITHIN_TRAVEL_SQL}
       order by v.home <-> :location::geography
       limit ${COUNT_SAMPLE})
    select label, knn_m, null::json as facts from r where label not like 'uncertain%'
    union all
    select r.label, r.knn_m,
           (select row_to_json(f) from (select ${FACTS_SQL},
              r.label = 'uncertain_availability' and ${RULE_SQL.booking_overlap} as overlaps_booking) f)
      from r join volunteers v on v.account_id = r.account_id where r.label like 'uncertain%'`;
}

async function countSample(run: Run, shift: ShiftRow, exclude: string[]): Promise<CountRow[]> {
  return run<CountRow>(countSql(), shiftValues(shift, exclude));
}

/** One volunteer of checkPair: the first rule they fail (labelSql) and the facts the core decides the rest with. */
interface PairRow extends WalkRow {
  label: CountLabel;
}

function pairSql(skip: readonly ExclusionRule[]): string {
  return `select ${labelSql(skip)} as label, v.account_id as id, v.home_lat as lat, v.home_lon as lon, v.travel_m::float8 as travel_m,
         0::float8 as knn_m, ${FACTS_SQL}, ${RULE_SQL.booking_overlap} as overlaps_booking
    from volunteers v where v.account_id = :volunteer::uuid`;
}

/**
 * The counts over the sampled volunteers no farther than `radiusM` (the walk's reach, so the
 * counts describe the volunteers the search went through, not farther ones).
 */
function tally(shift: ShiftRow, sample: CountRow[], radiusM: number, exact: ExactRules) {
  const excluded = emptyCounts();
  let total = 0;
  let farthest = 0;
  for (const row of sample) {
    if (row.knn_m > radiusM) continue;
    const label = row.facts ? exactLabel(shift, row.facts, exact) : row.label;
    if (label !== 'eligible') excluded[label as ExclusionRule] += 1;
    total += 1;
    farthest = Math.max(farthest, row.knn_m);
  }
  return { excluded, total, radiusM: farthest };
}

function exactLabel(shift: ShiftRow, facts: VolunteerFacts, exact: ExactRules): ExclusionRule | 'eligible' {
  const verdict = exact.verdict(shift.starts_ms, shift.ends_ms, facts);
  return verdict.ok ? 'eligible' : verdict.rule;
}

/**
 * Diagnostics for benchmarks and operators: the volunteer walk of `findMatchesForShift` as one
 * LIMIT query, on the forced KNN plan or on the planner's own choice, optionally as EXPLAIN
 * (ANALYZE, BUFFERS) lines; with `explain`, the plan of the exclusion counts too.
 */
export async function runVolunteerWalk(
  em: EntityManager,
  shiftId: string,
  options: { limit: number; forceKnn: boolean; explain?: boolean },
): Promise<{ rows: number; plan: string[]; countsPlan: string[] }> {
  return em.fork().transactional(
    async (tx) => {
      await tx.execute(SEARCH_SETTINGS_SQL);
      if (!options.forceKnn) await tx.execute(PLANNER_FREE_SQL);
      const shift = await loadShift(ormRun(tx), shiftId);
      const explain = (sql: string) => (options.explain ? `explain (analyze, buffers) ${sql}` : sql);
      const lines = (rows: Record<string, string>[]) => (options.explain ? rows.map((r) => r['QUERY PLAN']) : []);
      const walk = await tx.execute<Record<string, string>[]>(
        ...bind(explain(walkSql(shift, options.limit)), shiftValues(shift, [])),
      );
      if (!options.explain) return { rows: walk.length, plan: [], countsPlan: [] };
      const counts = await tx.execute<Record<string, string>[]>(...bind(explain(countSql()), shiftValues(shift, [])));
      return { rows: walk.length, plan: lines(walk), countsPlan: lines(counts) };
    },
    { readOnly: true },
  );
}

// ---------------------------------------------------------------------------------------------
// Shifts for a volunteer

interface VolunteerRow extends VolunteerFacts {
  id: string;
  matchable: boolean;
  home: string;
  lat: number;
  lon: number;
  travel_m: number;
  causes: string;
  weekly_availability: string;
  away_dates: string;
}

interface ShiftCandidateRow {
  id: string;
  lat: number;
  lon: number;
  starts_ms: number;
  ends_ms: number;
  nice_skills: string[];
  required_skills: string[];
  overlaps_booking: boolean;
}

async function loadVolunteer(run: Run, volunteerId: string): Promise<VolunteerRow> {
  const [row] = await run<VolunteerRow>(
    `select v.account_id as id, (v.status = 'active' and v.email_verified) as matchable, v.home::text as home,
            v.home_lat as lat, v.home_lon as lon, v.travel_km::float8 as travel_km, v.travel_m::float8 as travel_m,
            v.skills, v.causes::text as causes, v.weekly_availability::text as weekly_availability,
            v.away_dates::text as away_dates, v.time_zone, v.weekly_shift_cap,
            v.weekly_windows as windows, ${EXCEPTIONS_SQL},
            (select coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000), '[]')
               from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
                and lower(b.period) >= now() - interval '8 days') as week_bookings,
            ${HISTORY_SQL}
       from volunteers v where v.account_id = :volunteer::uuid`,
    { volunteer: volunteerId },
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
         exists (select 1 from bookings b where b.volunteer_id = :volunteer::uuid and b.status in ${LIVE_BOOKING}
                 and b.period && s.period) as overlaps_booking
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
     and s.id not in (select b.shift_id from bookings b where b.volunteer_id = :volunteer::uuid)
   order by s.location <-> :home::geography, s.starts_at, s.id`;

async function walkShifts(run: Run, v: VolunteerRow, wanted: number): Promise<ShiftForVolunteer[]> {
  const values = {
    home: v.home,
    travel: v.travel_m,
    skills: pgArray(v.skills),
    causes: v.causes,
    weekly: v.weekly_availability,
    zone: v.time_zone,
    away: v.away_dates,
    volunteer: v.id,
  };
  await run(SHIFT_WALK_SQL, values);
  const found: ShiftForVolunteer[] = [];
  const exact = new ExactRules();
  let batch = wanted + 8;
  for (;;) {
    const rows = await run<ShiftCandidateRow>(`fetch ${batch} from shift_walk`, {});
    for (const row of rows) {
      const match = shiftIfFits(v, row, exact);
      if (match) found.push(match);
    }
    if (found.length >= wanted || rows.length < batch) break;
    batch = Math.max(64, wanted - found.length);
  }
  return found; // the cursor closes with the transaction
}

function shiftIfFits(v: VolunteerRow, row: ShiftCandidateRow, exact: ExactRules): ShiftForVolunteer | null {
  const verdict = exact.verdict(row.starts_ms, row.ends_ms, { ...v, overlaps_booking: row.overlaps_booking });
  if (!verdict.ok) return null;
  const km = distanceKm(v, row);
  const nice = row.nice_skills.filter((s) => v.skills.includes(s));
  return {
    shiftId: row.id,
    distanceKm: km,
    explanation: explainMatch({
      distanceKm: km,
      requiredSkills: row.required_skills,
      niceSkillsMatched: nice,
      window: verdict.window,
    }),
    startsAt: new Date(row.starts_ms),
    endsAt: new Date(row.ends_ms),
    score: scoreFor(km, v.travel_km, nice.length, row.nice_skills.length, v),
  };
}

// ---------------------------------------------------------------------------------------------

/** A text[] constant in SQL text, where the planner must see the value (partial index choice). */
function pgTextArrayLiteral(values: readonly string[]): string {
  return `'${pgArray(values).replaceAll("'", "''")}'::text[]`;
}

/** A PostgreSQL array literal ('{"a","b"}'), for binding through MikroORM's `?` placeholders. */
function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
