import { JobName } from '../../platform/index.js';

/**
 * Offers written this recently and not emailed yet are "going out"; older ones wait for quiet hours
 * (or a stalled worker) and no longer keep the coordinator's page refreshing.
 */
const SENDING_WINDOW = '5 minutes';
/** A wave asked for this long ago and still not written is no longer shown as being prepared. */
const PREPARING_WINDOW = '2 minutes';

/**
 * A booking's iCalendar SEQUENCE (shifts `s`, bookings `b`): the shift's changes plus the booking's
 * own (cancelling it raises both), so every update or CANCEL of its stable UID counts higher than
 * the last one sent.
 */
export const CALENDAR_SEQUENCE_SQL = '(s.sequence + b.sequence)';

export const MY_OFFERS = `select f.id, s.id as shift_id, s.title, o.name as organisation_name, s.starts_at, s.ends_at, f.explanation, f.expires_at, v.time_zone
       from offers f join shifts s on s.id = f.shift_id join organisations o on o.id = s.organisation_id join volunteers v on v.account_id = f.volunteer_id
       where f.volunteer_id = ? and f.status = 'pending' and f.expires_at > now() order by s.starts_at`;

export const MY_BOOKINGS = `select b.id, s.id as shift_id, s.title, o.name as organisation_name, s.starts_at, s.ends_at, b.status, v.time_zone
       from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id join volunteers v on v.account_id = b.volunteer_id
       where b.volunteer_id = ? order by s.starts_at desc limit 200`;

export const BOOKING_SUMMARY = `select s.title, s.starts_at, s.ends_at, o.name as organisation_name, ad.label as place, ad.street, v.time_zone
         from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id
         join organisation_addresses ad on ad.id = s.address_id join volunteers v on v.account_id = b.volunteer_id
        where b.id = ?`;

export const ROSTER_SHIFT = `select id, capacity, filled, status from shifts where id = ? and organisation_id = ?`;

export const ROSTER_BOOKINGS = `select b.id, b.volunteer_id, v.name, b.status, b.cancel_reason, b.cancelled_late, b.role_id, r.name as role_name
       from bookings b join volunteers v on v.account_id = b.volunteer_id join shift_roles r on r.id = b.role_id where b.shift_id = ? order by r.position, b.created_at`;

export const ROSTER_OFFERS = `select f.id, f.volunteer_id, v.name, f.status, f.wave, f.cover_request_id is not null as cover, f.role_id, r.name as role_name
       from offers f join volunteers v on v.account_id = f.volunteer_id join shift_roles r on r.id = f.role_id
       where f.shift_id = ? and f.status <> 'accepted' order by f.wave, f.score desc`;

/** Counts and the "being prepared" flag of OffersQueries.progress; parameters: NO_CANDIDATES_JOB_PREFIX, shift, organisation. */
export const PROGRESS = `select s.status, s.capacity, s.filled, s.starts_at, f.*,
              t.at is not null and t.at > coalesce(f.last_offer_at, '-infinity') and t.at > now() - interval '${PREPARING_WINDOW}'
                and not exists (select 1 from outbox x where x.job_id = ? || s.id || '-' || (coalesce(f.last_wave, 0) + 1) and x.created_at >= t.at) as triggered
         from shifts s
         cross join lateral (
           select count(*) filter (where o.status = 'pending' and o.sent_at is null and o.expires_at > now())::int as queued,
                  count(*) filter (where o.status = 'pending' and o.sent_at is null and o.expires_at > now() and o.created_at > now() - interval '${SENDING_WINDOW}')::int as queued_recent,
                  count(*) filter (where o.sent_at is not null)::int as sent,
                  count(*) filter (where o.status = 'pending' and o.sent_at is not null and o.expires_at > now())::int as waiting,
                  count(*) filter (where o.status = 'pending' and o.expires_at > now())::int as pending,
                  count(*) filter (where o.status = 'accepted')::int as accepted,
                  count(*) filter (where o.status = 'declined')::int as declined,
                  count(*) filter (where o.status = 'expired' or (o.status = 'pending' and o.expires_at <= now()))::int as expired,
                  count(*) filter (where o.status = 'withdrawn')::int as withdrawn,
                  max(o.created_at) as last_offer_at, max(o.wave) as last_wave,
                  max(o.responded_at) filter (where o.status in ('declined', 'expired')) as last_freed_at
             from offers o where o.shift_id = s.id and o.cover_request_id is null) f
         cross join lateral (
           select greatest(s.published_at, f.last_freed_at,
                           (select max(b.updated_at) from bookings b where b.shift_id = s.id and b.status = 'cancelled')) as at) t
        where s.id = ? and s.organisation_id = ?`;

/** The job id prefix PROGRESS_SQL looks for: a no-candidates email means nobody is left to ask. */
export const NO_CANDIDATES_JOB_PREFIX = `${JobName.NoCandidatesEmail}-`;

export const OFFER_FOR_LINK = `select s.title, s.description, s.starts_at, s.ends_at, o.name as organisation_name, ad.label as place, ad.street, f.explanation, v.time_zone, f.status
       from offers f join shifts s on s.id = f.shift_id join organisations o on o.id = s.organisation_id
       join organisation_addresses ad on ad.id = s.address_id join volunteers v on v.account_id = f.volunteer_id
       where f.id = ? and f.volunteer_id = ?`;

export const SHIFT_FILLS = `select s.id,
              (select count(*)::int from offers f where f.shift_id = s.id and f.status = 'pending' and f.expires_at > now()) as offered,
              (select count(*)::int from bookings b where b.shift_id = s.id and b.status in ('confirmed', 'attended', 'no_show')) as booked
         from shifts s where s.organisation_id = ? and s.id = any(cast(? as uuid[]))`;

export const CALENDAR_BOOKING = `select b.status, s.title, s.description, s.starts_at, s.ends_at, ${CALENDAR_SEQUENCE_SQL} as sequence, s.lat, s.lon, o.name as organisation_name,
              ad.label as place_label, ad.street, a.email, v.name as volunteer_name
         from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id
         join organisation_addresses ad on ad.id = s.address_id join volunteers v on v.account_id = b.volunteer_id
         join accounts a on a.id = v.account_id
        where b.id = ? and b.volunteer_id = ? and b.status in ('confirmed', 'attended')`;

export const OWN_BOOKING = `select b.status, s.title, s.starts_at, s.ends_at, s.starts_at <= now() as started, o.name as organisation_name, v.time_zone
         from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id
         join volunteers v on v.account_id = b.volunteer_id
        where b.id = ? and b.volunteer_id = ?`;

export const SHIFT_STARTED = `select starts_at <= now() as started from shifts where id = ? and organisation_id = ?`;
