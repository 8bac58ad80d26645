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

/** Roles (ADR 0029), in order, for the shifts given. */
export const ROLES_OF_SHIFTS_SQL = `select id, shift_id, name, capacity, filled, required_skills, nice_skills, notes
           from shift_roles where shift_id = any(cast(? as uuid[])) order by shift_id, position`;

/** The roles of one shift, locked: seats move under the shift's lock, edits under these. */
export const LOCK_ROLES_SQL = `select r.id, r.filled, r.capacity, exists (select 1 from bookings b where b.role_id = r.id) as has_bookings
           from shift_roles r where r.shift_id = ? order by r.position for update`;

/** Positions out of the way first, so re-ordering never meets unique (shift_id, position). */
export const PARK_ROLE_POSITIONS_SQL = `update shift_roles set position = -1 - position where shift_id = ?`;

export const DELETE_ROLE_SQL = `delete from shift_roles where id = ? and shift_id = ?`;

export const INSERT_ROLE_SQL = `insert into shift_roles (shift_id, position, name, capacity, required_skills, nice_skills, notes)
           values (?, ?, ?, ?, cast(? as text[]), cast(? as text[]), ?)`;

export const UPDATE_ROLE_SQL = `update shift_roles set position = ?, name = ?, capacity = ?, required_skills = cast(? as text[]),
           nice_skills = cast(? as text[]), notes = ? where id = ? and shift_id = ?`;
