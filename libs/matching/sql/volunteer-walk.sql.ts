import type { ShiftRow } from '../core/rows.js';
import { pgTextArrayLiteral } from './params.js';
import {
  ATTENDANCE_SQL,
  EXCEPTIONS_SQL,
  LIVE_BOOKING,
  NEAR_ENOUGH_SQL,
  NEAR_LIVE_BOOKING_SQL,
  RECENT_OFFERS_SQL,
  RULE_SQL,
  WEEK_END_SQL,
  WEEK_START_SQL,
  ZONE_SQL,
} from './rules.sql.js';

/** The shift a search is for; period/location go back into later queries as text, so they round-trip exactly. */
/** The shift as one role sees it (ADR 0029): its hard and nice skills are the shift's plus the role's (`:role` null: the first role). */
export const SHIFT_SQL = `select s.id, s.organisation_id, o.kind::text as kind, s.period::text as period, s.location::text as location,
            s.lat, s.lon, extract(epoch from s.starts_at)::float8 * 1000 as starts_ms,
            extract(epoch from s.ends_at)::float8 * 1000 as ends_ms,
            s.required_skills || array(select x from unnest(r.required_skills) x where x <> all(s.required_skills)) as required_skills,
            s.nice_skills || array(select x from unnest(r.nice_skills) x where x <> all(s.nice_skills)) as nice_skills,
            matching_shift_utc_hours(s.starts_at, s.ends_at)::text as utc_hours, o.time_zone as zone, z.span::text as span, z.slack, matching_local_week_span(o.time_zone, s.starts_at, s.ends_at, z.slack)::text as span_shrunk,
            daterange((s.starts_at at time zone o.time_zone)::date,
                      ((s.ends_at - interval '1 millisecond') at time zone o.time_zone)::date, '[]')::text as local_dates
       from shifts s join organisations o on o.id = s.organisation_id
       cross join lateral (select matching_local_week_span(o.time_zone, s.starts_at, s.ends_at, 0) as span,
                                  matching_dst_slack(o.time_zone, s.starts_at, s.ends_at) as slack) z
       left join lateral (select required_skills, nice_skills from shift_roles
                           where shift_id = s.id and (:role::uuid is null or id = :role::uuid) order by position limit 1) r on true
      where s.id = :shift::uuid`;

/**
 * Everything the walk needs from a volunteer's bookings in ONE probe per candidate (the counts
 * and the core ask the same questions through four): whether one overlaps the shift
 * (booking_overlap), live bookings in the local week shrunk by 3 h at each end (definitely over
 * the cap when >= weekly_shift_cap; the core decides the margin, see capLabelSql), live booking
 * starts within 8 days for the core's weekly-cap check, and attended / no-show / late-cancellation counts.
 */
export const WALK_BOOKINGS_SQL = `select
    coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000) filter (where ${NEAR_LIVE_BOOKING_SQL}), '[]') as week_bookings,
    ${ATTENDANCE_SQL} as history,
    coalesce(bool_or(b.status in ${LIVE_BOOKING} and b.period && :period::tstzrange), false) as overlaps,
    count(*) filter (where b.status in ${LIVE_BOOKING} and lower(b.period) >= ${WEEK_START_SQL} + interval '3 hours'
                       and lower(b.period) < ${WEEK_END_SQL} - interval '3 hours') as week_live
  from bookings b where b.volunteer_id = v.account_id`;
export const WALK_FACTS_SQL = `v.time_zone, v.weekly_shift_cap, v.skills, v.travel_km::float8 as travel_km,
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
export function walkSql(shift: ShiftRow, limit?: number): string {
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

/** The walk's continuation: a cursor over the same query after the rows the first LIMIT query took. */
export function walkCursorSql(shift: ShiftRow, offset: number): string {
  return `declare matching_walk no scroll cursor for ${walkSql(shift)} offset ${offset}`;
}
