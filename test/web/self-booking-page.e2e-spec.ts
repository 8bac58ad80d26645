import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { JobName } from '../../libs/platform/queue/job-names.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { AxeLog, horizontalOverflow, launchBrowser, listen, newContext, screenshots } from './browser.js';

/**
 * Booking a shift from "Shifts that fit you" on /me, in a real Chromium with JavaScript off (the
 * button is a plain form POST with the page's CSRF token). No worker: the confirmation stays in the
 * outbox, where the test reads it.
 */
const HTML = { accept: 'text/html' };

describe('booking a fitting shift from /me in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let identity: IdentityService;
  let db: pg.Client;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_self_booking', { worker: false }), launchBrowser()]);
    base = await listen(h);
    identity = h.api.get(IdentityService);
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await h?.close();
  });

  async function session(accountId: string, purpose: 'verify_email' | 'sign_in'): Promise<string> {
    const token = await identity.issueLinkToken(accountId, purpose, 600);
    const res = await h.request('POST', purpose === 'verify_email' ? '/links/verify' : '/links/sign-in', {
      body: { token },
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  async function signedIn(token: string, javaScriptEnabled = true): Promise<BrowserContext> {
    const context = await newContext(browser, { javaScriptEnabled });
    await context.addCookies([{ name: 'ks_session', value: token, url: base }]);
    return context;
  }

  const section = (page: Page, heading: string) =>
    page.locator('section', { has: page.getByRole('heading', { name: heading }) });

  it('"Book this shift" books it, confirms it by email with the invite, and moves it to "Your upcoming shifts"', async () => {
    const axe = new AxeLog();
    const org = await h.request('POST', '/api/admin/organisations', {
      token: ADMIN_TOKEN,
      body: {
        name: 'Ancoats Kitchen',
        kind: 'soup_kitchen',
        timeZone: 'Europe/London',
        address: { label: 'Hall', street: '1 Mill Street', ...MANCHESTER },
        coordinator: { email: 'jo@selfpage.example.org', name: 'Jo' },
      },
    });
    expect(org.status).toBe(201);
    const coordinator = await session(org.body.coordinatorAccountId, 'sign_in');
    const registered = await h.request('POST', '/api/volunteers', {
      body: {
        email: 'nia@selfpage.example.org',
        name: 'Nia',
        timeZone: 'Europe/London',
        home: MANCHESTER,
        travelKm: 10,
        skills: ['cooking'],
        availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
      },
    });
    expect(registered.status).toBe(202);
    const nia = (await identity.findAccountByEmail('nia@selfpage.example.org'))!.id;
    const niaSession = await session(nia, 'verify_email');
    const start = DateTime.now()
      .setZone('Europe/London')
      .plus({ weeks: 1 })
      .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
    const shift = await h.request('POST', `/api/organisations/${org.body.id}/shifts`, {
      token: coordinator,
      body: {
        title: 'Tuesday supper',
        startsAt: start.toISO(),
        endsAt: start.plus({ hours: 3 }).toISO(),
        capacity: 2,
        requiredSkills: ['cooking'],
        publish: true,
      },
    });
    expect(shift.status).toBe(201);

    const context = await signedIn(niaSession);
    const page = await context.newPage();
    await page.goto(`${base}/me`);
    const fits = section(page, 'Shifts that fit you');
    expect(await fits.textContent()).toMatch(/Tuesday supper[\s\S]*Ancoats Kitchen/);
    const button = fits.getByRole('button', { name: /^Book this shift\W+Tuesday supper$/ });
    expect(await button.count()).toBe(1);
    await axe.check(page, 'volunteer-home-fits');
    await screenshots(page, 'volunteer-home-fits');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Without the page's token nothing is booked.
    const forged = await context.request.post(`${base}/me/shifts/${shift.body.id}/book`, {
      form: {},
      headers: HTML,
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(
      (await db.query(`select count(*)::int as n from bookings where shift_id = $1`, [shift.body.id])).rows[0].n,
    ).toBe(0);

    // The button is a plain form: pressed with JavaScript off, it books.
    const noScript = await (await signedIn(niaSession, false)).newPage();
    await noScript.goto(`${base}/me`);
    await section(noScript, 'Shifts that fit you')
      .getByRole('button', { name: /^Book this shift\W+Tuesday supper$/ })
      .click();
    await noScript.getByRole('heading', { name: 'You’re booked — thank you!' }).waitFor();
    await page.goto(`${base}/me`);
    await axe.check(page, 'volunteer-home-booked');
    const [booking] = (
      await db.query(`select id, status, offer_id from bookings where shift_id = $1 and volunteer_id = $2`, [
        shift.body.id,
        nia,
      ])
    ).rows;
    expect(booking).toMatchObject({ status: 'confirmed', offer_id: null });
    expect((await db.query(`select filled from shifts where id = $1`, [shift.body.id])).rows[0].filled).toBe(1);
    const confirmation = await db.query(
      `select count(*)::int as n from outbox where job_name = $1 and payload->>'bookingId' = $2`,
      [JobName.BookingConfirmedEmail, booking.id],
    );
    expect(confirmation.rows[0].n).toBe(1);

    expect(await section(page, 'Your upcoming shifts').textContent()).toMatch(/Tuesday supper[\s\S]*Booked/);
    expect(await fits.textContent()).not.toContain('Tuesday supper');

    // A second press (an old tab, a resubmitted form) shows the same booking and books nothing more.
    const twice = await context.request.post(`${base}/me/shifts/${shift.body.id}/book`, {
      form: { _csrf: await page.locator('input[name="_csrf"]').first().inputValue() },
      headers: HTML,
      maxRedirects: 0,
    });
    expect(twice.status()).toBe(200);
    expect(await twice.text()).toContain('You already have this place');
    expect(
      (await db.query(`select count(*)::int as n from bookings where shift_id = $1`, [shift.body.id])).rows[0].n,
    ).toBe(1);

    // A shift that does not fit says which rule, on a page.
    const lead = await h.request('POST', `/api/organisations/${org.body.id}/shifts`, {
      token: coordinator,
      body: {
        title: 'First aid cover',
        startsAt: start.plus({ weeks: 1 }).toISO(),
        endsAt: start.plus({ weeks: 1, hours: 3 }).toISO(),
        capacity: 1,
        requiredSkills: ['first-aid'],
        publish: true,
      },
    });
    const refused = await context.newPage();
    const response = await refused.goto(`${base}/me`);
    expect(response?.status()).toBe(200);
    const misfit = await context.request.post(`${base}/me/shifts/${lead.body.id}/book`, {
      form: { _csrf: await refused.locator('input[name="_csrf"]').first().inputValue() },
      headers: HTML,
      maxRedirects: 0,
    });
    expect(misfit.status()).toBe(409);
    expect(await misfit.text()).toContain('This shift needs a skill you have not listed in your profile.');
    axe.report();
    expect(axe.problems).toEqual([]);
  }, 90_000);
});
