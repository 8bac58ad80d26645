import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, NO_QUIET } from '../support/actors.js';
import type { ReceivedMail } from '../support/smtp-sink.js';

const EVIL = 'https://evil.example';
const OWN = 'http://localhost:3000'; // the harness's PUBLIC_BASE_URL

function nextTuesdayEvening(weeksAhead: number) {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: weeksAhead })
    .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
  return { startsAt: start.toISO() as string, endsAt: start.plus({ hours: 3 }).toISO() as string };
}

function offerToken(mail: ReceivedMail): string {
  const match = mail.text.match(/https?:\/\/\S+\/links\/offer\?token=\S+/);
  if (!match) throw new Error(`no offer link in "${mail.subject}"`);
  return new URL(match[0]).searchParams.get('token') as string;
}

describe('requests authenticated by the session cookie must come from our own pages', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  beforeAll(async () => {
    h = await startHarness('cross_site');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'crosssite');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** A volunteer booked on a fresh one-slot shift (booked through the emailed one-click link, which has no Origin). */
  async function bookedVolunteer(name: string, skill: string, weeksAhead: number) {
    const email = `${name}@hardening.example.org`;
    const vol = await confirmedVolunteer(h, email, { quietHours: NO_QUIET, skills: [skill] });
    await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: `Shift of ${name}`,
        ...nextTuesdayEvening(weeksAhead),
        capacity: 1,
        requiredSkills: [skill],
        publish: true,
      },
    });
    const offer = await h.smtp.waitFor((m) => m.to.includes(email) && m.text.includes('/links/offer'));
    const booked = await h.request('POST', '/links/offer', {
      body: { token: offerToken(offer), action: 'accept' },
      headers: { accept: 'application/json' },
    });
    expect(booked.status).toBe(200);
    expect(booked.body.outcome).toBe('booked');
    return { ...vol, bookingId: booked.body.bookingId as string };
  }
  const bookingStatus = async (id: string) =>
    (await db.query(`select status from bookings where id = $1`, [id])).rows[0].status;

  describe('cross-site requests authenticated by the session cookie', () => {
    it('refuses the attack from the issue: a form POST with the cookie and a foreign Origin (403, booking still confirmed)', async () => {
      const vol = await bookedVolunteer('csrf1', 'cooking', 1);
      const attack = await h.request('POST', `/api/me/bookings/${vol.bookingId}/cancel`, {
        form: { reason: 'x' },
        headers: { cookie: `ks_session=${vol.token}`, origin: EVIL },
      });
      expect(attack.status).toBe(403);
      expect(attack.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(attack.body.detail).toMatch(/another site/i);
      expect(await bookingStatus(vol.bookingId)).toBe('confirmed');

      // The same without Origin, with a foreign Referer, or marked cross-site by the browser: refused too.
      const refused: Array<Record<string, string>> = [
        {},
        { referer: `${EVIL}/page` },
        { 'sec-fetch-site': 'cross-site' },
        { origin: 'null' },
        { 'sec-fetch-site': 'same-site', origin: 'http://sub.localhost:3000' },
      ];
      for (const headers of refused) {
        const res = await h.request('POST', `/api/me/bookings/${vol.bookingId}/cancel`, {
          headers: { cookie: `ks_session=${vol.token}`, ...headers },
        });
        expect([JSON.stringify(headers), res.status]).toEqual([JSON.stringify(headers), 403]);
      }
      // JSON bodies and other unsafe methods alike.
      const patch = await h.request('PATCH', '/api/me', {
        body: { name: 'Evil' },
        headers: { cookie: `ks_session=${vol.token}`, origin: EVIL },
      });
      expect(patch.status).toBe(403);
      const put = await h.request('PUT', '/api/me/check-ins/consent', {
        body: { checkIns: true },
        headers: { cookie: `ks_session=${vol.token}`, origin: EVIL },
      });
      expect(put.status).toBe(403);
      const del = await h.request('DELETE', '/api/me', {
        headers: { cookie: `ks_session=${vol.token}`, origin: EVIL },
      });
      expect(del.status).toBe(403);
      expect((await h.request('GET', '/api/me', { token: vol.token })).body.name).toBe('Vol');
      expect(await bookingStatus(vol.bookingId)).toBe('confirmed');
    });

    it('accepts the same request from the product’s own origin (Origin, Referer or Sec-Fetch-Site)', async () => {
      const vol = await bookedVolunteer('csrf2', 'first-aid', 2);
      const same = await h.request('PATCH', '/api/me', {
        body: { name: 'Own origin' },
        headers: { cookie: `ks_session=${vol.token}`, origin: OWN },
      });
      expect(same.status).toBe(200);
      const referred = await h.request('PATCH', '/api/me', {
        body: { name: 'Own referer' },
        headers: { cookie: `ks_session=${vol.token}`, referer: `${OWN}/me` },
      });
      expect(referred.status).toBe(200);
      const fetched = await h.request('PATCH', '/api/me', {
        body: { name: 'Fetch metadata' },
        headers: { cookie: `ks_session=${vol.token}`, 'sec-fetch-site': 'same-origin' },
      });
      expect(fetched.status).toBe(200);
      const cancelled = await h.request('POST', `/api/me/bookings/${vol.bookingId}/cancel`, {
        headers: { cookie: `ks_session=${vol.token}`, origin: OWN },
      });
      expect(cancelled.status).toBe(204);
      expect(await bookingStatus(vol.bookingId)).toBe('cancelled');
    });

    it('accepts a cookie request without Origin that carries a valid CSRF token of its session', async () => {
      const vol = await confirmedVolunteer(h, 'csrf3@hardening.example.org');
      const page = await h.request('GET', '/me', {
        headers: { cookie: `ks_session=${vol.token}`, accept: 'text/html' },
      });
      const secret = /ks_csrf=([^;,\s]+)/.exec(String(page.headers['set-cookie'] ?? ''))?.[1];
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      expect(secret && token).toBeTruthy();
      const res = await h.request('PATCH', '/api/me', {
        body: { name: 'With token' },
        headers: { cookie: `ks_session=${vol.token}; ks_csrf=${secret}`, 'x-csrf-token': token! },
      });
      expect(res.status).toBe(200);
      const forged = await h.request('PATCH', '/api/me', {
        body: { name: 'Forged' },
        headers: { cookie: `ks_session=${vol.token}; ks_csrf=${secret}`, 'x-csrf-token': 'forged', origin: EVIL },
      });
      expect(forged.status).toBe(403);
    });

    it('leaves bearer-token clients and token-authenticated email links alone', async () => {
      const vol = await bookedVolunteer('csrf4', 'driving-licence', 3);
      // A bearer client may send any Origin (or none): it cannot be forged by a third-party page.
      const bearer = await h.request('POST', `/api/me/bookings/${vol.bookingId}/cancel`, {
        token: vol.token,
        headers: { origin: EVIL },
      });
      expect(bearer.status).toBe(204);
      // A one-click email link POST (no Origin, a stray cookie of the same browser) still works on its token.
      const other = await confirmedVolunteer(h, 'csrf5@hardening.example.org', {
        quietHours: NO_QUIET,
        skills: ['admin'],
      });
      await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.token,
        body: { title: 'Link shift', ...nextTuesdayEvening(4), capacity: 1, requiredSkills: ['admin'], publish: true },
      });
      const offer = await h.smtp.waitFor(
        (m) => m.to.includes('csrf5@hardening.example.org') && m.text.includes('/links/offer'),
      );
      const viaLink = await h.request('POST', '/links/offer', {
        form: { token: offerToken(offer), action: 'accept' },
        headers: { accept: 'application/json', cookie: `ks_session=${other.token}`, origin: EVIL },
      });
      expect(viaLink.status).toBe(200);
      expect(viaLink.body.outcome).toBe('booked');
    });
  });
});
