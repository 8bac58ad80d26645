import { CALENDAR_SEQUENCE_SQL } from './read-models.sql.js';

/**
 * The title the mail shows: a shift with more than one role names the row's role first
 * ("Kitchen lead — Supper"), so subjects, bodies and the iCalendar SUMMARY say which part it is (ADR 0029).
 */
const titleSql = (role: string | null) =>
  role
    ? `coalesce((select r.name || ' — ' || s.title from shift_roles r where r.id = ${role}
                  and exists (select 1 from shift_roles x where x.shift_id = s.id and x.id <> r.id)), s.title) as title`
    : 's.title';

/** A former volunteer (a deleted account's history) has no address: nothing is ever mailed about their rows. */
export const contextSql = ({ sequence = 's.sequence', role = null as string | null } = {}) => `
  select v.account_id as volunteer_id, a.email, v.name as volunteer_name, v.time_zone, s.id as shift_id, ${titleSql(role)}, s.description,
         s.starts_at, s.ends_at, ${sequence} as sequence, o.name as organisation_name, ad.label as place_label, ad.street, s.lat, s.lon
  from volunteers v join accounts a on a.id = v.account_id and a.email is not null, shifts s
  join organisations o on o.id = s.organisation_id join organisation_addresses ad on ad.id = s.address_id`;

/** Only people who actually received the offer hear that it filled. */
export const WITHDRAWN_OFFER_CONTEXT = `${contextSql()} join offers f on f.shift_id = s.id where f.id = ? and v.account_id = f.volunteer_id and f.status = 'withdrawn' and f.sent_at is not null`;

/** A held seat's offer, still pending and inside its deadline. */
export const HELD_SEAT_CONTEXT = `${contextSql({ role: 'f.role_id' })} join offers f on f.shift_id = s.id
       where f.id = ? and v.account_id = f.volunteer_id and f.status = 'pending' and f.held_seat and f.expires_at > now()`;

export const BOOKING_CONTEXT = `${contextSql({ sequence: CALENDAR_SEQUENCE_SQL, role: 'b.role_id' })} join bookings b on b.shift_id = s.id
       where b.id = ? and v.account_id = b.volunteer_id and b.status::text = any(cast(? as text[]))`;

/**
 * One call of offer_email_prepare (migration DeliveryClaims20261127) per offer email, in one
 * statement: $1–$4 the offers' columns, $5 the claim's seconds, $6 the unsubscribe link's.
 */
export const PREPARE_OFFER_EMAILS = `select t.i, offer_email_prepare(t.offer_id, t.claimant, $5, t.answer_hash, t.unsubscribe_hash, $6) as prepared
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) with ordinality as t(offer_id, claimant, answer_hash, unsubscribe_hash, i)`;

export const FIRST_OFFER_SENT = `select extract(epoch from (now() - s.published_at))::float8 as seconds
       from offers f join shifts s on s.id = f.shift_id
       where f.id = $1 and s.published_at is not null
         and not exists (select 1 from offers o where o.shift_id = f.shift_id and o.id <> f.id and o.sent_at < f.sent_at)`;

export const NO_CANDIDATES_CONTEXT = `select s.title, s.starts_at, s.ends_at, s.filled, s.capacity, o.time_zone, a.email, c.name
         from shifts s join organisations o on o.id = s.organisation_id join coordinators c on c.organisation_id = o.id join accounts a on a.id = c.account_id
         where s.id = ? and s.status = 'open' order by c.created_at limit 1`;

export const SHIFT_CHANGE = `select kind, changes from shift_changes where id = ? and shift_id = ?`;

export const CONFIRMED_BOOKINGS = `select id from bookings where shift_id = ? and status = 'confirmed'`;
