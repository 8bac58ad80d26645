import { EXCEPTIONS_SQL, HISTORY_SQL, LIVE_BOOKING } from './rules.sql.js';

/** The volunteer a shift search is for, and the constants its shift walk binds. */
export const VOLUNTEER_SQL = `select v.account_id as id, (v.status = 'active' and v.email_verified) as matchable, v.home::text as home,
            v.home_lat as lat, v.home_lon as lon, v.travel_km::float8 as travel_km, v.travel_m::float8 as travel_m,
            v.skills, v.causes::text as causes, v.weekly_availability::text as weekly_availability,
            v.away_dates::text as away_dates, v.time_zone, v.weekly_shift_cap,
            v.weekly_windows as windows, ${EXCEPTIONS_SQL},
            (select coalesce(json_agg(extract(epoch from lower(b.period))::float8 * 1000), '[]')
               from bookings b where b.volunteer_id = v.account_id and b.status in ${LIVE_BOOKING}
                and lower(b.period) >= now() - interval '8 days') as week_bookings,
            ${HISTORY_SQL}
       from volunteers v where v.account_id = :volunteer::uuid`;

/**
 * Open future shifts with a free slot within the volunteer's travel distance, nearest first
 * (KNN over the partial GiST index of open shifts), same-distance shifts soonest first. The
 * volunteer's own availability, away dates, skills and causes are constants here.
 */
export const SHIFT_WALK_SQL = `declare shift_walk no scroll cursor for
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
