import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * One volunteer of `organisationId` with `entries` hours entries, for the statement benchmarks: 80 %
 * attended shifts, one a day going back from yesterday (half with arrival rows, so their credit comes
 * from the door times), and 20 % approved logged hours before those. Returns the volunteer's account id.
 */
export async function seedStatementVolunteer(
  em: EntityManager,
  organisationId: string,
  entries: number,
  email = 'bench-hours@example.org',
): Promise<string> {
  const shifts = Math.round(entries * 0.8);
  const logged = entries - shifts;
  const [{ id: volunteerId }] = await em.execute(
    `insert into accounts (email, role, email_verified_at) values (?, 'volunteer', now()) returning id`,
    [email],
  );
  await em.execute(
    `insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km) values (?, 'Robin Bench', 'Europe/London', 53.48, -2.24, 10)`,
    [volunteerId],
  );
  await em.execute(
    `with s as (
       insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
       select ?, a.id, 'Evening meal service ' || g, date_trunc('day', now()) - g * interval '1 day' + interval '17 hours',
              date_trunc('day', now()) - g * interval '1 day' + interval '20 hours', 53.48, -2.24, 5, 1, 'completed'
         from generate_series(1, ?) g, lateral (select id from organisation_addresses where organisation_id = ? limit 1) a
       returning id, starts_at, ends_at)
     insert into bookings (shift_id, volunteer_id, status, period)
     select id, ?, 'attended', tstzrange(starts_at, ends_at) from s`,
    [organisationId, shifts, organisationId, volunteerId],
  );
  await em.execute(
    `insert into arrivals (booking_id, shift_id, arrived_at, arrived_via, left_at, left_via)
     select b.id, b.shift_id, s.starts_at + interval '10 minutes', 'qr', s.ends_at - interval '5 minutes', 'kiosk'
       from bookings b join shifts s on s.id = b.shift_id where b.volunteer_id = ? and extract(day from s.starts_at)::int % 2 = 0`,
    [volunteerId],
  );
  await em.execute(
    `insert into hours_entries (kind, volunteer_id, organisation_id, status, work_date, logged_minutes, description, decided_at)
     select 'logged', ?, ?, 'approved', current_date - (? + g), 90, 'Fundraising stall ' || g, now()
       from generate_series(1, ?) g`,
    [volunteerId, organisationId, shifts, logged],
  );
  const [{ count }] = await em.execute(`select count(*)::int as count from hours_entries where volunteer_id = ?`, [
    volunteerId,
  ]);
  if (count !== entries) throw new Error(`seeded ${count} entries, wanted ${entries}`);
  return volunteerId as string;
}
