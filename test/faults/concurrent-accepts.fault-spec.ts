import { IdentityService } from '../../libs/identity/identity.service.js';
import { FaultEnv } from './support/fault-env.js';
import { createOrganisation, insertOpenShift, insertPendingOffers, insertVolunteers } from './support/world.js';

/**
 * Fault 4: 200 volunteers accept the same 5-slot shift at the same moment, over real HTTP.
 * Exactly 5 are booked, the shift is full, everyone else hears "filled" — whether their accept
 * lost the race for the last slot or their offer was withdrawn when the shift filled — and no
 * request fails.
 */
describe('fault 4: 200 concurrent accepts for a 5-slot shift', () => {
  let env: FaultEnv;
  let baseUrl: string;
  beforeAll(async () => {
    env = await FaultEnv.start('concurrent_accepts');
    await env.api.listen(0, '127.0.0.1');
    baseUrl = (await env.api.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('books exactly 5, answers the rest "filled", never 5xx', async () => {
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'race');
    const volunteers = await insertVolunteers(env.db, 'race', 200);
    const shiftId = await insertOpenShift(env.db, org, 'Five places', 5);
    const offers = await insertPendingOffers(env.db, shiftId, volunteers);
    const identity = env.api.get(IdentityService);
    const tokens: string[] = [];
    for (const [index, offerId] of offers.entries())
      tokens.push(await identity.issueLinkToken(volunteers[index], 'offer_response', 3600, offerId));

    const started = performance.now();
    const answers = await Promise.all(
      tokens.map(async (token) => {
        const response = await fetch(`${baseUrl}/links/offer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ token, action: 'accept' }),
        });
        const text = await response.text();
        env.contract.assert('POST', '/links/offer', {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          text,
        });
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = { text };
        }
        return { status: response.status, body };
      }),
    );
    const elapsedMs = performance.now() - started;

    const statuses = count(answers.map((a) => a.status));
    expect(statuses).toEqual({ 200: 200 });
    const outcomes = count(
      answers.map((a) => (a.body.outcome === 'closed' ? `closed:${a.body.status}` : a.body.outcome)),
    );
    expect(outcomes).toEqual({ booked: 5, filled: 195 });

    const [shift] = (await env.db.query(`select filled, capacity, status from shifts where id = $1`, [shiftId])).rows;
    expect(shift).toEqual({ filled: 5, capacity: 5, status: 'full' });
    const [bookings] = (
      await env.db.query(
        `select count(*)::int as n, count(distinct volunteer_id)::int as people from bookings where shift_id = $1 and status = 'confirmed'`,
        [shiftId],
      )
    ).rows;
    expect(bookings).toEqual({ n: 5, people: 5 });
    const offerStates = (
      await env.db.query(
        `select status::text, count(*)::int as n from offers where shift_id = $1 group by status order by status`,
        [shiftId],
      )
    ).rows;
    expect(offerStates).toEqual([
      { status: 'accepted', n: 5 },
      { status: 'withdrawn', n: 195 },
    ]);
    // Each booked answer names a real booking of that shift.
    const bookedIds = answers
      .filter((a) => a.body.outcome === 'booked')
      .map((a) => a.body.bookingId)
      .sort();
    const rows = (await env.db.query(`select id from bookings where shift_id = $1 order by id`, [shiftId])).rows
      .map((row) => row.id)
      .sort();
    expect(bookedIds).toEqual(rows);
    console.log(`fault 4: 200 concurrent accepts in ${elapsedMs.toFixed(0)} ms → ${JSON.stringify(outcomes)}`);
  }, 60_000);
});

function count(values: Array<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
