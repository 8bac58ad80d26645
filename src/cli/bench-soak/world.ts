import pg from 'pg';
import { generateToken, hashToken } from '../../../libs/common/tokens.js';
import { createWorld } from '../bench-offers/world.js';

export interface SoakWorld {
  organisations: Array<{ organisationId: string; token: string }>;
  /** Bearer session tokens of volunteers (for /api/me). */
  volunteerTokens: string[];
  /** Emails of existing volunteers (for sign-in). */
  volunteerEmails: string[];
  /** Offer links (only ever opened with GET, which never uses them up). */
  offerTokens: string[];
}

/**
 * The bench-offers world (organisations, each with a cluster of matchable volunteers), plus what
 * the soak's requests need: sessions for the coordinators and some volunteers, one open shift per
 * organisation with pending offers, and an offer link per offer. Written with SQL, before the api
 * starts; tokens are stored hashed with the api's SESSION_SECRET, as IdentityService does.
 */
export async function createSoakWorld(
  url: string,
  secret: string,
  organisationCount: number,
  candidates: number,
): Promise<SoakWorld> {
  const organisations = await createWorld(url, organisationCount, candidates);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const session = async (accountId: string) => {
      const token = generateToken();
      await db.query(
        `insert into sessions (account_id, token_hash, expires_at) values ($1, $2, now() + interval '1 day')`,
        [accountId, hashToken(token, secret)],
      );
      return token;
    };
    const result: SoakWorld = { organisations: [], volunteerTokens: [], volunteerEmails: [], offerTokens: [] };
    for (const org of organisations)
      result.organisations.push({ organisationId: org.organisationId, token: await session(org.coordinatorId) });
    const volunteers = (
      await db.query(
        `select account_id, a.email from volunteers v join accounts a on a.id = v.account_id order by account_id limit 200`,
      )
    ).rows;
    for (const volunteer of volunteers.slice(0, 100)) result.volunteerTokens.push(await session(volunteer.account_id));
    result.volunteerEmails = volunteers.map((volunteer) => String(volunteer.email));
    // One open shift per organisation, two weeks out, with a pending offer for 20 of its volunteers.
    await db.query(`insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, required_skills, status, published_at)
      select o.id, a.id, 'Soak shift', date_trunc('day', now()) + interval '14 days 17 hours', date_trunc('day', now()) + interval '14 days 20 hours', a.lat, a.lon, 5, '{cooking}', 'open', now()
      from organisations o join organisation_addresses a on a.organisation_id = o.id`);
    const pairs = (
      await db.query(`insert into offers (shift_id, volunteer_id, wave, explanation, expires_at, sent_at)
      select s.id, x.account_id, 1, 'Soak offer', now() + interval '1 day', now()
      from shifts s cross join lateral (
        select v.account_id from volunteers v order by abs(v.home_lat - s.lat) + abs(v.home_lon - s.lon) limit 20
      ) x
      returning id, volunteer_id`)
    ).rows;
    for (const offer of pairs) {
      const token = generateToken();
      await db.query(
        `insert into link_tokens (token_hash, purpose, account_id, subject_id, expires_at) values ($1, 'offer_response', $2, $3, now() + interval '1 day')`,
        [hashToken(token, secret), offer.volunteer_id, offer.id],
      );
      result.offerTokens.push(token);
    }
    return result;
  } finally {
    await db.end();
  }
}
