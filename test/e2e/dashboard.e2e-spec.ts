import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator } from '../support/actors.js';

/**
 * The staffing dashboard's figures against rows the test writes: fill per local day and shift,
 * the shifts at risk (and not the full, draft or cancelled ones), and the last 90 days' attendance.
 */
describe('staffing dashboard', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  const volunteers: string[] = [];

  beforeAll(async () => {
    h = await startHarness('dashboard');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'dashboard');
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f'])
      volunteers.push((await confirmedVolunteer(h, `${n}@dashboard.example.org`)).accountId);
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** A shift `startsInHours` from now (negative: in the past), opened directly so no wave runs. */
  async function shift(title: string, startsInHours: number, capacity: number, status = 'open'): Promise<string> {
    const start = DateTime.now().plus({ days: 1 });
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title, startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity, publish: false },
    });
    expect(res.status).toBe(201);
    await db.query(
      `update shifts set status = $2, starts_at = now() + $3 * interval '1 hour', ends_at = now() + ($3 + 3) * interval '1 hour' where id = $1`,
      [res.body.id, status, startsInHours],
    );
    return res.body.id;
  }

  /** Bookings in the given states, one volunteer each; live ones take a place. */
  async function book(shiftId: string, statuses: string[]): Promise<void> {
    for (const [i, status] of statuses.entries()) {
      await db.query(
        `insert into bookings (shift_id, volunteer_id, status, cancelled_late, period)
         select id, $2, $3, $4, period from shifts where id = $1`,
        [shiftId, volunteers[i], status === 'late' ? 'cancelled' : status, status === 'late'],
      );
      if (status !== 'late' && status !== 'cancelled')
        await db.query(`update shifts set filled = filled + 1 where id = $1`, [shiftId]);
    }
  }

  it('adds up the next 14 days, names the shifts at risk and the last 90 days’ no-show rate', async () => {
    const soon = await shift('Tonight short', 20, 3);
    await book(soon, ['confirmed']);
    const halfEmpty = await shift('Half empty', 24 * 5, 4);
    await book(halfEmpty, ['confirmed']);
    const full = await shift('Full soon', 30, 2, 'full');
    await book(full, ['confirmed', 'confirmed']);
    await shift('Draft', 10, 5, 'draft');
    await shift('Cancelled', 12, 5, 'cancelled');
    await shift('Beyond the window', 24 * 20, 5);
    const past = await shift('Last week', -24 * 7, 6, 'full');
    await book(past, ['attended', 'attended', 'attended', 'no_show', 'late', 'confirmed']);

    const res = await h.request('GET', `/api/organisations/${org.organisationId}/dashboard`, { token: org.token });
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.days).toHaveLength(14);
    expect(d.days[0].date).toBe(DateTime.now().setZone('Europe/London').toISODate());
    // Live shifts only: the short one, the half-empty one, the full one.
    const totals = d.days.reduce(
      (t: { shifts: number; booked: number; open: number }, x: { shifts: number; booked: number; open: number }) => ({
        shifts: t.shifts + x.shifts,
        booked: t.booked + x.booked,
        open: t.open + x.open,
      }),
      { shifts: 0, booked: 0, open: 0 },
    );
    expect(totals).toEqual({ shifts: 3, booked: 4, open: 5 });
    expect(d.shifts.map((s: { title: string }) => s.title)).toEqual([
      'Draft',
      'Cancelled',
      'Tonight short',
      'Full soon',
      'Half empty',
    ]);
    expect(d.atRisk).toEqual([
      expect.objectContaining({ shiftId: soon, missing: 2, reason: 'soon' }),
      expect.objectContaining({ shiftId: halfEmpty, missing: 3, reason: 'half-empty' }),
    ]);
    expect(d.attendance).toMatchObject({
      attended: 3,
      noShows: 1,
      lateCancellations: 1,
      unmarked: 1,
      noShowRate: 0.25,
    });
    expect(d.attendance.weeks).toHaveLength(13);
    expect(d.attendance.weeks.reduce((n: number, w: { attended: number }) => n + w.attended, 0)).toBe(3);

    // Someone else's organisation is not theirs to see.
    const other = await organisationWithCoordinator(h, 'dashboardother');
    expect(
      (await h.request('GET', `/api/organisations/${org.organisationId}/dashboard`, { token: other.token })).status,
    ).toBe(403);
    const empty = await h.request('GET', `/api/organisations/${other.organisationId}/dashboard`, {
      token: other.token,
    });
    expect(empty.body).toMatchObject({ shifts: [], atRisk: [], attendance: { noShowRate: null, attended: 0 } });
  });
});
