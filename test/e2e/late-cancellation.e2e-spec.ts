import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator } from '../support/actors.js';

/**
 * A volunteer's own cancellation within LATE_CANCEL_HOURS (here 24) of the start is marked late:
 * the roster says so, and matching's reliability counts it at half a no-show. Earlier ones are
 * plain cancellations and count for nothing.
 */
describe('late cancellations', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;

  beforeAll(async () => {
    h = await startHarness('late_cancellation', { env: { LATE_CANCEL_HOURS: '24' } });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'latecancel');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** An open shift starting at `start`, opened directly so no wave runs: its bookings are the test's own. */
  async function openShift(title: string, start: DateTime): Promise<string> {
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title, startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity: 3, publish: false },
    });
    expect(res.status).toBe(201);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [res.body.id]);
    return res.body.id;
  }
  const shiftIn = (title: string, startsInHours: number) =>
    openShift(title, DateTime.now().plus({ hours: startsInHours }));

  async function book(shiftId: string, volunteerId: string): Promise<string> {
    const { rows } = await db.query(
      `insert into bookings (shift_id, volunteer_id, period) select id, $2, period from shifts where id = $1 returning id`,
      [shiftId, volunteerId],
    );
    await db.query(`update shifts set filled = filled + 1 where id = $1`, [shiftId]);
    return rows[0].id;
  }

  const cancel = (token: string, bookingId: string) =>
    h.request('POST', `/api/me/bookings/${bookingId}/cancel`, { token, body: { reason: 'Unwell' } });

  it('marks a cancellation inside the window late, shows it on the roster, and counts it gently', async () => {
    const late = await confirmedVolunteer(h, 'late@latecancel.example.org', { name: 'Lou' });
    const early = await confirmedVolunteer(h, 'early@latecancel.example.org', { name: 'Eli' });
    await confirmedVolunteer(h, 'steady@latecancel.example.org', { name: 'Sam' });
    const soon = await shiftIn('Tonight', 5);
    const later = await shiftIn('Next week', 24 * 7);
    expect((await cancel(late.token, await book(soon, late.accountId))).status).toBe(204);
    expect((await cancel(early.token, await book(later, early.accountId))).status).toBe(204);

    const roster = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${soon}/roster`, {
      token: org.token,
    });
    expect(roster.body.entries).toEqual([
      expect.objectContaining({ name: 'Lou', status: 'cancelled', cancelledLate: true, cancelReason: 'Unwell' }),
    ]);
    const laterRoster = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${later}/roster`, {
      token: org.token,
    });
    expect(laterRoster.body.entries).toEqual([expect.objectContaining({ name: 'Eli', cancelledLate: false })]);
    const page = await h.request('GET', `/org/shifts/${soon}`, { token: org.token, headers: { accept: 'text/html' } });
    expect(page.text).toContain('cancelled late by the volunteer');

    // Matching a Tuesday evening shift (all three are free then): the late canceller's reliability
    // is the prior's 4/5 with half a no-show more, 4/5.5; the others keep 4/5.
    const tuesday = DateTime.now()
      .setZone('Europe/London')
      .plus({ weeks: 2 })
      .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
    const supper = await openShift('Supper', tuesday);
    const matches = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${supper}/matches`, {
      token: org.token,
    });
    const reliability = Object.fromEntries(
      matches.body.matches.map((m: { name: string; score: { reliability: number } }) => [m.name, m.score.reliability]),
    );
    expect(reliability.Lou).toBeCloseTo((0.25 * 4) / 5.5, 6);
    expect(reliability.Eli).toBeCloseTo((0.25 * 4) / 5, 6);
    expect(reliability.Sam).toBeCloseTo((0.25 * 4) / 5, 6);
  });
});
