import pg from 'pg';
import { DateTime } from 'luxon';
import { ADMIN_TOKEN, startHarness, waitUntil, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, NO_QUIET } from '../support/actors.js';
import { linkFrom, rawHeader } from '../support/smtp-sink.js';
import { WellbeingService } from '../../libs/wellbeing/wellbeing.service.js';
import { SuggestShiftsJob } from '../../libs/wellbeing/jobs/suggest-shifts.job.js';

describe('wellbeing check-ins', () => {
  let h: Harness;
  let db: pg.Client;
  beforeAll(async () => {
    h = await startHarness('wellbeing', {
      env: { CHECK_IN_DELAY_HOURS: '0', CHECK_IN_MAIL_FROM: 'Kindshift check-ins <checkins@kindshift.test>' },
    });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** A volunteer booked on a shift that then "happened": moved into the past and marked attended. */
  async function attendedShift(slug: string, options: { consent: boolean; skill: string }) {
    const org = await organisationWithCoordinator(h, slug);
    const email = `${slug}@example.org`;
    const vol = await confirmedVolunteer(h, email, {
      quietHours: NO_QUIET,
      skills: [options.skill],
      home: { lat: 53.48, lon: -2.24 },
    });
    if (options.consent)
      expect(
        (await h.request('PUT', '/api/me/check-ins/consent', { token: vol.token, body: { checkIns: true } })).body,
      ).toEqual({ checkIns: true, suggestions: false });
    const start = DateTime.now()
      .setZone('Europe/London')
      .plus({ weeks: 1 })
      .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: `Shift ${slug}`,
        startsAt: start.toISO(),
        endsAt: start.plus({ hours: 3 }).toISO(),
        capacity: 1,
        requiredSkills: [options.skill],
        publish: true,
      },
    });
    const offer = await h.smtp.waitFor((m) => m.to.includes(email) && m.text.includes('/links/offer'));
    const token = new URL(offer.text.match(/https?:\/\/\S+\/links\/offer\?token=\S+/)![0]).searchParams.get('token');
    const booked = await h.request('POST', '/links/offer', {
      body: { token, action: 'accept' },
      headers: { accept: 'application/json' },
    });
    await db.query(
      `update shifts set starts_at = now() - interval '4 hours', ends_at = now() - interval '1 hour' where id = $1`,
      [shift.body.id],
    );
    const mark = await h.request(
      'POST',
      `/api/organisations/${org.organisationId}/shifts/${shift.body.id}/bookings/${booked.body.bookingId}/attendance`,
      { token: org.token, body: { status: 'attended' } },
    );
    expect(mark.status).toBe(204);
    return { org, vol, email, shiftId: shift.body.id as string, bookingId: booked.body.bookingId as string };
  }

  it('attended shift → check-in email → form (GET changes nothing) → low WHO-5 stored encrypted → support and help for the country', async () => {
    const { vol, email, org, shiftId } = await attendedShift('wb-one', { consent: true, skill: 'cleaning' });
    expect(await h.worker!.get(WellbeingService).scheduleDue()).toBe(1);
    const mail = await h.smtp.waitFor((m) => m.to.includes(email) && m.text.includes('/links/check-in?token='));
    expect(mail.parsed.from?.text).toContain('checkins@kindshift.test');
    expect(rawHeader(mail, 'list-unsubscribe')).toMatch(/\/links\/check-in-stop\?token=/);
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toMatch(/only you will ever see your answers/);

    const { token, url } = linkFrom(mail, '/links/check-in');
    const status = async () =>
      (await db.query(`select status from check_ins where volunteer_id = $1`, [vol.accountId])).rows[0].status;
    await waitUntil(async () => (await status()) === 'sent', 5000, 'check-in marked sent');
    const form = await h.request('GET', `${url.pathname}${url.search}`, { headers: { accept: 'text/html' } });
    expect(form.status).toBe(200);
    expect(form.text).toContain('I have felt cheerful and in good spirits'); // first check-in is the WHO-5
    expect(form.text).toContain('World Health Organization');
    expect(await status()).toBe('sent'); // opening the form changed nothing

    const answered = await h.request('POST', '/links/check-in', {
      form: { token, who5_1: '1', who5_2: '1', who5_3: '2', who5_4: '1', who5_5: '2', note: 'tired but glad I went' },
      headers: { accept: 'text/html' },
    });
    expect(answered.status).toBe(200);
    expect(answered.text).toMatch(/28 out of 100/);
    expect(answered.text).toMatch(/talking to your doctor/);
    expect(answered.text).toContain('116 123'); // Samaritans: the volunteer lives in the UK
    expect(answered.text).toMatch(/not a medical service/);

    const stored = await db.query(`select who5_items, note_encrypted from check_ins where volunteer_id = $1`, [
      vol.accountId,
    ]);
    expect(stored.rows[0].who5_items).toEqual([1, 1, 2, 1, 2]);
    expect(stored.rows[0].note_encrypted.includes(Buffer.from('tired'))).toBe(false);
    const mine = await h.request('GET', '/api/me/check-ins', { token: vol.token });
    expect(mine.body[0]).toMatchObject({
      kind: 'who5',
      status: 'answered',
      note: 'tired but glad I went',
      who5: { raw: 7, percentage: 28 },
    });
    const exported = await h.request('GET', '/api/me/export', { token: vol.token });
    expect(exported.body.checkIns[0].note).toBe('tired but glad I went');

    // Nobody else can see it: not the coordinator, an API key, the operator — and not in the roster.
    const key = (
      await h.request('POST', `/api/organisations/${org.organisationId}/api-keys`, {
        token: org.token,
        body: { name: 'k' },
      })
    ).body.key;
    for (const other of [org.token, key, ADMIN_TOKEN])
      expect((await h.request('GET', '/api/me/check-ins', { token: other })).status).toBe(403);
    expect((await h.request('GET', '/api/me/check-ins')).status).toBe(401);
    const roster = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/roster`, {
      token: org.token,
    });
    expect(JSON.stringify(roster.body)).not.toMatch(/who5|mood|tired/);

    // The link is single-use.
    expect(
      (
        await h.request('POST', '/links/check-in', {
          body: { token, who5: [5, 5, 5, 5, 5] },
          headers: { accept: 'application/json' },
        })
      ).status,
    ).toBe(410);
  });

  it('without consent there is no check-in; revoking consent cancels pending ones', async () => {
    const none = await attendedShift('wb-none', { consent: false, skill: 'laundry' });
    await h.worker!.get(WellbeingService).scheduleDue();
    expect(
      (await db.query(`select count(*)::int as n from check_ins where volunteer_id = $1`, [none.vol.accountId])).rows[0]
        .n,
    ).toBe(0);

    const later = await attendedShift('wb-later', { consent: true, skill: 'diy-repairs' });
    await db.query(
      `update volunteers set quiet_hours_start = '00:00', quiet_hours_end = '00:00' where account_id = $1`,
      [later.vol.accountId],
    );
    // Scheduled for later than now: pretend the shift ended just now and the delay is still running.
    await h.worker!.get(WellbeingService).scheduleDue();
    await db.query(
      `update check_ins set due_at = now() + interval '3 hours', status = 'scheduled' where volunteer_id = $1`,
      [later.vol.accountId],
    );
    const revoked = await h.request('PUT', '/api/me/check-ins/consent', {
      token: later.vol.token,
      body: { checkIns: false },
    });
    expect(revoked.body.checkIns).toBe(false);
    expect(
      (await db.query(`select status from check_ins where volunteer_id = $1`, [later.vol.accountId])).rows[0].status,
    ).toBe('cancelled');
  });

  it('one click stops check-ins; the next check-in within 14 days is the one-question mood check', async () => {
    const first = await attendedShift('wb-mood', { consent: true, skill: 'befriending' });
    const service = h.worker!.get(WellbeingService);
    await service.scheduleDue();
    const mail = await h.smtp.waitFor((m) => m.to.includes(first.email) && m.text.includes('/links/check-in?token='));
    // Simulate an earlier WHO-5 ten days ago and a second attended booking: the new check-in is a mood check.
    await db.query(`update check_ins set kind = 'who5', sent_at = now() - interval '10 days' where volunteer_id = $1`, [
      first.vol.accountId,
    ]);
    const second = await db
      .query(
        `insert into bookings (shift_id, volunteer_id, status, period) select s.id, $1, 'attended', tstzrange(now() - interval '30 hours', now() - interval '28 hours')
       from shifts s where s.id = $2 returning id`,
        [first.vol.accountId, first.shiftId],
      )
      .catch(() => null);
    expect(second).toBeNull(); // one booking per (shift, volunteer): the database refuses a second
    const org2 = await organisationWithCoordinator(h, 'wb-mood-2');
    const shift2 = await db.query(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
       select $1, id, 'Second', now() - interval '5 hours', now() - interval '2 hours', lat, lon, 1, 1, 'open' from organisation_addresses where organisation_id = $1 returning id`,
      [org2.organisationId],
    );
    await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) values ($1, $2, 'attended', tstzrange(now() - interval '5 hours', now() - interval '2 hours'))`,
      [shift2.rows[0].id, first.vol.accountId],
    );
    expect(await service.scheduleDue()).toBe(1);
    const kinds = await db.query(`select kind from check_ins where volunteer_id = $1 order by created_at`, [
      first.vol.accountId,
    ]);
    expect(kinds.rows.map((r) => r.kind)).toEqual(['who5', 'mood']);

    const stop = new URL(String(rawHeader(mail, 'list-unsubscribe')).replace(/[<>]/g, ''));
    expect(
      (await h.request('POST', `${stop.pathname}${stop.search}`, { form: { 'List-Unsubscribe': 'One-Click' } })).status,
    ).toBe(200);
    expect((await h.request('GET', '/api/me/check-ins/consent', { token: first.vol.token })).body.checkIns).toBe(false);
    const pending = await db.query(
      `select count(*)::int as n from check_ins where volunteer_id = $1 and status in ('scheduled', 'sent')`,
      [first.vol.accountId],
    );
    expect(pending.rows[0].n).toBe(0);
  });

  it('suggestions: a quiet volunteer who asked gets fitting regular shifts; one click stops them, GET changes nothing', async () => {
    const org = await organisationWithCoordinator(h, 'wb-suggest');
    const email = 'wb-suggest@example.org';
    const vol = await confirmedVolunteer(h, email, {
      quietHours: NO_QUIET,
      skills: ['admin'],
      home: { lat: 53.48, lon: -2.24 },
    });
    const consent = async () => (await h.request('GET', '/api/me/check-ins/consent', { token: vol.token })).body;
    expect(
      (await h.request('PUT', '/api/me/check-ins/consent', { token: vol.token, body: { suggestions: true } })).body,
    ).toEqual({ checkIns: false, suggestions: true });
    // A weekly Tuesday-evening series, generated as drafts (so no offers go out) and then opened.
    const from = DateTime.now().setZone('Europe/London').plus({ days: 1 });
    const series = await h.request('POST', `/api/organisations/${org.organisationId}/series`, {
      token: org.token,
      body: {
        title: 'Reception desk',
        weekday: 2,
        start: '17:00',
        end: '20:00',
        startsOn: from.toISODate(),
        until: from.plus({ weeks: 6 }).toISODate(),
        capacity: 2,
        requiredSkills: ['admin'],
        publish: false,
      },
    });
    expect(series.status).toBe(201);
    await waitUntil(
      async () => (await db.query(`select 1 from shifts where series_id = $1`, [series.body.id])).rows.length > 0,
      10_000,
      'the series generated',
    );
    await db.query(`update shifts set status = 'open' where series_id = $1`, [series.body.id]);

    const job = h.worker!.get(SuggestShiftsJob);
    expect(await job.handle()).toEqual({ sent: 1 });
    const mail = await h.smtp.waitFor((m) => m.to.includes(email) && m.subject === 'Some regular shifts that fit you');
    expect(mail.text).toContain('Reception desk at Kitchen wb-suggest');
    const stop = new URL(String(rawHeader(mail, 'list-unsubscribe')).replace(/[<>]/g, ''));
    expect(stop.pathname).toBe('/links/suggestions-stop');
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(linkFrom(mail, '/links/suggestions-stop').token).toBe(stop.searchParams.get('token')); // and in the body

    // Opening the link (mail scanners do) shows a page whose button POSTs; nothing changes.
    const page = await h.request('GET', `${stop.pathname}${stop.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Stop suggestions');
    expect(await consent()).toEqual({ checkIns: false, suggestions: true });
    // The token stops suggestions only: the check-in stop link refuses it.
    expect(
      (await h.request('POST', `/links/check-in-stop${stop.search}`, { form: { 'List-Unsubscribe': 'One-Click' } }))
        .status,
    ).toBe(410);

    expect(
      (await h.request('POST', `${stop.pathname}${stop.search}`, { form: { 'List-Unsubscribe': 'One-Click' } })).status,
    ).toBe(200);
    expect(await consent()).toEqual({ checkIns: false, suggestions: false });
    await db.query(`update volunteers set last_suggestion_at = null where account_id = $1`, [vol.accountId]);
    expect(await job.handle()).toEqual({ sent: 0 });
  });
});
