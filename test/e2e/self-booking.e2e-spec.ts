import pg from 'pg';
import { JobName } from '../../libs/platform/queue/job-names.js';
import { generateToken, hashToken } from '../../libs/common/tokens.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  confirmedVolunteer,
  MANCHESTER,
  organisationWithCoordinator,
  tuesdayEvening,
  NO_QUIET,
} from '../support/actors.js';
import type { ReceivedMail } from '../support/smtp-sink.js';

const icsOf = (mail: ReceivedMail) => mail.parsed.attachments.map((a) => a.content.toString()).join('\n');

describe('a volunteer books a shift that fits them', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  beforeAll(async () => {
    h = await startHarness('self_booking');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'selfbook');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /**
   * A shift posted as a draft and opened directly, so no wave runs: the offers in these tests are
   * the ones the test writes.
   */
  async function openShift(title: string, capacity: number, weeksAhead: number, skills = ['cooking']): Promise<string> {
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title, ...tuesdayEvening(weeksAhead), capacity, requiredSkills: skills, publish: false },
    });
    expect(res.status).toBe(201);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [res.body.id]);
    return res.body.id;
  }

  async function pendingOffer(shiftId: string, volunteerId: string): Promise<string> {
    return (
      await db.query(
        `insert into offers (shift_id, volunteer_id, explanation, expires_at, sent_at) values ($1, $2, 'test offer', now() + interval '1 day', now()) returning id`,
        [shiftId, volunteerId],
      )
    ).rows[0].id;
  }

  const book = (token: string, shiftId: string) => h.request('POST', `/api/me/shifts/${shiftId}/book`, { token });

  it('books from "shifts that fit you": same confirmation with iCal invite; booking again returns the same booking', async () => {
    const vol = await confirmedVolunteer(h, 'ada@self.example.org', { quietHours: NO_QUIET });
    const shiftId = await openShift('Soup kitchen supper', 2, 1);
    const fits = await h.request('GET', '/api/me/shifts', { token: vol.token });
    expect(fits.body.map((s: { shiftId: string }) => s.shiftId)).toContain(shiftId);

    const booked = await book(vol.token, shiftId);
    expect(booked.status).toBe(201);
    expect(booked.body).toEqual({ outcome: 'booked', shiftId, bookingId: expect.any(String), alreadyBooked: false });
    const confirmation = await h.smtp.waitFor(
      (m) => m.to.includes('ada@self.example.org') && icsOf(m).includes('METHOD:REQUEST'),
    );
    expect(confirmation.subject).toMatch(/Soup kitchen supper/);
    expect(icsOf(confirmation)).toContain(`UID:booking-${booked.body.bookingId}@localhost`);
    expect((await db.query(`select filled, status from shifts where id = $1`, [shiftId])).rows[0]).toEqual({
      filled: 1,
      status: 'open',
    });
    expect((await h.request('GET', '/api/me/bookings', { token: vol.token })).body[0]).toMatchObject({
      bookingId: booked.body.bookingId,
      status: 'confirmed',
    });
    const reminders = await db.query(
      `select count(*)::int as n from outbox where job_name = $1 and payload->>'bookingId' = $2`,
      [JobName.BookingReminderEmail, booked.body.bookingId],
    );
    expect(reminders.rows[0].n).toBeGreaterThan(0);

    // Idempotent: the same booking, no second seat, no second confirmation.
    const again = await book(vol.token, shiftId);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ outcome: 'booked', shiftId, bookingId: booked.body.bookingId, alreadyBooked: true });
    expect((await db.query(`select filled from shifts where id = $1`, [shiftId])).rows[0].filled).toBe(1);
    const confirmations = await db.query(
      `select count(*)::int as n from outbox where job_name = $1 and payload->>'bookingId' = $2`,
      [JobName.BookingConfirmedEmail, booked.body.bookingId],
    );
    expect(confirmations.rows[0].n).toBe(1);
    // A booked shift is no longer "a shift that fits you".
    expect(
      (await h.request('GET', '/api/me/shifts', { token: vol.token })).body.map((s: { shiftId: string }) => s.shiftId),
    ).not.toContain(shiftId);
  });

  it('re-checks every hard rule and names the one that fails', async () => {
    const shiftId = await openShift('Kitchen lead', 3, 2);
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['noskill', { skills: ['dog-walking'] }, 'skills', /skill/i],
      [
        'wrongday',
        { availability: [{ weekday: 5, start: '09:00', end: '12:00' }] },
        'availability',
        /times you are free/i,
      ],
      ['faraway', { home: { lat: 51.5074, lon: -0.1278 }, travelKm: 20 }, 'too_far', /farther than you travel/i],
      ['othercause', { causes: ['animal_shelter'] }, 'cause', /cause/i],
    ];
    for (const [name, overrides, rule, message] of cases) {
      const vol = await confirmedVolunteer(h, `${name}@self.example.org`, { quietHours: NO_QUIET, ...overrides });
      const refused = await book(vol.token, shiftId);
      expect({ name, status: refused.status, type: refused.body.type, rule: refused.body.rule }).toEqual({
        name,
        status: 409,
        type: 'https://kindshift.org/problems/shift-does-not-fit',
        rule,
      });
      expect(refused.body.detail).toMatch(message);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const paused = await confirmedVolunteer(h, 'paused@self.example.org', { quietHours: NO_QUIET });
    await h.request('PATCH', '/api/me', { token: paused.token, body: { paused: true } });
    expect((await book(paused.token, shiftId)).body.rule).toBe('paused');
    // Already booked on another shift at that time.
    const busy = await confirmedVolunteer(h, 'busy@self.example.org', { quietHours: NO_QUIET });
    const clash = await openShift('Clashing shift', 1, 2);
    expect((await book(busy.token, clash)).status).toBe(201);
    expect((await book(busy.token, shiftId)).body.rule).toBe('booking_overlap');
    // Blocked by the organisation.
    const blocked = await confirmedVolunteer(h, 'blocked@self.example.org', { quietHours: NO_QUIET });
    await db.query(`insert into organisation_blocks (organisation_id, volunteer_id) values ($1, $2)`, [
      org.organisationId,
      blocked.accountId,
    ]);
    expect((await book(blocked.token, shiftId)).body.rule).toBe('blocked');
    // Declined an offer for it.
    const decliner = await confirmedVolunteer(h, 'decliner@self.example.org', { quietHours: NO_QUIET });
    await db.query(
      `insert into offers (shift_id, volunteer_id, status, expires_at) values ($1, $2, 'declined', now())`,
      [shiftId, decliner.accountId],
    );
    expect((await book(decliner.token, shiftId)).body.rule).toBe('declined');
    expect((await db.query(`select filled from shifts where id = $1`, [shiftId])).rows[0].filled).toBe(0);
  });

  it('unknown or draft shifts are not found; cancelled or started ones are not open; a bad id names the field', async () => {
    const vol = await confirmedVolunteer(h, 'states@self.example.org', { quietHours: NO_QUIET });
    expect((await book(vol.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await book(vol.token, 'not-a-uuid');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('shiftId');
    const draft = (
      await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.token,
        body: { title: 'Draft', ...tuesdayEvening(3), capacity: 1, requiredSkills: ['cooking'], publish: false },
      })
    ).body.id;
    expect((await book(vol.token, draft)).status).toBe(404);
    const cancelled = await openShift('Cancelled', 1, 3);
    await h.request('POST', `/api/organisations/${org.organisationId}/shifts/${cancelled}/cancel`, {
      token: org.token,
      body: {},
    });
    const refused = await book(vol.token, cancelled);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      type: 'https://kindshift.org/problems/shift-not-open',
      detail: 'This shift was cancelled.',
    });
    const started = await openShift('Started', 1, 3);
    await db.query(
      `update shifts set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours' where id = $1`,
      [started],
    );
    expect((await book(vol.token, started)).body.type).toBe('https://kindshift.org/problems/shift-not-open');
    // Only volunteers book; a coordinator is forbidden.
    expect((await book(org.token, cancelled)).status).toBe(403);
  });

  it('withdraws their own pending offer; taking the last place withdraws the others’ politely; the next hears "filled up"', async () => {
    const [own, other, late] = [
      await confirmedVolunteer(h, 'own@self.example.org', { quietHours: NO_QUIET }),
      await confirmedVolunteer(h, 'other@self.example.org', { quietHours: NO_QUIET }),
      await confirmedVolunteer(h, 'late@self.example.org', { quietHours: NO_QUIET }),
    ];
    const shiftId = await openShift('Last place', 1, 4);
    const ownOffer = await pendingOffer(shiftId, own.accountId);
    const otherOffer = await pendingOffer(shiftId, other.accountId);

    const booked = await book(own.token, shiftId);
    expect(booked.status).toBe(201);
    expect((await db.query(`select status from offers where id = $1`, [ownOffer])).rows[0].status).toBe('withdrawn');
    expect((await db.query(`select status from offers where id = $1`, [otherOffer])).rows[0].status).toBe('withdrawn');
    expect((await db.query(`select filled, status from shifts where id = $1`, [shiftId])).rows[0]).toEqual({
      filled: 1,
      status: 'full',
    });
    await h.smtp.waitFor((m) => m.to.includes('other@self.example.org') && /filled|thank/i.test(m.subject));
    // Their own offer is not "withdrawn" at them: they took the place.
    const withdrawals = (
      await db.query(`select payload->>'offerId' as offer from outbox where job_name = $1`, [
        JobName.OfferWithdrawnEmail,
      ])
    ).rows.map((r) => r.offer);
    expect(withdrawals).toContain(otherOffer);
    expect(withdrawals).not.toContain(ownOffer);

    const full = await book(late.token, shiftId);
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ type: 'https://kindshift.org/problems/shift-filled' });
    expect(full.body.detail).toMatch(/filled up/);
  });

  it('a place once cancelled cannot be self-booked again, and its shift is offered to them no more', async () => {
    const vol = await confirmedVolunteer(h, 'again@self.example.org', { quietHours: NO_QUIET });
    const shiftId = await openShift('Changed my mind', 2, 5);
    const booked = await book(vol.token, shiftId);
    expect(
      (await h.request('POST', `/api/me/bookings/${booked.body.bookingId}/cancel`, { token: vol.token })).status,
    ).toBe(204);
    const again = await book(vol.token, shiftId);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('https://kindshift.org/problems/booking-cancelled');
    expect(
      (await h.request('GET', '/api/me/shifts', { token: vol.token })).body.map((s: { shiftId: string }) => s.shiftId),
    ).not.toContain(shiftId);
    const matches = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/matches`, {
      token: org.token,
    });
    expect(matches.body.matches.map((m: { volunteerId: string }) => m.volunteerId)).not.toContain(vol.accountId);
  });

  it('many volunteers self-booking and accepting offers for the last places at once never overbook', async () => {
    const capacity = 3;
    const count = 40;
    const shiftId = await openShift('Race night', capacity, 6);
    const ids = (
      await db.query(
        `insert into accounts (email, role, email_verified_at) select 'racer-' || g || '@self.example.org', 'volunteer', now() from generate_series(1, $1::int) g returning id`,
        [count],
      )
    ).rows.map((r) => String(r.id));
    await db.query(
      `insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km, skills, quiet_hours_start, quiet_hours_end, weekly_shift_cap)
       select id, 'Racer', 'Europe/London', $2, $3, 25, '{cooking}', '00:00', '00:00', 7 from unnest($1::uuid[]) id`,
      [ids, MANCHESTER.lat, MANCHESTER.lon],
    );
    await db.query(
      `insert into availability_windows (volunteer_id, weekday, start_local, end_local) select id, 2, '16:00', '22:00' from unnest($1::uuid[]) id`,
      [ids],
    );
    const tokens = [];
    for (const id of ids) {
      const token = generateToken();
      await db.query(
        `insert into sessions (account_id, token_hash, expires_at) values ($1, $2, now() + interval '1 hour')`,
        [id, hashToken(token, process.env.SESSION_SECRET!)],
      );
      tokens.push(token);
    }
    // Half hold an offer and accept it, half book themselves, all at the same moment.
    const offers = await Promise.all(ids.slice(0, count / 2).map((id) => pendingOffer(shiftId, id)));
    const answers = await Promise.all(
      tokens.map(async (token, i) => {
        if (i < count / 2) {
          const res = await h.request('POST', `/api/me/offers/${offers[i]}/answer`, {
            token,
            body: { action: 'accept' },
          });
          return `${res.status}:${res.body.outcome === 'closed' ? `closed-${res.body.status}` : res.body.outcome}`;
        }
        const res = await book(token, shiftId);
        return `${res.status}:${res.body.outcome ?? res.body.type.split('/').pop()}`;
      }),
    );
    const tally = answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a]: (acc[a] ?? 0) + 1 }), {});
    const booked = (tally['200:booked'] ?? 0) + (tally['201:booked'] ?? 0);
    expect(booked).toBe(capacity);
    expect(
      Object.keys(tally).every((k) => ['200:booked', '201:booked', '200:filled', '409:shift-filled'].includes(k)),
    ).toBe(true);
    const state = await db.query(
      `select s.filled, s.status, (select count(*)::int from bookings b where b.shift_id = s.id and b.status = 'confirmed') as bookings from shifts s where s.id = $1`,
      [shiftId],
    );
    expect(state.rows[0]).toEqual({ filled: capacity, status: 'full', bookings: capacity });
    // Every offer is settled: accepted by the winners, withdrawn for the others.
    expect(
      (await db.query(`select count(*)::int as n from offers where shift_id = $1 and status = 'pending'`, [shiftId]))
        .rows[0].n,
    ).toBe(0);
  });
});
