import pg from 'pg';
import { OfferEngine } from '../../libs/offers/offer-engine.service.js';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, tuesdayEvening, NO_QUIET } from '../support/actors.js';
import { linkFrom, type ReceivedMail } from '../support/smtp-sink.js';

/**
 * Waitlists on the real worker, PostgreSQL and SMTP: joining a full shift (once, whatever the
 * retries), a freed seat held for the first in line before anyone else is asked, the hold passing
 * down the line on a decline or an expiry, falling back to an ordinary wave when nobody waits, and
 * a held seat accepted like an offer.
 */
describe('waitlists', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  type Vol = Awaited<ReturnType<typeof confirmedVolunteer>> & { email: string };
  const vol = async (name: string, overrides: Record<string, unknown> = {}): Promise<Vol> => {
    const email = `${name}@waitlist.example.org`;
    return { email, ...(await confirmedVolunteer(h, email, { name, quietHours: NO_QUIET, ...overrides })) };
  };

  beforeAll(async () => {
    h = await startHarness('waitlist');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'waitlist');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** An open shift with no wave running yet (opened directly). */
  async function openShift(title: string, weeksAhead: number, capacity = 1): Promise<string> {
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title, ...tuesdayEvening(weeksAhead), capacity, requiredSkills: ['cooking'], publish: false },
    });
    expect(res.status).toBe(201);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [res.body.id]);
    return res.body.id;
  }

  const join = (v: Vol, shiftId: string) => h.request('POST', `/api/me/shifts/${shiftId}/waitlist`, { token: v.token });
  const book = (v: Vol, shiftId: string) => h.request('POST', `/api/me/shifts/${shiftId}/book`, { token: v.token });
  const cancel = async (v: Vol, shiftId: string) => {
    const mine = await h.request('GET', '/api/me/bookings', { token: v.token });
    const booking = mine.body.find((b: { shiftId: string }) => b.shiftId === shiftId);
    expect(
      (await h.request('POST', `/api/me/bookings/${booking.bookingId}/cancel`, { token: v.token, body: {} })).status,
    ).toBe(204);
  };
  const heldMail = (v: Vol, title: string) => (m: ReceivedMail) =>
    m.to.includes(v.email) && m.subject.startsWith(`A place is held for you: ${title}`);
  const answer = (mail: ReceivedMail, action: 'accept' | 'decline') =>
    h.request('POST', '/links/offer', {
      body: { token: linkFrom(mail, '/links/offer').token, action },
      headers: { accept: 'application/json' },
    });
  const shiftRow = async (id: string) =>
    (await db.query(`select status, filled from shifts where id = $1`, [id])).rows[0];
  const heldOffer = async (shiftId: string, v: Vol) =>
    (
      await db.query(`select id, status, held_seat from offers where shift_id = $1 and volunteer_id = $2`, [
        shiftId,
        v.accountId,
      ])
    ).rows[0];

  it('joins a full shift once, in order; refuses those who fit not, are booked, or could just book', async () => {
    const [ann, ben, cat, dev] = await Promise.all([vol('ann'), vol('ben'), vol('cat'), vol('dev', { skills: [] })]);
    const shiftId = await openShift('Queue supper', 1);
    const roomy = await openShift('Roomy supper', 2, 3);
    expect((await join(ben, roomy)).body.type).toBe('https://kindshift.org/problems/shift-has-places');
    expect((await book(ann, shiftId)).status).toBe(201);
    expect((await join(ann, shiftId)).body.type).toBe('https://kindshift.org/problems/already-booked');

    const first = await join(ben, shiftId);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ shiftId, position: 1, alreadyWaiting: false });
    const again = await Promise.all([join(ben, shiftId), join(ben, shiftId)]);
    expect(again.map((r) => [r.status, r.body.position])).toEqual([
      [200, 1],
      [200, 1],
    ]);
    expect((await join(cat, shiftId)).body.position).toBe(2);
    const unfit = await join(dev, shiftId);
    expect(unfit.status).toBe(409);
    expect(unfit.body).toMatchObject({ type: 'https://kindshift.org/problems/shift-does-not-fit', rule: 'skills' });

    const mine = await h.request('GET', '/api/me/waitlist', { token: cat.token });
    expect(mine.body).toEqual([expect.objectContaining({ shiftId, title: 'Queue supper', position: 2 })]);
    const line = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/waitlist`, {
      token: org.token,
    });
    expect(line.body.map((e: { name: string; position: number }) => [e.position, e.name])).toEqual([
      [1, 'ben'],
      [2, 'cat'],
    ]);

    // Leaving is one request, and a second changes nothing.
    for (let i = 0; i < 2; i++)
      expect((await h.request('DELETE', `/api/me/shifts/${shiftId}/waitlist`, { token: ben.token })).status).toBe(204);
    expect((await h.request('GET', '/api/me/waitlist', { token: cat.token })).body[0].position).toBe(1);
  });

  it('holds a freed seat for the first in line, passes it down on decline and expiry, then offers it as usual', async () => {
    const [eve, fay, gus] = await Promise.all([vol('eve'), vol('fay'), vol('gus'), vol('hal')]);
    const title = 'Cascade supper';
    const shiftId = await openShift(title, 3);
    expect((await book(eve, shiftId)).status).toBe(201);
    expect((await join(fay, shiftId)).body.position).toBe(1);
    expect((await join(gus, shiftId)).body.position).toBe(2);

    await cancel(eve, shiftId);
    const fayMail = await h.smtp.waitFor(heldMail(fay, title));
    expect(fayMail.text).toContain('We are holding it for you until');
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 }); // the held seat counts
    expect(await heldOffer(shiftId, fay)).toMatchObject({ status: 'pending', held_seat: true });
    // Nobody else was asked while the seat is held.
    expect(h.smtp.messages.some((m) => m.subject.startsWith('Could you help?') && m.subject.includes(title))).toBe(
      false,
    );

    // Fay says no: the seat passes to Gus.
    expect((await answer(fayMail, 'decline')).body.outcome).toBe('declined');
    const gusMail = await h.smtp.waitFor(heldMail(gus, title));
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 });

    // Gus lets it lapse: nobody is left waiting, so the place is offered as usual, to whoever fits best.
    const gusOffer = await heldOffer(shiftId, gus);
    await db.query(`update offers set expires_at = now() - interval '1 second' where id = $1`, [gusOffer.id]);
    expect(await h.worker!.get(OfferEngine, { strict: false }).expire(gusOffer.id)).toBe(true);
    const waveOffer = await h.smtp.waitFor((m) => m.subject.startsWith(`Could you help? ${title}`));
    expect(waveOffer.to).not.toContain(fay.email); // she said no to this shift
    expect(waveOffer.to).not.toContain(gus.email); // his offer for it lapsed
    expect(await shiftRow(shiftId)).toEqual({ status: 'open', filled: 0 });
    expect((await answer(gusMail, 'accept')).body.outcome).not.toBe('booked'); // too late
    expect((await answer(waveOffer, 'accept')).body.outcome).toBe('booked');
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 });
  });

  it('a held seat is taken by saying yes, without counting it twice', async () => {
    const [ida, joe] = await Promise.all([vol('ida'), vol('joe')]);
    const title = 'Held supper';
    const shiftId = await openShift(title, 4);
    expect((await book(ida, shiftId)).status).toBe(201);
    expect((await join(joe, shiftId)).status).toBe(201);
    await cancel(ida, shiftId);
    const mail = await h.smtp.waitFor(heldMail(joe, title));
    const booked = await answer(mail, 'accept');
    expect(booked.body.outcome).toBe('booked');
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 1 });
    await h.smtp.waitFor((m) => m.to.includes(joe.email) && m.subject.startsWith(`You're booked: ${title}`));
    const { rows } = await db.query(
      `select count(*)::int as n from bookings where shift_id = $1 and status = 'confirmed'`,
      [shiftId],
    );
    expect(rows[0].n).toBe(1);
    expect(
      (await db.query(`select count(*)::int as n from waitlist_entries where shift_id = $1`, [shiftId])).rows[0].n,
    ).toBe(0);
  });

  it('seats freed at the same moment go to the first in line, one each, never more than the shift holds', async () => {
    const booked = await Promise.all(['kai', 'lea', 'max'].map((n) => vol(n)));
    const line = await Promise.all(['ned', 'ola', 'pam', 'quin', 'ray'].map((n) => vol(n)));
    const title = 'Race supper';
    const shiftId = await openShift(title, 5, 3);
    for (const v of booked) expect((await book(v, shiftId)).status).toBe(201);
    for (const v of line) expect((await join(v, shiftId)).status).toBe(201);

    // Three cancellations at once: three waves race to promote.
    await Promise.all(booked.map((v) => cancel(v, shiftId)));
    await Promise.all(line.slice(0, 3).map((v) => h.smtp.waitFor(heldMail(v, title))));
    const held = await db.query(
      `select v.name from offers f join volunteers v on v.account_id = f.volunteer_id
       where f.shift_id = $1 and f.status = 'pending' and f.held_seat order by v.name`,
      [shiftId],
    );
    expect(held.rows.map((r) => r.name)).toEqual(['ned', 'ola', 'pam']);
    expect(await shiftRow(shiftId)).toEqual({ status: 'full', filled: 3 });
    const waiting = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/waitlist`, {
      token: org.token,
    });
    expect(waiting.body.map((e: { name: string }) => e.name)).toEqual(['quin', 'ray']);
    expect(h.smtp.messages.filter((m) => m.subject.startsWith(`A place is held for you: ${title}`))).toHaveLength(3);
  });
});
