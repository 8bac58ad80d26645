/** The organisations area's longer SQL, kept apart so the repository reads as a list of queries. */

/** One occurrence of a series; an occurrence that already exists (same series and start) is skipped. */
export const INSERT_OCCURRENCE_SQL = `insert into shifts (organisation_id, series_id, address_id, title, description, starts_at, ends_at, lat, lon, capacity,
                             required_skills, nice_skills, status, published_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as text[]), cast(? as text[]), ?, ?)
         on conflict (series_id, starts_at) where series_id is not null do nothing returning id`;

export const CANCEL_BOOKINGS_SQL = `update bookings set status = 'cancelled', updated_at = now(), sequence = sequence + 1 where shift_id = ? and status = 'confirmed' returning id`;

export const WITHDRAW_OFFERS_SQL = `update offers set status = 'withdrawn', responded_at = now() where shift_id = ? and status = 'pending'`;

export const SHIFT_TITLES_SQL = `select s.id, s.title, o.name as organisation_name from shifts s join organisations o on o.id = s.organisation_id
        where s.id = any(cast(? as uuid[]))`;

export const SERIES_OF_ORGANISATION_SQL = `select id, title, weekday, start_local::text, end_local::text, starts_on::text, until::text, status::text
           from shift_series where organisation_id = ? order by status, created_at desc limit 100`;
