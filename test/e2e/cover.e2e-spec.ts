import pg from 'pg';
import { CoverService } from '../../libs/offers/cover.service.js';
import { OfferEngine } from '../../libs/offers/offer-engine.service.js';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, tuesdayEvening, NO_QUIET } from '../support/actors.js';
import { linkFrom, type ReceivedMail } from '../support/smtp-sink.js';

/**
 * "Find someone to cover me" on the real worker, PostgreSQL and SMTP: the asker keeps the place
 * while cover offers go to the waitlist first, then to the best matches; the first who accepts
 * takes the booking over (filled unchanged), both and the coordinator are told and the roster
 * shows the swap; a decline lets the next one in, an overlap is refused, a withdrawal ends it, and
 * past the deadline the place is released to the waitlist.
 */
describe('cover', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  type Vol = Awaited<ReturnType<typeof confirmedVolunteer>> & { email: string };
  const vol = async (name: string, overrides: Record<string, unknown> = {}): Promise<Vol> => {
    const email = `${name.split(' ')[0].toLowerCase()}@cover.example.org`;
    return { email, ...(await confirmedVolunteer(h, email, { name, quietHours: NO_QUIET, ...overrides })) };
  };

  beforeAll(async () => {
    // One cover offer at a time, so who is asked next is observable.
    h = await startHarness('cover', { env: { COVER_FANOUT: '1' } });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'cover');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  async function openShift(title: string, weeksAhead: number, capacity = 1): Promise<string> {
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title, ...tuesdayEvening(weeksAhead), capacity, requiredSkills: ['cooking'], publish: false },
    });
    expect(res.status).toBe(201);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [res.body.id]);
    return res.body.id;
  }

  const book = async (v: Vol, shiftId: string): Promise<string> => {
    const res = await h.request('POST', `/api/me/shifts/${shiftId}/book`, { token: v.token });
    expect(res.status).toBe(201);
    return res.body.bookingId;
  };
  const join = async (v: Vol, shiftId: string) =>
    expect((await h.request('POST', `/api/me/shifts/${shiftId}/waitlist`, { token: v.token })).status).toBe(201);
  const ask = (v: Vol, bookingId: string) =>
    h.request('POST', `/api/me/bookings/${bookingId}/cover`, { token: v.token });
  const coverMail = (title: string, v?: Vol) => (m: ReceivedMail) =>
    m.subject.startsWith(`Could you cover a shift? ${title}`) && (!v || m.to.includes(v.email));
  const answer = (mail: ReceivedMail, action: 'accept' | 'decline') =>
    h.request('POST', '/links/offer', {
      body: { token: linkFrom(mail, '/links/offer').token, action },
      headers: { accept: 'application/json' },
    });
  const shiftRow = async (id: string) =>
    (await db.query(`select status, filled from shifts where id = $1`, [id])).rows[0];
  const bookingRow = async (id: string) =>
    (await db.query(`select status, cancelled_late, cancel_reason from bookings where id = $1`, [id])).rows[0];
  const requestRow = async (id: string) =>
    (await db.query(`select status, covered_by_booking_id from cover_requests where id = $1`, [id])).rows[0];
  const coverOffers = async (requestId: string) =>
    (
      await db.query(
        `select v.name, f.status, f.held_seat from offers f join volunteers v on v.account_id = f.volunteer_id
          where f.cover_request_id = $1 order by f.created_at`,
        [requestId],
      )
    ).rows;
  const roster = async (shiftId: string) =>
    (await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/roster`, { token: org.token }))
      .body;

  it('offers the place to the waitlist first; the first to accept takes the booking over and everyone is told', async () => {
    const [ada, ben] = await Promise.all([vol('Ada Lovelace'), vol('Ben Kirk')]);
    const title = 'Cover supper';
    const shiftId = await openShift(title, 1);
    const adaBooking = await book(ada, shiftId);
    await join(ben, shiftId);

    const asked = await ask(ada, adaBooking);
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ bookingId: adaBooking, alreadyOpen: false });
    // Asking twice (a double tap, a retry) keeps one request.
    const again = await Promise.all([ask(ada, adaBooking), ask(ada, adaBooking)]);
    expect(again.map((r) => [r.status, r.body.coverRequestId])).toEqual([
      [200, asked.body.coverRequestId],
      [200, asked.body.coverRequestId],
    ]);
    const requestId = asked.body.coverRequestId;
    expect(
      (await db.query(`select count(*)::int as n from cover_requests where booking_id = $1`, [adaBooking])).rows[0].n,
    ).toBe(1);

    const benMail = await h.smtp.waitFor(coverMail(title, ben));
    expect(benMail.text).toContain('Ada is booked for');
    expect(await coverOffers(requestId)).toEqual([{ name: 'Ben Kirk', status: 'pending', held_seat: false }]);
    // Meanwhile the place is still Ada's, and the coordinator sees the open request.
    expect((await bookingRow(adaBooking)).status).toBe('confirmed');
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 });
    expect((await roster(shiftId)).coverRequests).toEqual([
      expect.objectContaining({ coverRequestId: requestId, bookingId: adaBooking, name: 'Ada Lovelace' }),
    ]);

    // The emailed link opens the ordinary offer page (GET changes nothing).
    const link = linkFrom(benMail, '/links/offer');
    const page = await h.request('GET', `/links/offer?token=${encodeURIComponent(link.token)}&action=accept`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(title);
    const taken = await answer(benMail, 'accept');
    expect(taken.body.outcome).toBe('booked');
    const benBooking = taken.body.bookingId;
    expect(await bookingRow(adaBooking)).toEqual({
      status: 'cancelled',
      cancelled_late: false,
      cancel_reason: 'Covered by Ben',
    });
    expect((await bookingRow(benBooking)).status).toBe('confirmed');
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 }); // the seat changed hands
    expect(await requestRow(requestId)).toEqual({ status: 'covered', covered_by_booking_id: benBooking });
    expect(
      (await db.query(`select count(*)::int as n from waitlist_entries where shift_id = $1`, [shiftId])).rows[0].n,
    ).toBe(0);

    const confirmed = await h.smtp.waitFor(
      (m) => m.to.includes(ben.email) && m.subject.startsWith(`You're booked: ${title}`),
    );
    expect(confirmed.raw.toString()).toContain('METHOD:REQUEST');
    const free = await h.smtp.waitFor(
      (m) => m.to.includes(ada.email) && m.subject.startsWith('Ben is covering your shift'),
    );
    expect(free.raw.toString()).toContain('METHOD:CANCEL');
    await h.smtp.waitFor((m) => m.subject.startsWith(`Ada L. → covered by Ben K.: ${title}`));

    const after = await roster(shiftId);
    expect(after.coverRequests).toEqual([]);
    expect(after.swaps).toEqual([
      expect.objectContaining({
        fromBookingId: adaBooking,
        toBookingId: benBooking,
        fromName: 'Ada L.',
        toName: 'Ben K.',
      }),
    ]);
    // The link again, or yes again from his page: the place is Ben's; nothing more happens.
    expect((await answer(benMail, 'accept')).body.outcome).toBe('booked');
    const benOffer = (
      await db.query(`select id from offers where cover_request_id = $1 and volunteer_id = $2`, [
        requestId,
        ben.accountId,
      ])
    ).rows[0].id;
    const again2 = await h.request('POST', `/api/me/offers/${benOffer}/answer`, {
      token: ben.token,
      body: { action: 'accept' },
    });
    expect(again2.body).toMatchObject({ outcome: 'closed', status: 'accepted' });
    expect((await db.query(`select status from offers where id = $1`, [benOffer])).rows[0].status).toBe('accepted');
    expect(
      (
        await db.query(`select count(*)::int as n from bookings where shift_id = $1 and status = 'confirmed'`, [
          shiftId,
        ])
      ).rows[0].n,
    ).toBe(1);
  });

  it('a decline asks the next; an overlapping booking is refused; withdrawing keeps the booking', async () => {
    const [dan, eve, fay] = await Promise.all([vol('Dan'), vol('Eve'), vol('Fay')]);
    const title = 'Decline supper';
    const shiftId = await openShift(title, 2);
    const clash = await openShift('Clash supper', 2, 2);
    const danBooking = await book(dan, shiftId);
    await join(eve, shiftId);
    await join(fay, shiftId);
    const requestId = (await ask(dan, danBooking)).body.coverRequestId;

    const eveMail = await h.smtp.waitFor(coverMail(title, eve));
    expect((await answer(eveMail, 'decline')).body.outcome).toBe('declined');
    const fayMail = await h.smtp.waitFor(coverMail(title, fay));

    // Fay books another shift at the same time before saying yes: refused, nothing changes.
    await book(fay, clash);
    expect((await answer(fayMail, 'accept')).body.outcome).toBe('overlap');
    expect((await bookingRow(danBooking)).status).toBe('confirmed');
    expect(await requestRow(requestId)).toEqual({ status: 'open', covered_by_booking_id: null });
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 });
    // …and the search goes on with the best matches (nobody else waits).
    await h.smtp.waitFor((m) => coverMail(title)(m) && !m.to.includes(eve.email) && !m.to.includes(fay.email));
    const offers = await coverOffers(requestId);
    expect(offers.slice(0, 2)).toEqual([
      { name: 'Eve', status: 'declined', held_seat: false },
      { name: 'Fay', status: 'withdrawn', held_seat: false },
    ]);
    expect(offers[2]).toMatchObject({ status: 'pending' });
    expect(offers.map((o: { name: string }) => o.name)).not.toContain('Dan');

    const withdrawn = await h.request('DELETE', `/api/me/bookings/${danBooking}/cover`, { token: dan.token });
    expect(withdrawn.status).toBe(204);
    expect((await requestRow(requestId)).status).toBe('withdrawn');
    expect((await coverOffers(requestId)).filter((o: { status: string }) => o.status === 'pending')).toEqual([]);
    expect((await bookingRow(danBooking)).status).toBe('confirmed');
    expect((await roster(shiftId)).coverRequests).toEqual([]);
  });

  it('past the deadline the place is released: the waitlist gets it held and the coordinator is alerted', async () => {
    const gil = await vol('Gil');
    const title = 'Release supper';
    const shiftId = await openShift(title, 3);
    const gilBooking = await book(gil, shiftId);
    const requestId = (await ask(gil, gilBooking)).body.coverRequestId;
    // Nobody waits: the best match is asked; when that offer lapses, the next.
    const first = await h.smtp.waitFor(coverMail(title));
    expect(first.to).not.toContain(gil.email);
    const firstOffer = (
      await db.query(
        `select f.id from offers f join accounts a on a.id = f.volunteer_id where f.cover_request_id = $1 and a.email = $2`,
        [requestId, first.to[0]],
      )
    ).rows[0].id;
    await db.query(`update offers set expires_at = now() - interval '1 second' where id = $1`, [firstOffer]);
    expect(await h.worker!.get(OfferEngine, { strict: false }).expire(firstOffer)).toBe(true);
    const second = await h.smtp.waitFor((m) => coverMail(title)(m) && m !== first);
    expect(second.to).not.toEqual(first.to);
    expect(second.to).not.toContain(gil.email);
    // Hal signs up after the cover offer went out (so it is not his) and waits in line for the full shift.
    const hal = await vol('Hal');
    await join(hal, shiftId);

    await db.query(`update cover_requests set deadline = now() - interval '1 second' where id = $1`, [requestId]);
    expect(await h.worker!.get(CoverService, { strict: false }).releaseOverdue()).toBe(1);
    expect(await bookingRow(gilBooking)).toEqual({
      status: 'cancelled',
      cancelled_late: false,
      cancel_reason: 'Nobody could cover in time',
    });
    expect((await requestRow(requestId)).status).toBe('released');
    expect((await coverOffers(requestId)).filter((o: { status: string }) => o.status === 'pending')).toEqual([]);
    // The freed seat goes to the waitlist first (the wave the release queued promotes).
    await h.smtp.waitFor((m) => m.to.includes(hal.email) && m.subject.startsWith(`A place is held for you: ${title}`));
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 });
    await h.smtp.waitFor((m) => m.subject.startsWith(`Nobody could cover Gil’s place: ${title}`));
    const free = await h.smtp.waitFor((m) => m.to.includes(gil.email) && m.subject.startsWith(`You’re free: ${title}`));
    expect(free.raw.toString()).toContain('METHOD:CANCEL');
    // The cover offers' links no longer take anything.
    expect((await answer(second, 'accept')).body).toMatchObject({ outcome: 'filled', cover: true });
    expect((await answer(first, 'accept')).body).toMatchObject({ outcome: 'closed', status: 'expired' });
    // A second sweep finds nothing more to release.
    expect(await h.worker!.get(CoverService, { strict: false }).releaseOverdue()).toBe(0);
  });

  it('a waitlisted volunteer with a cover offer who gets a freed seat held: the search asks the next', async () => {
    const [kim, lou, max] = await Promise.all([vol('Kim'), vol('Lou'), vol('Max')]);
    const title = 'Promoted supper';
    const shiftId = await openShift(title, 5, 2);
    const kimBooking = await book(kim, shiftId);
    const louBooking = await book(lou, shiftId);
    await join(max, shiftId);
    const requestId = (await ask(kim, kimBooking)).body.coverRequestId;
    await h.smtp.waitFor(coverMail(title, max));

    // Lou cancels: the freed seat is held for Max, whose cover offer becomes that hold.
    expect(
      (await h.request('POST', `/api/me/bookings/${louBooking}/cancel`, { token: lou.token, body: {} })).status,
    ).toBe(204);
    await h.smtp.waitFor((m) => m.to.includes(max.email) && m.subject.startsWith(`A place is held for you: ${title}`));
    const maxOffer = (
      await db.query(
        `select held_seat, cover_request_id, status from offers where shift_id = $1 and volunteer_id = $2`,
        [shiftId, max.accountId],
      )
    ).rows[0];
    expect(maxOffer).toEqual({ held_seat: true, cover_request_id: null, status: 'pending' });
    // Kim's request asks someone else.
    await h.smtp.waitFor((m) => coverMail(title)(m) && !m.to.includes(max.email));
    expect((await coverOffers(requestId)).filter((o: { status: string }) => o.status === 'pending')).toHaveLength(1);
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 2 });
  });

  it('deleting the account ends the open request and its cover offers; the history is the former volunteer’s', async () => {
    const [nia, oli] = await Promise.all([vol('Nia'), vol('Oli')]);
    const title = 'Deleted supper';
    const shiftId = await openShift(title, 7);
    const niaBooking = await book(nia, shiftId);
    await join(oli, shiftId);
    const requestId = (await ask(nia, niaBooking)).body.coverRequestId;
    await h.smtp.waitFor(coverMail(title, oli));

    expect((await h.request('DELETE', '/api/me', { token: nia.token })).status).toBe(204);
    const request = (
      await db.query(
        `select r.status, v.deleted_at is not null as former from cover_requests r join volunteers v on v.account_id = r.volunteer_id where r.id = $1`,
        [requestId],
      )
    ).rows[0];
    expect(request).toEqual({ status: 'withdrawn', former: true });
    expect((await coverOffers(requestId)).filter((o: { status: string }) => o.status === 'pending')).toEqual([]);
    expect((await bookingRow(niaBooking)).status).toBe('cancelled');
    // The freed place goes the usual way: held for Oli, first in line.
    await h.smtp.waitFor((m) => m.to.includes(oli.email) && m.subject.startsWith(`A place is held for you: ${title}`));
  });

  it('on a multi-role shift cover is matched for the asker’s role, and the taker gets that role', async () => {
    const lead = { skills: ['cooking', 'food-safety-certificate'] };
    const [sid, lea, pat, ria] = await Promise.all([vol('Sid'), vol('Lea', lead), vol('Pat'), vol('Ria', lead)]);
    const title = 'Two-role cover';
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title,
        ...tuesdayEvening(9),
        roles: [
          { name: 'Servers', capacity: 1 },
          { name: 'Kitchen lead', capacity: 1, requiredSkills: ['food-safety-certificate'] },
        ],
        publish: false,
      },
    });
    expect(res.status).toBe(201);
    const shiftId = res.body.id;
    const [servers, kitchenLead] = res.body.roles.map((r: { id: string }) => r.id);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [shiftId]);
    await book(sid, shiftId); // the first role with room: Servers
    const leaBooking = await book(lea, shiftId); // then the lead's seat, which Lea fits
    const roleOf = async (bookingId: string) =>
      (await db.query(`select role_id from bookings where id = $1`, [bookingId])).rows[0].role_id;
    expect(await roleOf(leaBooking)).toBe(kitchenLead);
    // Pat waits in the servers' line: first in line, but without the lead's certificate.
    expect(
      (await h.request('POST', `/api/me/shifts/${shiftId}/waitlist?roleId=${servers}`, { token: pat.token })).status,
    ).toBe(201);

    const asked = await ask(lea, leaBooking);
    expect(asked.status).toBe(201);
    const riaMail = await h.smtp.waitFor(
      (m) => m.subject.startsWith('Could you cover a shift?') && m.subject.includes(title) && m.to.includes(ria.email),
    );
    const offers = (
      await db.query(
        `select v.name, f.role_id from offers f join volunteers v on v.account_id = f.volunteer_id where f.cover_request_id = $1`,
        [asked.body.coverRequestId],
      )
    ).rows;
    expect(offers).toEqual([{ name: 'Ria', role_id: kitchenLead }]);

    expect((await answer(riaMail, 'accept')).body.outcome).toBe('booked');
    const { covered_by_booking_id: riaBooking } = await requestRow(asked.body.coverRequestId);
    expect(await roleOf(riaBooking)).toBe(kitchenLead);
    expect(
      (await db.query(`select name, filled from shift_roles where shift_id = $1 order by position`, [shiftId])).rows,
    ).toEqual([
      { name: 'Servers', filled: 1 },
      { name: 'Kitchen lead', filled: 1 },
    ]);
    expect(
      h.smtp.messages.some((m) => m.subject.startsWith('Could you cover a shift?') && m.to.includes(pat.email)),
    ).toBe(false);
  });

  it('refuses after the deadline, someone else’s booking, and a cancelled booking', async () => {
    const [ivy, jon] = await Promise.all([vol('Ivy'), vol('Jon')]);
    const shiftId = await openShift('Late supper', 6, 2);
    const ivyBooking = await book(ivy, shiftId);
    const jonBooking = await book(jon, shiftId);

    // Cancelling one's place ends the search for cover with it.
    const jonRequest = (await ask(jon, jonBooking)).body.coverRequestId;
    expect(
      (await h.request('POST', `/api/me/bookings/${jonBooking}/cancel`, { token: jon.token, body: {} })).status,
    ).toBe(204);
    expect((await requestRow(jonRequest)).status).toBe('withdrawn');
    expect((await ask(jon, jonBooking)).body.type).toBe('https://kindshift.org/problems/booking-not-coverable');

    const notYours = await ask(jon, ivyBooking);
    expect(notYours.status).toBe(404);
    expect((await h.request('DELETE', `/api/me/bookings/${ivyBooking}/cover`, { token: jon.token })).status).toBe(404);
    expect((await ask(jon, '00000000-0000-4000-8000-000000000000')).status).toBe(404);

    // A shift moved takes an open request's deadline with it.
    const ivyRequest = (await ask(ivy, ivyBooking)).body;
    await db.query(
      `update shifts set starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day' where id = $1`,
      [shiftId],
    );
    const moved = (await db.query(`select deadline from cover_requests where id = $1`, [ivyRequest.coverRequestId]))
      .rows[0];
    expect(new Date(moved.deadline).getTime() - new Date(ivyRequest.deadline).getTime()).toBe(24 * 3600_000);
    expect((await h.request('DELETE', `/api/me/bookings/${ivyBooking}/cover`, { token: ivy.token })).status).toBe(204);

    await db.query(
      `update shifts set starts_at = now() + interval '6 hours', ends_at = now() + interval '9 hours' where id = $1`,
      [shiftId],
    );
    const late = await ask(ivy, ivyBooking);
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('https://kindshift.org/problems/cover-deadline-passed');
    expect(late.body.detail).toContain('cancel');

    expect(
      (await db.query(`select count(*)::int as n from cover_requests where shift_id = $1`, [shiftId])).rows[0].n,
    ).toBe(2);
  });
});
