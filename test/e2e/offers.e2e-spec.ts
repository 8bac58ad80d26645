import pg from 'pg';
import { DateTime } from 'luxon';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '../../libs/platform/queue/job-names.js';
import { publishToFirstOfferSeconds } from '../../libs/platform/observability/metrics.js';
import { ADMIN_TOKEN, startHarness, waitUntil, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, NO_QUIET } from '../support/actors.js';
import { rawHeader, type ReceivedMail } from '../support/smtp-sink.js';

/** Next Tuesday 17:00–20:00 London time, inside the test volunteers' Tuesday 16:00–22:00 window. */
function nextTuesdayEvening(weeksAhead = 1) {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: weeksAhead })
    .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
  return { startsAt: start.toISO() as string, endsAt: start.plus({ hours: 3 }).toISO() as string };
}

function offerLink(mail: ReceivedMail): { token: string; url: URL } {
  const match = mail.text.match(/https?:\/\/\S+\/links\/offer\?token=\S+/);
  if (!match) throw new Error(`no offer link in "${mail.subject}"`);
  const url = new URL(match[0]);
  return { token: url.searchParams.get('token') as string, url };
}

/** Volunteers in a row, each ~1.1 km further from the organisation than the one before. */
async function volunteersInARow(h: Harness, domain: string, names: string[], skills: string[]) {
  const volunteers: Array<{ email: string; token: string; accountId: string }> = [];
  for (const [index, name] of names.entries()) {
    const email = `${name}@${domain}`;
    volunteers.push({
      email,
      ...(await confirmedVolunteer(h, email, {
        quietHours: NO_QUIET,
        home: { lat: 53.4808 + index * 0.01, lon: -2.2426 },
        skills,
      })),
    });
  }
  return volunteers;
}

/** The iCalendar parts of a mail, as text. */
const icsOf = (mail: ReceivedMail) => mail.parsed.attachments.map((a) => a.content.toString()).join('\n');

describe('offer pipeline', () => {
  let h: Harness;
  let db: pg.Client;
  beforeAll(async () => {
    h = await startHarness('offers', { env: { OFFER_FANOUT: '2', OFFER_DECLINE_COOLDOWN_HOURS: '0' } });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  const offerMailsFor = (email: string) =>
    h.smtp.messages.filter((m) => m.to.includes(email) && m.text.includes('/links/offer?token='));

  it('publish → wave of offers → GET changes nothing → accept books → the rest are withdrawn politely', async () => {
    const org = await organisationWithCoordinator(h, 'offers1');
    const vols = await volunteersInARow(h, 'o1.example.org', ['ann', 'bob', 'cat'], ['cooking']);

    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title: 'Soup night', ...nextTuesdayEvening(), capacity: 1, requiredSkills: ['cooking'], publish: true },
    });
    expect(shift.status).toBe(201);

    // Fan-out 2 × 1 open slot: the two best (nearest) volunteers get an offer.
    await h.smtp.waitFor(() => offerMailsFor(vols[0].email).length + offerMailsFor(vols[1].email).length === 2);
    const annMail = offerMailsFor(vols[0].email)[0];
    expect(annMail.subject).toMatch(/Soup night/);
    expect(annMail.text).toMatch(/km away/);
    expect(rawHeader(annMail, 'list-unsubscribe')).toMatch(/\/links\/unsubscribe\?token=/);
    expect(rawHeader(annMail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const [{ id: annOfferId }] = (await db.query(`select id from offers where volunteer_id = $1`, [vols[0].accountId]))
      .rows;
    expect(annMail.headers.get('message-id')).toBe(`<offer-${annOfferId}@kindshift.test>`);
    expect(offerMailsFor(vols[2].email)).toHaveLength(0);

    const { token, url } = offerLink(annMail);
    const page = await h.request('GET', `${url.pathname}${url.search}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Yes, book me');
    const afterGet = await db.query(`select status from offers where id = $1`, [annOfferId]);
    expect(afterGet.rows[0].status).toBe('pending');

    const accepted = await h.request('POST', '/links/offer', {
      body: { token, action: 'accept' },
      headers: { accept: 'application/json' },
    });
    expect(accepted.body.outcome).toBe('booked');
    const state = await db.query(`select status, filled from shifts where id = $1`, [shift.body.id]);
    expect(state.rows[0]).toEqual({ status: 'full', filled: 1 });

    const confirmation = await h.smtp.waitFor(
      (m) => m.to.includes(vols[0].email) && /booked|confirmed/i.test(m.subject),
    );
    const ics =
      confirmation.parsed.attachments.find((a) => a.contentType.includes('calendar'))?.content.toString() ??
      String((confirmation.parsed as unknown as { text: string }).text);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:booking-${accepted.body.bookingId}@localhost`);

    // Bob's pending offer is withdrawn with a thank-you, and his late accept hears that it filled.
    await h.smtp.waitFor((m) => m.to.includes(vols[1].email) && /filled|thank/i.test(m.subject));
    const bobLate = await h.request('POST', '/links/offer', {
      form: { token: offerLink(offerMailsFor(vols[1].email)[0]).token, action: 'accept' },
      headers: { accept: 'text/html' },
    });
    expect(bobLate.status).toBe(200);
    expect(bobLate.text).toMatch(/This shift filled up just before you/);

    // Pressed twice: the same "you're booked" again, and still one booking.
    const twice = await h.request('POST', '/links/offer', {
      form: { token, action: 'accept' },
      headers: { accept: 'text/html' },
    });
    expect(twice.status).toBe(200);
    expect(twice.text).toContain('You’re booked');
    expect(
      (await db.query(`select count(*)::int as n from bookings where shift_id = $1`, [shift.body.id])).rows[0].n,
    ).toBe(1);

    // The volunteer sees the booking; the coordinator sees the roster.
    const bookings = await h.request('GET', '/api/me/bookings', { token: vols[0].token });
    expect(bookings.body[0]).toMatchObject({ shiftId: shift.body.id, status: 'confirmed' });
    const roster = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shift.body.id}/roster`, {
      token: org.token,
    });
    expect(roster.body.entries.filter((e: { kind: string }) => e.kind === 'booking')).toHaveLength(1);

    // Operators see it in the metrics: offers created and accepted, and publish → first offer timed.
    const metrics = (await h.request('GET', '/metrics', { token: ADMIN_TOKEN })).text;
    expect(Number(/kindshift_offers_total\{outcome="created"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/kindshift_offers_total\{outcome="accepted"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/kindshift_publish_to_first_offer_seconds_count (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('publish → first offer is observed once per shift, however many of its offers go out together', async () => {
    const observed = async () =>
      (await publishToFirstOfferSeconds.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const org = await organisationWithCoordinator(h, 'offers-first');
    await volunteersInARow(h, 'first.example.org', ['fay', 'gus', 'hal', 'ida'], ['heavy-lifting']);
    const before = await observed();
    // The sink holds the four offer emails (fan-out 2 × 2 slots) and then answers them at once, so
    // their marks share one statement and one sent_at: a tie the first-offer check must survive.
    const release = h.smtp.hold();
    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: 'Move day',
        ...nextTuesdayEvening(2),
        capacity: 2,
        requiredSkills: ['heavy-lifting'],
        publish: true,
      },
    });
    expect(shift.status).toBe(201);
    await waitUntil(async () => h.smtp.held === 4, 10_000, 'four offer emails held by the sink');
    release();
    const offerIds = await waitUntil(async () => {
      const { rows } = await db.query(`select id from offers where shift_id = $1`, [shift.body.id]);
      return rows.length === 4 && rows.map((r) => String(r.id));
    });
    const emailQueue = h.worker!.get<Queue>(getQueueToken(QueueName.Email));
    await waitUntil(
      async () =>
        (
          await Promise.all(offerIds.map(async (id) => (await emailQueue.getJob(`email.offer-${id}`))?.isCompleted()))
        ).every(Boolean),
      10_000,
      'all four offer email jobs completed',
    );
    expect(await observed()).toBe(before + 1);
  });

  it('a decline lets the next candidate in, and never offers that shift to the decliner again', async () => {
    const org = await organisationWithCoordinator(h, 'offers2');
    const vols = await volunteersInARow(h, 'o2.example.org', ['dan', 'eve', 'fay'], ['driving-licence']);
    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: 'Van run',
        ...nextTuesdayEvening(2),
        capacity: 1,
        requiredSkills: ['driving-licence'],
        publish: true,
      },
    });
    await h.smtp.waitFor(() => offerMailsFor(vols[0].email).length === 1 && offerMailsFor(vols[1].email).length === 1);
    const declined = await h.request('POST', '/links/offer', {
      body: { token: offerLink(offerMailsFor(vols[0].email)[0]).token, action: 'decline' },
      headers: { accept: 'application/json' },
    });
    expect(declined.body.outcome).toBe('declined');
    await h.smtp.waitFor(() => offerMailsFor(vols[2].email).length === 1);
    const offers = await db.query(
      `select volunteer_id, status, wave from offers where shift_id = $1 order by wave, volunteer_id`,
      [shift.body.id],
    );
    expect(offers.rows.find((o) => o.volunteer_id === vols[0].accountId)).toMatchObject({
      status: 'declined',
      wave: 1,
    });
    expect(offers.rows.find((o) => o.volunteer_id === vols[2].accountId)).toMatchObject({ status: 'pending', wave: 2 });
    expect(offers.rows).toHaveLength(3);
  });

  it('overdue offers are expired by the sweeper and the cascade continues', async () => {
    const org = await organisationWithCoordinator(h, 'offers3');
    const vols = await volunteersInARow(h, 'o3.example.org', ['gus', 'hal', 'ivy'], ['first-aid']);
    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: 'First aid cover',
        ...nextTuesdayEvening(3),
        capacity: 1,
        requiredSkills: ['first-aid'],
        publish: true,
      },
    });
    await h.smtp.waitFor(() => offerMailsFor(vols[0].email).length === 1);
    // Pretend the deadline passed and the delayed expiry job was lost: only the sweeper can help.
    await db.query(
      `update offers set expires_at = now() - interval '1 minute' where shift_id = $1 and volunteer_id = $2`,
      [shift.body.id, vols[0].accountId],
    );
    const { OfferEngine } = await import('../../libs/offers/offer-engine.service.js');
    expect(await h.worker!.get(OfferEngine).sweep()).toBe(1);
    await h.smtp.waitFor(() => offerMailsFor(vols[2].email).length === 1);
    const expired = await db.query(`select status from offers where shift_id = $1 and volunteer_id = $2`, [
      shift.body.id,
      vols[0].accountId,
    ]);
    expect(expired.rows[0].status).toBe('expired');
    const late = await h.request('POST', '/links/offer', {
      body: { token: offerLink(offerMailsFor(vols[0].email)[0]).token, action: 'accept' },
      headers: { accept: 'application/json' },
    });
    expect(late.body).toMatchObject({ outcome: 'closed', status: 'expired' });
  });

  it('a shift change sends an iCalendar update with the same UID and a higher SEQUENCE; cancelling sends CANCEL', async () => {
    const org = await organisationWithCoordinator(h, 'offers4');
    const vol = await confirmedVolunteer(h, 'jo@o4.example.org', { quietHours: NO_QUIET, skills: ['cat-care'] });
    const times = nextTuesdayEvening(4);
    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title: 'Change me', ...times, capacity: 2, requiredSkills: ['cat-care'], publish: true },
    });
    const offer = await h.smtp.waitFor((m) => m.to.includes('jo@o4.example.org') && m.text.includes('/links/offer'));
    const booked = await h.request('POST', '/links/offer', {
      body: { token: offerLink(offer).token, action: 'accept' },
      headers: { accept: 'application/json' },
    });
    const uid = `UID:booking-${booked.body.bookingId}@localhost`;
    await h.smtp.waitFor((m) => m.to.includes('jo@o4.example.org') && icsOf(m).includes('METHOD:REQUEST'));

    const later = DateTime.fromISO(times.startsAt).plus({ minutes: 30 }).toISO();
    expect(
      (
        await h.request('PATCH', `/api/organisations/${org.organisationId}/shifts/${shift.body.id}`, {
          token: org.token,
          body: { startsAt: later },
        })
      ).status,
    ).toBe(200);
    const update = await h.smtp.waitFor((m) => m.to.includes('jo@o4.example.org') && icsOf(m).includes('SEQUENCE:1'));
    expect(icsOf(update)).toContain(uid);
    expect(update.text).toMatch(/start time has changed/);

    await h.request('POST', `/api/organisations/${org.organisationId}/shifts/${shift.body.id}/cancel`, {
      token: org.token,
    });
    const cancel = await h.smtp.waitFor(
      (m) => m.to.includes('jo@o4.example.org') && icsOf(m).includes('METHOD:CANCEL'),
    );
    expect(icsOf(cancel)).toContain(uid);
    expect(icsOf(cancel)).toContain('SEQUENCE:3'); // two shift changes (edit, cancel) + the booking's own cancellation
    const bookings = await h.request('GET', '/api/me/bookings', { token: vol.token });
    expect(bookings.body[0].status).toBe('cancelled');
  });

  it('a volunteer cancelling reopens the slot; attendance can only be marked once the shift started', async () => {
    const org = await organisationWithCoordinator(h, 'offers5');
    const vol = await confirmedVolunteer(h, 'kim@o5.example.org', { quietHours: NO_QUIET, skills: ['laundry'] });
    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title: 'Cancel me', ...nextTuesdayEvening(5), capacity: 1, requiredSkills: ['laundry'], publish: true },
    });
    const offer = await h.smtp.waitFor((m) => m.to.includes('kim@o5.example.org') && m.text.includes('/links/offer'));
    const booked = await h.request('POST', '/links/offer', {
      body: { token: offerLink(offer).token, action: 'accept' },
      headers: { accept: 'application/json' },
    });
    const attendance = `/api/organisations/${org.organisationId}/shifts/${shift.body.id}/bookings/${booked.body.bookingId}/attendance`;
    expect((await h.request('POST', attendance, { token: org.token, body: { status: 'attended' } })).status).toBe(409);

    const confirmation = await h.smtp.waitFor(
      (m) => m.to.includes('kim@o5.example.org') && icsOf(m).includes('METHOD:REQUEST'),
    );
    expect(
      (await h.request('POST', `/api/me/bookings/${booked.body.bookingId}/cancel`, { token: vol.token })).status,
    ).toBe(204);
    const state = await db.query(`select status, filled from shifts where id = $1`, [shift.body.id]);
    expect(state.rows[0]).toEqual({ status: 'open', filled: 0 });
    // Their calendar entry goes too: a CANCEL for the same UID with a higher SEQUENCE.
    const uid = `UID:booking-${booked.body.bookingId}@localhost`;
    expect(icsOf(confirmation)).toContain(uid);
    expect(icsOf(confirmation)).toContain('SEQUENCE:0');
    const cancelled = await h.smtp.waitFor(
      (m) => m.to.includes('kim@o5.example.org') && icsOf(m).includes('METHOD:CANCEL'),
    );
    expect(cancelled.subject).toMatch(/^You cancelled: Cancel me/);
    expect(icsOf(cancelled)).toContain(uid);
    expect(icsOf(cancelled)).toContain('SEQUENCE:1');

    // Move a second booking's shift into the past to mark attendance.
    const other = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title: 'Past', ...nextTuesdayEvening(6), capacity: 1, requiredSkills: ['laundry'], publish: true },
    });
    const offer2 = await h.smtp.waitFor((m) => m.to.includes('kim@o5.example.org') && m.subject.includes('Past'));
    const booked2 = await h.request('POST', '/links/offer', {
      body: { token: offerLink(offer2).token, action: 'accept' },
      headers: { accept: 'application/json' },
    });
    await db.query(
      `update shifts set starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour' where id = $1`,
      [other.body.id],
    );
    const mark = `/api/organisations/${org.organisationId}/shifts/${other.body.id}/bookings/${booked2.body.bookingId}/attendance`;
    expect((await h.request('POST', mark, { token: org.token, body: { status: 'no_show' } })).status).toBe(204);
    expect((await h.request('POST', mark, { token: org.token, body: { status: 'attended' } })).status).toBe(204);
    expect((await db.query(`select status from bookings where id = $1`, [booked2.body.bookingId])).rows[0].status).toBe(
      'attended',
    );
  });

  it('a signed-in volunteer answers their own offers through the API; anyone else’s is not found', async () => {
    const org = await organisationWithCoordinator(h, 'offers9');
    const vol = await confirmedVolunteer(h, 'ash@o9.example.org', { quietHours: NO_QUIET, skills: ['diy-repairs'] });
    const other = await confirmedVolunteer(h, 'bo@o9.example.org', { quietHours: NO_QUIET, skills: ['befriending'] });
    await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: 'Allotment',
        ...nextTuesdayEvening(9),
        capacity: 1,
        requiredSkills: ['diy-repairs'],
        publish: true,
      },
    });
    await h.smtp.waitFor((m) => m.to.includes('ash@o9.example.org') && m.text.includes('/links/offer'));
    const [mine] = (await h.request('GET', '/api/me/offers', { token: vol.token })).body;
    expect(mine.title).toBe('Allotment');
    const path = `/api/me/offers/${mine.offerId}/answer`;
    expect((await h.request('POST', path, { token: other.token, body: { action: 'accept' } })).status).toBe(404);
    const bad = await h.request('POST', path, { token: vol.token, body: { action: 'maybe' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('action');
    const booked = await h.request('POST', path, { token: vol.token, body: { action: 'accept' } });
    expect(booked.status).toBe(200);
    expect(booked.body).toMatchObject({ outcome: 'booked', bookingId: expect.any(String) });
    expect((await h.request('GET', '/api/me/bookings', { token: vol.token })).body[0]).toMatchObject({
      bookingId: booked.body.bookingId,
      status: 'confirmed',
    });
    // Answering again says where it stands; it books nothing twice.
    expect((await h.request('POST', path, { token: vol.token, body: { action: 'decline' } })).body).toMatchObject({
      outcome: 'closed',
      status: 'accepted',
    });
    expect(
      (await db.query(`select count(*)::int as n from bookings where offer_id = $1`, [mine.offerId])).rows[0].n,
    ).toBe(1);
  });

  it('one-click unsubscribe pauses offers; GET shows a page and changes nothing', async () => {
    const org = await organisationWithCoordinator(h, 'offers6');
    const vol = await confirmedVolunteer(h, 'lee@o6.example.org', { quietHours: NO_QUIET, skills: ['it-support'] });
    await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title: 'Unsub', ...nextTuesdayEvening(7), capacity: 1, requiredSkills: ['it-support'], publish: true },
    });
    const offer = await h.smtp.waitFor((m) => m.to.includes('lee@o6.example.org') && m.text.includes('/links/offer'));
    const unsubscribe = new URL(String(rawHeader(offer, 'list-unsubscribe')).replace(/[<>]/g, ''));
    const page = await h.request('GET', `${unsubscribe.pathname}${unsubscribe.search}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect((await h.request('GET', '/api/me', { token: vol.token })).body.status).toBe('active');
    // RFC 8058: the client POSTs "List-Unsubscribe=One-Click" to the URL itself.
    const oneClick = await h.request('POST', `${unsubscribe.pathname}${unsubscribe.search}`, {
      form: { 'List-Unsubscribe': 'One-Click' },
    });
    expect(oneClick.status).toBe(200);
    expect((await h.request('GET', '/api/me', { token: vol.token })).body.status).toBe('paused');
    // An offer token is not an unsubscribe token.
    const wrongPurpose = await h.request('POST', '/links/unsubscribe', {
      body: { token: offerLink(offer).token },
      headers: { accept: 'application/json' },
    });
    expect(wrongPurpose.status).toBe(410);
    const tampered = await h.request('POST', '/links/offer', {
      body: { token: offerLink(offer).token.slice(0, -2) + 'xx', action: 'accept' },
      headers: { accept: 'application/json' },
    });
    expect(tampered.status).toBe(410);
  });

  it('quiet hours: an offer due at night waits for the morning in the volunteer’s zone', async () => {
    const org = await organisationWithCoordinator(h, 'offers7');
    // Quiet hours that cover "now" wherever the test runs: from one hour ago to one hour from now.
    const now = DateTime.now().setZone('Europe/London');
    const quietHours = {
      start: now.minus({ hours: 1 }).toFormat('HH:mm'),
      end: now.plus({ hours: 1 }).toFormat('HH:mm'),
    };
    const vol = await confirmedVolunteer(h, 'max@o7.example.org', { quietHours, skills: ['fundraising'] });
    await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title: 'Quiet', ...nextTuesdayEvening(8), capacity: 1, requiredSkills: ['fundraising'], publish: true },
    });
    const row = await waitUntil(
      async () =>
        (
          await db.query(
            `select o.available_at from outbox o where o.job_name = 'email.offer' and o.payload->>'offerId' in (select id::text from offers where volunteer_id = $1)`,
            [vol.accountId],
          )
        ).rows[0],
      10_000,
      'offer outbox row',
    );
    const delayMinutes = (new Date(row.available_at).getTime() - Date.now()) / 60_000;
    expect(delayMinutes).toBeGreaterThan(50);
    expect(delayMinutes).toBeLessThan(65);
    expect(
      h.smtp.messages.filter((m) => m.to.includes('max@o7.example.org') && m.text.includes('/links/offer')),
    ).toHaveLength(0);
  });
});
