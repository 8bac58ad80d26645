import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator } from '../support/actors.js';

/**
 * The staffing dashboard's figures against rows the test writes: fill per local day and shift,
 * the shifts at risk (and not the full, draft or cancelled ones), waitlists, the last 90 days'
 * attendance, and the hours credited this calendar month.
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
    // a–f for the fortnight, g–k for the month's hours: no booking of one test can overlap the other's.
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'])
      volunteers.push((await confirmedVolunteer(h, `${n}@dashboard.example.org`)).accountId);
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** A shift `startsInHours` from now (negative: in the past), opened directly so no wave runs. */
  async function shift(
    title: string,
    startsInHours: number,
    capacity: number,
    status = 'open',
    owner: { organisationId: string; token: string } = org,
  ): Promise<string> {
    const start = DateTime.now().plus({ days: 1 });
    const res = await h.request('POST', `/api/organisations/${owner.organisationId}/shifts`, {
      token: owner.token,
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

  /** Volunteers (by index) on a shift's waitlist, in order. */
  async function waitlist(shiftId: string, who: number[]): Promise<void> {
    for (const i of who)
      await db.query(`insert into waitlist_entries (shift_id, volunteer_id) values ($1, $2)`, [shiftId, volunteers[i]]);
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
    // Waitlists: two on the full shift, one on the short one; a cancelled shift's queue waits for nothing.
    const cancelled = (await db.query(`select id from shifts where title = 'Cancelled'`)).rows[0].id;
    await waitlist(full, [2, 3]);
    await waitlist(soon, [4]);
    await waitlist(cancelled, [5]);

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
      expect.objectContaining({ shiftId: soon, missing: 2, reason: 'soon', waiting: 1 }),
      expect.objectContaining({ shiftId: halfEmpty, missing: 3, reason: 'half-empty', waiting: 0 }),
    ]);
    expect(Object.fromEntries(d.shifts.map((s: { title: string; waiting: number }) => [s.title, s.waiting]))).toEqual({
      Draft: 0,
      Cancelled: 1,
      'Tonight short': 1,
      'Full soon': 2,
      'Half empty': 0,
    });
    expect(d.waiting).toBe(3);
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
    expect(empty.body).toMatchObject({
      shifts: [],
      atRisk: [],
      waiting: 0,
      attendance: { noShowRate: null, attended: 0 },
      hoursThisMonth: { minutes: 0, hours: '0', entries: 0 },
    });
  });

  it('gives each role’s fill of a multi-role shift and names the role that is short', async () => {
    const own = await organisationWithCoordinator(h, 'dashboardroles');
    const start = DateTime.now().plus({ days: 1 });
    const created = await h.request('POST', `/api/organisations/${own.organisationId}/shifts`, {
      token: own.token,
      body: {
        title: 'Two roles',
        startsAt: start.toISO(),
        endsAt: start.plus({ hours: 3 }).toISO(),
        roles: [
          { name: 'Kitchen lead', capacity: 1 },
          { name: 'Servers', capacity: 4 },
        ],
        publish: false,
      },
    });
    expect(created.status).toBe(201);
    const shiftId = created.body.id;
    const [lead, servers] = created.body.roles.map((r: { id: string }) => r.id);
    // 50 h from now: inside the 72 h of "soon", clear of the other test's bookings of a–d.
    await db.query(
      `update shifts set status = 'open', starts_at = now() + interval '50 hours', ends_at = now() + interval '53 hours' where id = $1`,
      [shiftId],
    );
    // The lead's seat and three of the four servers' seats taken, as a booking takes one: role and shift together.
    for (const [i, roleId] of [lead, servers, servers, servers].entries()) {
      await db.query(
        `insert into bookings (shift_id, role_id, volunteer_id, status, period)
         select id, $2, $3, 'confirmed', period from shifts where id = $1`,
        [shiftId, roleId, volunteers[i]],
      );
      await db.query(`update shift_roles set filled = filled + 1 where id = $1`, [roleId]);
      await db.query(`update shifts set filled = filled + 1 where id = $1`, [shiftId]);
    }

    const res = await h.request('GET', `/api/organisations/${own.organisationId}/dashboard`, { token: own.token });
    expect(res.status).toBe(200);
    expect(res.body.shifts).toEqual([
      expect.objectContaining({
        id: shiftId,
        capacity: 5,
        filled: 4,
        roles: [
          { id: lead, name: 'Kitchen lead', filled: 1, capacity: 1 },
          { id: servers, name: 'Servers', filled: 3, capacity: 4 },
        ],
      }),
    ]);
    expect(res.body.atRisk).toEqual([
      expect.objectContaining({
        shiftId,
        missing: 1,
        reason: 'soon',
        shortRoles: [{ id: servers, name: 'Servers', missing: 1 }],
      }),
    ]);
  });

  it('credits this calendar month’s hours as the ledger does: shifts, adjustments, approved logged hours only', async () => {
    const other = await organisationWithCoordinator(h, 'dashboardhours');
    const zone = 'Europe/London';
    const monthStart = DateTime.now().setZone(zone).startOf('month');
    const lastMonth = monthStart.minus({ days: 1 });
    /** A completed two-hour shift at a given instant, with attended bookings (the ledger credits them). */
    async function pastShift(title: string, at: DateTime, who: number[]): Promise<string[]> {
      const id = await shift(title, -24, 5, 'completed', other);
      await db.query(`update shifts set starts_at = $2, ends_at = $2::timestamptz + interval '2 hours' where id = $1`, [
        id,
        at.toJSDate(),
      ]);
      const bookings: string[] = [];
      for (const i of who) {
        const { rows } = await db.query(
          `insert into bookings (shift_id, volunteer_id, status, period)
           select id, $2, 'attended', period from shifts where id = $1 returning id`,
          [id, volunteers[i]],
        );
        bookings.push(rows[0].id);
      }
      return bookings;
    }
    const [, adjusted, noShow] = await pastShift('First of the month', monthStart.plus({ hours: 9 }), [6, 7, 8]);
    await pastShift('End of last month', lastMonth.set({ hour: 9 }), [6]);
    // One marked no-show after all (its entry is voided), one adjusted by the coordinator to 100 minutes.
    await db.query(`update bookings set status = 'no_show' where id = $1`, [noShow]);
    await db.query(
      `update hours_entries set adjusted_minutes = 100, adjust_reason = 'Left early' where booking_id = $1`,
      [adjusted],
    );
    const logged = async (who: number, date: DateTime, minutes: number, status: string) =>
      db.query(
        `insert into hours_entries (kind, volunteer_id, organisation_id, status, work_date, logged_minutes, description)
         values ('logged', $1, $2, $3, $4, $5, 'Sorting donations')`,
        [volunteers[who], other.organisationId, status, date.toISODate(), minutes],
      );
    await logged(9, monthStart, 90, 'approved');
    await logged(9, monthStart.plus({ days: 1 }), 60, 'pending');
    await logged(10, monthStart, 45, 'declined');
    await logged(10, lastMonth, 30, 'approved');

    const res = await h.request('GET', `/api/organisations/${other.organisationId}/dashboard`, { token: other.token });
    expect(res.status).toBe(200);
    // 120 scheduled + 100 adjusted (the no-show and last month's shift count nothing) + 90 approved logged.
    expect(res.body.hoursThisMonth).toMatchObject({
      month: monthStart.toFormat('yyyy-MM'),
      from: monthStart.toISODate(),
      to: monthStart.endOf('month').toISODate(),
      minutes: 310,
      hours: '5.17',
      shiftMinutes: 220,
      loggedMinutes: 90,
      entries: 3,
    });
    const weeks = res.body.hoursThisMonth.weeks;
    expect(weeks[0]).toEqual({
      from: monthStart.toISODate(),
      to: expect.any(String),
      shiftMinutes: 220,
      loggedMinutes: 90,
    });
    expect(
      weeks
        .slice(1)
        .every((w: { shiftMinutes: number; loggedMinutes: number }) => w.shiftMinutes + w.loggedMinutes === 0),
    ).toBe(true);
    expect(weeks[weeks.length - 1].to).toBe(monthStart.endOf('month').toISODate());
  });
});
