/** The shift a wave is for; `lock` takes its row until the wave's transaction ends. */
export const WAVE_SHIFT = (lock: boolean) =>
  `select id, status, capacity, filled, starts_at from shifts where id = ?${lock ? ' for update' : ''}`;

/** Held offers hold seats already (they are in `filled`) and cover offers ask for a booked one: only the others wait for an open place. */
export const WAVE_COUNTS = `select count(*) filter (where status = 'pending' and not held_seat and cover_request_id is null)::int as pending, coalesce(max(wave), 0)::int as last_wave from offers where shift_id = ?`;

/** The same, for one role's seats (params: role, shift): a wave offers each role's open seats (ADR 0029). */
export const ROLE_WAVE_COUNTS = `select count(*) filter (where status = 'pending' and not held_seat and cover_request_id is null and role_id = ?)::int as pending,
              coalesce(max(wave), 0)::int as last_wave from offers where shift_id = ?`;

/** The shift's roles and their seats, in order (read after the shift's lock, they are current). */
export const WAVE_ROLES = `select id, capacity, filled from shift_roles where shift_id = ? order by position`;

/** Each candidate's zone, quiet hours, last decline and offers of the last 8 days (weekly cap, cool-down). */
export const CANDIDATE_FACTS = `select v.account_id, v.time_zone, v.quiet_hours_start::text, v.quiet_hours_end::text,
              (select max(responded_at) from offers o where o.volunteer_id = v.account_id and o.status = 'declined') as last_decline,
              coalesce((select array_agg(created_at) from offers o where o.volunteer_id = v.account_id and o.created_at > now() - interval '8 days'), '{}') as recent_offer_times
       from volunteers v where v.account_id = any(cast(? as uuid[]))`;

export const INSERT_OFFERS = `insert into offers (shift_id, volunteer_id, wave, score, explanation, expires_at, role_id)
           select ?, t.volunteer_id, ?, t.score, t.explanation, t.expires_at, ?
           from jsonb_to_recordset(cast(? as jsonb)) as t(volunteer_id uuid, score real, explanation text, expires_at timestamptz)
           on conflict (shift_id, volunteer_id) do nothing returning id, volunteer_id`;

export const EXPIRE_OFFER = `update offers set status = 'expired', responded_at = now() where id = ? and status = 'pending' and expires_at <= now() returning shift_id, cover_request_id`;

export const EXPIRE_OVERDUE = `update offers set status = 'expired', responded_at = now() where status = 'pending' and expires_at <= now() returning id, shift_id, cover_request_id`;
