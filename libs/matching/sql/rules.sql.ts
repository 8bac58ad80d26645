import type { ExclusionRule } from '../core/exact-rules.js';

// The hard rules and volunteer facts as SQL over a volunteer `v`, shared by the walk, the counts and checkPair.

export const LIVE_BOOKING = `('confirmed', 'attended')`;

/**
 * Most volunteers near a shift live in its organisation's zone: for them the local-clock facts
 * are the constants loadShift computed, and only other zones pay for time-zone conversions
 * per row (a few µs each, the walk's biggest per-row cost otherwise).
 */
export const ZONE_SQL = {
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
export const MONDAY_SQL = `date_trunc('week', lower(:period::tstzrange) at time zone v.time_zone)`;
export const WEEK_START_SQL = `(${MONDAY_SQL} at time zone v.time_zone)`;
export const WEEK_END_SQL = `((${MONDAY_SQL} + interval '7 days') at time zone v.time_zone)`;

/** Each hard rule as "volunteer `v` fails it" (the matchable ones: active and verified come first). */
export const RULE_SQL: Record<Exclude<ExclusionRule, 'unverified' | 'paused'>, string> = {
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
export function capLabelSql(): string {
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
export const UNCERTAIN_AVAILABILITY_SQL = `not v.weekly_windows_disjoint or (${ZONE_SQL.slack}) > 0`;

/** CASE naming the first rule a volunteer fails, or 'uncertain_*' where the core must decide; `skip` leaves rules out. */
export function labelSql(skip: readonly ExclusionRule[] = []): string {
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
export const NEAR_ENOUGH_SQL = `st_dwithin(v.home, :location::geography, v.travel_m * :margin::float8, false)
  and not (v.account_id = any(:exclude::uuid[]))`;
export const WITHIN_TRAVEL_SQL = `${NEAR_ENOUGH_SQL}
  and ((v.home <-> :location::geography) * :margin::float8 <= v.travel_m or st_dwithin(v.home, :location::geography, v.travel_m))`;

/** The date exceptions of `v` as [first, last] local dates, from its trigger-kept away_dates. */
export const EXCEPTIONS_SQL = `(select coalesce(json_agg(json_build_array(lower(r), upper(r) - 1) order by lower(r)), '[]')
     from unnest(v.away_dates) r) as exceptions`;

/** `b` is a live booking of `v` starting within 8 days of the shift's start (the core's weekly-cap facts). */
export const NEAR_LIVE_BOOKING_SQL = `b.status in ${LIVE_BOOKING} and lower(b.period) >= lower(:period::tstzrange) - interval '8 days'
      and lower(b.period) < lower(:period::tstzrange) + interval '8 days'`;
/** Attended, no-show and late-cancellation counts over bookings `b`. */
export const ATTENDANCE_SQL = `array[count(*) filter (where b.status = 'attended'), count(*) filter (where b.status = 'no_show'),
  count(*) filter (where b.cancelled_late)]::int[]`;
/** Offers to `v` in the last 14 days (freshness). */
export const RECENT_OFFERS_SQL = `(select count(*)::int from offers o where o.volunteer_id = v.account_id and o.created_at > now() - interval '14 days') as recent_offers`;
/** Attended, no-show and late-cancellation counts (reliability) and offers in the last 14 days (freshness) of `v`. */
export const HISTORY_SQL = `(select ${ATTENDANCE_SQL}
     from bookings b where b.volunteer_id = v.account_id and (b.status in ('attended', 'no_show') or b.cancelled_late)) as history,
  ${RECENT_OFFERS_SQL}`;

/** What the core needs of a volunteer `v` it decides. */
export const FACTS_SQL = `v.time_zone, v.weekly_shift_cap, v.skills, v.travel_km::float8 as travel_km,
  v.weekly_windows as windows, ${EXCEPTIONS_SQL},
  (select coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000), '[]')
     from bookings b where b.volunteer_id = v.account_id and ${NEAR_LIVE_BOOKING_SQL}) as week_bookings,
  ${HISTORY_SQL}`;
