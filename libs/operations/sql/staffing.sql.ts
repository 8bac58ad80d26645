/** The staffing dashboard's queries; parameters in order as the repository passes them. */

/**
 * An organisation's shifts starting in [from, to), with the offers still waiting for an answer and
 * the volunteers on each waitlist, and each role's seats taken (in the roles' order).
 */
export const UPCOMING_SHIFTS = `select s.id, s.title, s.starts_at, s.ends_at, s.status, s.capacity, s.filled,
         (select count(*)::int from offers f where f.shift_id = s.id and f.status = 'pending') as pending_offers,
         (select count(*)::int from waitlist_entries w where w.shift_id = s.id) as waiting,
         (select coalesce(json_agg(json_build_object('id', r.id, 'name', r.name, 'filled', r.filled,
                   'capacity', r.capacity) order by r.position), '[]'::json)
            from shift_roles r where r.shift_id = s.id) as roles
       from shifts s where s.organisation_id = ? and s.starts_at >= ? and s.starts_at < ?
       order by s.starts_at, s.id`;

/**
 * Marked attendance per local week (Monday starts in zone ?) of the shifts that ended in the last
 * 90 days; bookings still 'confirmed' after their shift were never marked.
 */
export const ATTENDANCE_BY_WEEK = `select to_char(date_trunc('week', s.starts_at at time zone ?), 'YYYY-MM-DD') as week_start,
         count(*) filter (where b.status = 'attended')::int as attended,
         count(*) filter (where b.status = 'no_show')::int as no_shows
       from bookings b join shifts s on s.id = b.shift_id
       where s.organisation_id = ? and s.starts_at >= now() - interval '90 days' and s.ends_at <= now()
         and b.status in ('attended', 'no_show')
       group by 1 order by 1`;

export const RECENT_TOTALS = `select count(*) filter (where b.cancelled_late)::int as late_cancellations,
         count(*) filter (where b.status = 'confirmed' and s.ends_at <= now())::int as unmarked
       from bookings b join shifts s on s.id = b.shift_id
       where s.organisation_id = ? and s.starts_at >= now() - interval '90 days' and s.starts_at <= now()`;
