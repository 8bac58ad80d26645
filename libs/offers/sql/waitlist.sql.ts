/** Waitlists and held seats (migration Waitlist20261206). A queue's order: joined_at, then id. */

export const JOIN = `insert into waitlist_entries (shift_id, volunteer_id, role_id) values (?, ?, ?) on conflict do nothing returning id`;

export const LEAVE = `delete from waitlist_entries where shift_id = ? and volunteer_id = ? returning id`;

export const POSITION = `select count(*)::int as position from waitlist_entries w
       join waitlist_entries me on me.shift_id = w.shift_id and me.volunteer_id = ?
       where w.shift_id = ? and (w.joined_at, w.id) <= (me.joined_at, me.id)`;

/** The volunteer's waitlists with their place in each, soonest shift first. */
export const MINE = `select q.shift_id, s.title, s.starts_at, s.ends_at, o.name as organisation_name, q.position
       from (select shift_id, volunteer_id, row_number() over (partition by shift_id order by joined_at, id)::int as position
             from waitlist_entries where shift_id in (select shift_id from waitlist_entries where volunteer_id = ?)) q
       join shifts s on s.id = q.shift_id join organisations o on o.id = s.organisation_id
       where q.volunteer_id = ? order by s.starts_at`;

/** What the waitlist page says about a shift, in the volunteer's zone. */
export const SHIFT_FOR_VOLUNTEER = `select s.id, s.title, s.starts_at, s.ends_at, s.status, s.capacity, s.filled, o.name as organisation_name,
         (select time_zone from volunteers where account_id = ?) as time_zone
       from shifts s join organisations o on o.id = s.organisation_id where s.id = ? and s.status <> 'draft'`;

export const HAS_QUEUE = `select exists (select 1 from waitlist_entries where shift_id = ?) as waiting`;

export const QUEUE = `select w.volunteer_id, v.name, w.joined_at, w.role_id from waitlist_entries w join volunteers v on v.account_id = w.volunteer_id
       where w.shift_id = ? order by w.joined_at, w.id`;

/** The shift for a join: its state and whether the volunteer already holds a place or a held offer. */
export const JOIN_STATE = `select s.status, s.capacity, s.filled, s.starts_at, s.ends_at,
         (select b.status from bookings b where b.shift_id = s.id and b.volunteer_id = ?) as booking_status,
         exists (select 1 from offers f where f.shift_id = s.id and f.volunteer_id = ? and f.status = 'pending' and f.held_seat) as held
       from shifts s where s.id = ?`;

/**
 * The head of the queue's held offer: a new offer, or their earlier one for the shift (withdrawn when
 * it filled, expired, or still pending) armed again, since a volunteer has one offer per shift. An
 * earlier cover offer armed as a held seat is no longer a cover offer.
 */
export const ARM_HELD_OFFER = `insert into offers (shift_id, volunteer_id, wave, score, explanation, expires_at, held_seat, role_id)
       values (?, ?, ?, ?, ?, ?, true, ?)
       on conflict (shift_id, volunteer_id) do update
         set status = 'pending', held_seat = true, cover_request_id = null, wave = excluded.wave, score = excluded.score,
             explanation = excluded.explanation, expires_at = excluded.expires_at, role_id = excluded.role_id, responded_at = null, created_at = now()
         where offers.status in ('pending', 'withdrawn', 'expired')
       returning id`;

export const HELD_OFFER = `select f.id, f.expires_at, f.volunteer_id from offers f
       where f.id = ? and f.status = 'pending' and f.held_seat and f.expires_at > now()`;

export const MARK_SENT = `update offers set sent_at = coalesce(sent_at, now()) where id = ?`;

/** The cover request a volunteer's pending offer for the shift asks for, if it is a cover offer. */
export const PENDING_COVER_REQUEST = `select cover_request_id from offers
       where shift_id = ? and volunteer_id = ? and status = 'pending' and cover_request_id is not null`;
