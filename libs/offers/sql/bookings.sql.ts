export const BOOKED_WITH_OFFER = `select b.id, b.shift_id from offers f join bookings b on b.offer_id = f.id and b.volunteer_id = f.volunteer_id join shifts s on s.id = b.shift_id
        where f.id = ? and f.volunteer_id = ? and f.status = 'accepted' and b.status = 'confirmed' and s.ends_at > now()`;

export const SHIFT_OF_OWN_OFFER = `select shift_id from offers where id = ? and volunteer_id = ?`;

export const LOCK_SHIFT = `select 1 from shifts where id = ? for update`;

export const ACCEPT_OFFER = `update offers set status = 'accepted', responded_at = now()
       where id = ? and status = 'pending' and expires_at > now() returning shift_id, volunteer_id, held_seat, role_id`;

export const WITHDRAW_OFFER = `update offers set status = 'withdrawn' where id = ?`;

export const OVERLAPPING_BOOKING = `select 1 from bookings where volunteer_id = ? and status in ('confirmed', 'attended') and period && cast(? as tstzrange)`;

/** Params: shift, role. The shift first, then its role: the lock order of every seat move. */
export const GIVE_SEAT_BACK = `with s as (update shifts set filled = filled - 1, status = 'open' where id = ? returning id)
       update shift_roles r set filled = r.filled - 1 from s where r.id = ? and r.shift_id = s.id`;

export const DECLINE_OFFER = `update offers set status = 'declined', responded_at = now() where id = ? and status = 'pending' returning shift_id, cover_request_id`;

/** `shift_full`: the shift, or the offer's role, has no seat left (either withdraws it as "filled"). */
export const OFFER_STATE = `select f.status, f.shift_id, f.expires_at <= now() as overdue,
              (s.status = 'full' or r.filled >= r.capacity) as shift_full
       from offers f join shifts s on s.id = f.shift_id join shift_roles r on r.id = f.role_id where f.id = ?`;

/**
 * The shift filled: the other offers are withdrawn, but not the held ones (their seats are part of what filled it)
 * nor cover offers (they ask to take over a booked seat, which a full shift still has).
 */
export const WITHDRAW_PENDING_OFFERS = `update offers set status = 'withdrawn', responded_at = now()
       where shift_id = ? and status = 'pending' and not held_seat and cover_request_id is null returning id`;

export const LOCK_SHIFT_FOR_BOOKING = `select status, filled, capacity, starts_at, ends_at from shifts where id = ? for update`;

export const LOCK_VOLUNTEER = `select 1 from volunteers where account_id = ? for update`;

export const BOOKING_OF = `select id, status from bookings where shift_id = ? and volunteer_id = ?`;

export const WITHDRAW_OWN_PENDING_OFFER = `update offers set status = 'withdrawn', responded_at = now() where shift_id = ? and volunteer_id = ? and status = 'pending'`;

/** A held seat is already counted in `filled`: accepting its offer reads the seat instead of taking one. */
export const HELD_SEAT = `select s.filled, s.capacity, s.starts_at, s.ends_at, s.period::text as period,
         r.id as role_id, r.filled as role_filled, r.capacity as role_capacity
       from shifts s join shift_roles r on r.shift_id = s.id and r.id = ? where s.id = ?`;

/** The role a booking holds a seat of. */
export const BOOKING_ROLE = `select role_id from bookings where id = ?`;

/** The role filled while the shift has seats elsewhere: only that role's offers are withdrawn (params: shift, role). */
export const WITHDRAW_ROLE_PENDING_OFFERS = `update offers set status = 'withdrawn', responded_at = now()
       where shift_id = ? and role_id = ? and status = 'pending' and not held_seat and cover_request_id is null returning id`;

/**
 * The last place of a role can never be double-booked: the role's seat and the shift's total move in
 * one statement, and only one transaction can move a role's filled past its capacity - 1. The caller
 * locks the shift row first (LOCK_SHIFT), so this statement's snapshot sees every earlier seat move
 * and every seat move takes its locks in the same order (shift, then role). Params: shift, role
 * (null: the first role with a free seat), role again, shift.
 */
const takeSeat = (until: 'starts_at' | 'ends_at') => `with r as (
         update shift_roles set filled = filled + 1
          where id = (select id from shift_roles where shift_id = ? and (cast(? as uuid) is null or id = cast(? as uuid))
                        and filled < capacity order by position limit 1)
            and filled < capacity
            and exists (select 1 from shifts where id = ? and status = 'open' and ${until} > now())
          returning id, shift_id, filled, capacity)
       update shifts s set filled = s.filled + 1, updated_at = now(),
              status = case when s.filled + 1 = s.capacity then 'full'::shift_status else s.status end
         from r where s.id = r.shift_id
       returning s.filled, s.capacity, s.starts_at, s.ends_at, s.period::text as period,
                 r.id as role_id, r.filled as role_filled, r.capacity as role_capacity`;

export const TAKE_SEAT = takeSeat('starts_at');

export const INSERT_BOOKING = `insert into bookings (shift_id, volunteer_id, offer_id, period, role_id) values (?, ?, ?, cast(? as tstzrange), ?) returning id`;

export const QUIET_HOURS = `select time_zone, quiet_hours_start::text, quiet_hours_end::text from volunteers where account_id = ?`;

/** Late when the shift starts within the late window ($2 hours, LATE_CANCEL_HOURS). */
export const CANCEL_BOOKING = `update bookings b set status = 'cancelled', updated_at = now(), sequence = b.sequence + 1, cancel_reason = ?,
           cancelled_late = s.starts_at <= now() + ?::float8 * interval '1 hour'
         from shifts s where b.id = ? and b.volunteer_id = ? and b.status = 'confirmed' and s.id = b.shift_id and s.starts_at > now()
         returning b.shift_id, b.role_id, b.cancelled_late`;

export const BOOKING_STATUS = `select status from bookings where id = ? and volunteer_id = ?`;

/** Params: shift, role (the booking's). The shift first, then its role: the lock order of every seat move. */
export const RELEASE_SEAT = `with s as (update shifts set filled = filled - 1, updated_at = now(),
                   status = case when status = 'full' then 'open'::shift_status else status end where id = ? returning id)
       update shift_roles r set filled = r.filled - 1 from s where r.id = ? and r.shift_id = s.id`;

export const MARK_ATTENDANCE = `update bookings b set status = ?, updated_at = now()
       from shifts s where b.id = ? and b.shift_id = ? and s.id = b.shift_id and s.organisation_id = ?
         and b.status in ('confirmed', 'attended', 'no_show') and s.starts_at <= now()
       returning b.id`;

export const ATTENDANCE_STATE = `select b.status, s.starts_at > now() as upcoming from bookings b join shifts s on s.id = b.shift_id where b.id = ? and s.id = ? and s.organisation_id = ?`;

export const PAUSE_OFFERS = `update volunteers set status = 'paused', updated_at = now() where account_id = ?`;

/** An arrival marks attendance; `statuses` says which marks it may replace (never a person's, for a scan). */
export const ATTEND_BY_ARRIVAL = `update bookings set status = 'attended', updated_at = now() where id = ? and status = any(?::booking_status[]) returning id`;

/**
 * A walk-in's seat: the same database-enforced capacity as TAKE_SEAT, but a shift already under way
 * still takes people at the door (the caller checks the arrival window).
 */
export const TAKE_WALK_IN_SEAT = takeSeat('ends_at');

/** Unmarked bookings become no-shows; a mark someone made (attended, no_show) is never touched. */
export const MARK_NO_SHOWS = `update bookings set status = 'no_show', updated_at = now() where id = any(?::uuid[]) and status = 'confirmed' returning id`;
