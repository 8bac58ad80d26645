/** Cover requests and cover offers (migration Cover20261206). Lock order everywhere: shift, request, offers. */

/** The volunteer's own booking a request is about, with its shift (not locked). */
export const OWN_BOOKING_FOR_COVER = `select b.id, b.status, b.shift_id, s.starts_at, s.status as shift_status
       from bookings b join shifts s on s.id = b.shift_id where b.id = ? and b.volunteer_id = ?`;

export const OPEN_REQUEST_OF_BOOKING = `select id, deadline from cover_requests where booking_id = ? and status = 'open'`;

/** A second ask while one is open does nothing (the partial unique index). */
export const INSERT_REQUEST = `insert into cover_requests (booking_id, shift_id, volunteer_id, deadline) values (?, ?, ?, ?)
       on conflict (booking_id) where status = 'open' do nothing returning id`;

/** The asker's booking's role comes along: cover is asked for that role (ADR 0029). */
const ASKERS_ROLE = `(select b.role_id from bookings b where b.id = cover_requests.booking_id) as role_id`;

export const REQUEST = `select id, booking_id, shift_id, volunteer_id, status, deadline, ${ASKERS_ROLE} from cover_requests where id = ?`;

export const LOCK_REQUEST = `select id, booking_id, shift_id, volunteer_id, status, deadline, deadline <= now() as overdue, ${ASKERS_ROLE}
       from cover_requests where id = ? for update of cover_requests`;

export const RESOLVE_REQUEST = `update cover_requests set status = ?::cover_request_status, resolved_at = now(), covered_by_booking_id = ?
       where id = ? and status = 'open' returning id`;

/** Every pending cover offer of the request, withdrawn (the request is over). */
export const WITHDRAW_COVER_OFFERS = `update offers set status = 'withdrawn', responded_at = now()
       where cover_request_id = ? and status = 'pending' returning id, sent_at is not null as sent`;

export const PENDING_COVER_OFFERS = `select count(*)::int as pending from offers where cover_request_id = ? and status = 'pending' and expires_at > now()`;

/** Everyone a cover offer of this request already went to, and everyone with a booking row on the shift. */
export const ALREADY_ASKED = `select volunteer_id from offers where cover_request_id = ?
       union select volunteer_id from bookings where shift_id = ?`;

/**
 * A cover offer: new, or the volunteer's earlier offer for the shift (withdrawn or expired) armed
 * again, since a volunteer has one offer per shift. A declined or pending one is left alone. It is
 * for the asker's role (an earlier offer of another role takes this one's).
 */
export const ARM_COVER_OFFER = `insert into offers (shift_id, volunteer_id, wave, score, explanation, expires_at, cover_request_id, role_id)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (shift_id, volunteer_id) do update
         set status = 'pending', held_seat = false, cover_request_id = excluded.cover_request_id, wave = excluded.wave,
             role_id = excluded.role_id,
             score = excluded.score, explanation = excluded.explanation, expires_at = excluded.expires_at,
             responded_at = null, sent_at = null, created_at = now()
         where offers.status in ('withdrawn', 'expired')
       returning id`;

export const WITHDRAW_IF_PENDING = `update offers set status = 'withdrawn', responded_at = now() where id = ? and status = 'pending' returning id`;

export const OFFER_STATUS = `select status::text from offers where id = ?`;

export const COVER_REQUEST_OF_OFFER = `select cover_request_id from offers where id = ?`;

/** The asker's booking, handed over or released: cancelled, never late (they asked in time). */
export const CANCEL_ASKERS_BOOKING = `update bookings set status = 'cancelled', updated_at = now(), sequence = sequence + 1,
           cancel_reason = ?, cancelled_late = false
       where id = ? and status = 'confirmed' returning id`;

export const INSERT_COVERED_CHANGE = `insert into shift_changes (shift_id, kind, changes) values (?, 'covered', ?::jsonb)`;

export const OVERDUE_REQUESTS = `select id from cover_requests where status = 'open' and deadline <= now() order by deadline limit 200`;

export const VOLUNTEER_NAME = `select name from volunteers where account_id = ?`;

/** When the asker cancels their place themselves, their open request ends with it. */
export const WITHDRAW_REQUEST_OF_BOOKING = `with r as (
         update cover_requests set status = 'withdrawn', resolved_at = now() where booking_id = ? and status = 'open' returning id)
       update offers set status = 'withdrawn', responded_at = now() where status = 'pending' and cover_request_id in (select id from r)`;

export const BOOKING_SHIFT = `select shift_id from bookings where id = ? and volunteer_id = ?`;

/** A pending cover offer's email context; `asker_name` is the one being covered. */
export const COVER_OFFER_CONTEXT = (contextSql: string) => `${contextSql} join offers f on f.shift_id = s.id
       join cover_requests r on r.id = f.cover_request_id join volunteers asker on asker.account_id = r.volunteer_id
       where f.id = ? and v.account_id = f.volunteer_id and f.status = 'pending' and r.status = 'open' and f.expires_at > now()`;

export const COVER_OFFER = `select f.id, f.expires_at from offers f join cover_requests r on r.id = f.cover_request_id
       where f.id = ? and f.status = 'pending' and r.status = 'open' and f.expires_at > now()`;

/** A resolved request for its emails: the asker's (cancelled) booking, and who took it over. */
export const RESOLVED_REQUEST = `select r.id, r.status, r.booking_id, r.shift_id, asker.name as asker_name, taker.name as taker_name
       from cover_requests r join volunteers asker on asker.account_id = r.volunteer_id
       left join bookings nb on nb.id = r.covered_by_booking_id left join volunteers taker on taker.account_id = nb.volunteer_id
       where r.id = ? and r.status in ('covered', 'released')`;

/** The shift's first coordinator, to be told about a swap or a release. */
export const COORDINATOR_CONTEXT = `select s.title, s.starts_at, s.ends_at, o.time_zone, a.email, c.name
         from shifts s join organisations o on o.id = s.organisation_id join coordinators c on c.organisation_id = o.id
         join accounts a on a.id = c.account_id and a.email is not null
        where s.id = ? order by c.created_at limit 1`;

/** Open requests of a shift, for the roster. */
export const ROSTER_OPEN_REQUESTS = `select r.id, r.booking_id, r.volunteer_id, v.name, r.deadline, r.created_at
       from cover_requests r join volunteers v on v.account_id = r.volunteer_id
       where r.shift_id = ? and r.status = 'open' order by r.created_at`;

/** The shift's swaps, oldest first: who was covered by whom, and when. */
export const ROSTER_SWAPS = `select c.created_at, c.changes->>'fromBookingId' as from_booking_id, c.changes->>'toBookingId' as to_booking_id,
              fv.name as from_name, tv.name as to_name, to_char(c.created_at at time zone o.time_zone, 'Dy DD Mon, HH24:MI') as at_local
       from shift_changes c join shifts s on s.id = c.shift_id join organisations o on o.id = s.organisation_id
       left join bookings fb on fb.id = (c.changes->>'fromBookingId')::uuid left join volunteers fv on fv.account_id = fb.volunteer_id
       left join bookings tb on tb.id = (c.changes->>'toBookingId')::uuid left join volunteers tv on tv.account_id = tb.volunteer_id
       where c.shift_id = ? and c.kind = 'covered' order by c.id`;

/** The volunteer's open requests, for /me. */
export const MY_OPEN_REQUESTS = `select r.id, r.booking_id, r.shift_id, r.deadline from cover_requests r
       where r.volunteer_id = ? and r.status = 'open'`;
