import type pg from 'pg';
import { DateTime } from 'luxon';
import { generateToken, hashToken } from '../../../libs/common/tokens.js';

/** Manchester, where every fault-test organisation and volunteer lives. */
export const CENTRE = { lat: 53.4808, lon: -2.2426 };

export interface Organisation {
  organisationId: string;
  addressId: string;
  coordinatorId: string;
  /** A coordinator session token (Bearer), minted the way IdentityService stores sessions. */
  token: string;
}

/** An organisation with its default address and a signed-in coordinator, written directly. */
export async function createOrganisation(db: pg.Client, secret: string, slug: string): Promise<Organisation> {
  const [org] = (
    await db.query(
      `insert into organisations (name, kind, time_zone) values ($1, 'soup_kitchen', 'Europe/London') returning id`,
      [`Kitchen ${slug}`],
    )
  ).rows;
  const [address] = (
    await db.query(
      `insert into organisation_addresses (organisation_id, label, street, lat, lon, is_default) values ($1, 'Main hall', '1 Example Street', $2, $3, true) returning id`,
      [org.id, CENTRE.lat, CENTRE.lon],
    )
  ).rows;
  const [coordinator] = (
    await db.query(
      `insert into accounts (email, role, email_verified_at) values ($1, 'coordinator', now()) returning id`,
      [`coordinator@${slug}.example.org`],
    )
  ).rows;
  await db.query(`insert into coordinators (account_id, organisation_id, name) values ($1, $2, 'Alex')`, [
    coordinator.id,
    org.id,
  ]);
  const token = generateToken();
  await db.query(
    `insert into sessions (account_id, token_hash, expires_at) values ($1, $2, now() + interval '1 day')`,
    [coordinator.id, hashToken(token, secret)],
  );
  return { organisationId: org.id, addressId: address.id, coordinatorId: coordinator.id, token };
}

/**
 * `count` matchable volunteers in bulk: verified accounts, active, no quiet hours, the `cooking`
 * skill, available 06:00–23:00 every day (London time), living on a grid within ~3 km of the
 * centre and willing to travel 25 km. Availability windows go in with one statement, so the
 * trigger computes each volunteer's weekly availability once. Returns the account ids.
 */
export async function insertVolunteers(db: pg.Client, prefix: string, count: number): Promise<string[]> {
  await db.query('begin');
  try {
    const ids = (
      await db.query(
        `insert into accounts (id, email, role, email_verified_at)
       select gen_random_uuid(), $1 || '-' || g || '@volunteers.example.org', 'volunteer', now() from generate_series(1, $2::int) g
       returning id`,
        [prefix, count],
      )
    ).rows.map((row) => String(row.id));
    await db.query(
      `insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km, skills, quiet_hours_start, quiet_hours_end, weekly_shift_cap)
       select v.id, 'Volunteer ' || v.n, 'Europe/London', $2 + ((v.n % 25) - 12) * 0.002, $3 + ((v.n / 25) - 10) * 0.003, 25, '{cooking}', '00:00', '00:00', 7
       from unnest($1::uuid[]) with ordinality as v(id, n)`,
      [ids, CENTRE.lat, CENTRE.lon],
    );
    await db.query(
      `insert into availability_windows (volunteer_id, weekday, start_local, end_local)
       select v.id, d, '06:00', '23:00' from unnest($1::uuid[]) as v(id) cross join generate_series(1, 7) d`,
      [ids],
    );
    await db.query('commit');
    return ids;
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

/** A shift next week (or `weeksAhead`), 17:00–20:00 London time, needing `cooking`. */
export function shiftBody(title: string, capacity: number, options: { weeksAhead?: number; dayOffset?: number } = {}) {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: options.weeksAhead ?? 1, days: options.dayOffset ?? 0 })
    .set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
  return {
    title,
    startsAt: start.toISO() as string,
    endsAt: start.plus({ hours: 3 }).toISO() as string,
    capacity,
    requiredSkills: ['cooking'],
    publish: true,
  };
}

/** An open shift written directly (no outbox row: no worker will send offers for it). */
export async function insertOpenShift(
  db: pg.Client,
  org: Organisation,
  title: string,
  capacity: number,
): Promise<string> {
  const body = shiftBody(title, capacity);
  const [row] = (
    await db.query(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, required_skills, status, published_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, '{cooking}', 'open', now()) returning id`,
      [org.organisationId, org.addressId, title, body.startsAt, body.endsAt, CENTRE.lat, CENTRE.lon, capacity],
    )
  ).rows;
  return row.id;
}

/** Pending offers for a shift, one per volunteer, open for `hours`. Returns offer ids in volunteer order. */
export async function insertPendingOffers(
  db: pg.Client,
  shiftId: string,
  volunteerIds: string[],
  hours = 12,
): Promise<string[]> {
  const rows = (
    await db.query(
      `insert into offers (shift_id, volunteer_id, wave, explanation, expires_at, sent_at)
     select $1, v.id, 1, 'Test offer', now() + make_interval(hours => $3::int), now() from unnest($2::uuid[]) with ordinality as v(id, n)
     order by v.n returning id, volunteer_id`,
      [shiftId, volunteerIds, hours],
    )
  ).rows;
  const byVolunteer = new Map(rows.map((row) => [String(row.volunteer_id), String(row.id)]));
  return volunteerIds.map((id) => byVolunteer.get(id)!);
}
