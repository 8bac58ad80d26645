import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { AxeLog, horizontalOverflow, launchBrowser, listen, newContext, screenshots } from './browser.js';

/**
 * The pages the offer pipeline and the check-ins add, in a real Chromium, with offers, bookings and
 * check-ins written straight into the database (no worker: nothing is sent, so every state is stable):
 * the volunteer's home sections, cancelling a booking, the calendar file, the coordinator's fill
 * states and attendance, and the wellbeing page with who may reach it.
 */
const TEST_TIMEOUT_MS = 90_000;
const HTML = { accept: 'text/html' };

describe('offer and wellbeing pages in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let identity: IdentityService;
  let db: pg.Client;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_activity', { worker: false }), launchBrowser()]);
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

  async function completeLink(accountId: string, purpose: 'verify_email' | 'sign_in'): Promise<string> {
    const token = await identity.issueLinkToken(accountId, purpose, 600);
    const res = await h.request('POST', purpose === 'verify_email' ? '/links/verify' : '/links/sign-in', {
      body: { token },
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  async function volunteer(email: string, name: string) {
    const res = await h.request('POST', '/api/volunteers', {
      body: {
        email,
        name,
        timeZone: 'Europe/London',
        home: { query: 'Manchester, GB' },
        travelKm: 10,
        skills: ['cooking'],
        availability: [],
      },
    });
    expect(res.status).toBe(202);
    const account = await identity.findAccountByEmail(email);
    return { accountId: account!.id, session: await completeLink(account!.id, 'verify_email') };
  }

  async function organisation(slug: string) {
    const res = await h.request('POST', '/api/admin/organisations', {
      token: ADMIN_TOKEN,
      body: {
        name: `Kitchen ${slug}`,
        kind: 'soup_kitchen',
        timeZone: 'Europe/London',
        address: { label: 'Hall', street: '1 Mill Street', ...MANCHESTER },
        coordinator: { email: `coordinator@${slug}.example.org`, name: 'Jo' },
      },
    });
    expect(res.status).toBe(201);
    return {
      organisationId: res.body.id as string,
      session: await completeLink(res.body.coordinatorAccountId, 'sign_in'),
    };
  }

  /** A shift posted through the API; `pastHours` then moves it to have ended that many hours ago. */
  async function shift(
    org: { organisationId: string; session: string },
    title: string,
    inDays: number,
    pastHours?: number,
  ): Promise<string> {
    const start = DateTime.now()
      .setZone('Europe/London')
      .plus({ days: inDays })
      .set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.session,
      body: { title, startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity: 2, publish: true },
    });
    expect(res.status).toBe(201);
    if (pastHours !== undefined) {
      await db.query(
        `update shifts set starts_at = now() - ($2::int + 3) * interval '1 hour', ends_at = now() - $2::int * interval '1 hour' where id = $1`,
        [res.body.id, pastHours],
      );
    }
    return res.body.id;
  }

  async function book(shiftId: string, volunteerId: string, status = 'confirmed'): Promise<string> {
    const { rows } = await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) select id, $2, $3, tstzrange(starts_at, ends_at) from shifts where id = $1 returning id`,
      [shiftId, volunteerId, status],
    );
    await db.query(`update shifts set filled = filled + 1 where id = $1`, [shiftId]);
    return rows[0].id;
  }

  async function signedIn(session: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await newContext(browser, options);
    await context.addCookies([{ name: 'ks_session', value: session, url: base }]);
    return context;
  }

  const csrfOf = (page: Page) => page.locator('input[name="_csrf"]').first().inputValue();
  const section = (page: Page, heading: string) =>
    page.locator('section', { has: page.getByRole('heading', { name: heading }) });

  it(
    'volunteer home: offers, bookings with calendar file and cancel (asked first), history; coordinator fill and attendance',
    async () => {
      const axe = new AxeLog();
      const amira = await volunteer('amira@example.org', 'Amira');
      const other = await volunteer('ben@example.org', 'Ben');
      const org = await organisation('activity');
      const stranger = await organisation('elsewhere');
      const soupRun = await shift(org, 'Soup run', 3);
      const dogWalk = await shift(org, 'Dog walking', 5);
      const breakfast = await shift(org, 'Breakfast club', 1, 30);
      const booking = await book(soupRun, amira.accountId);
      const attended = await book(breakfast, amira.accountId, 'attended');
      const dogOffer = (
        await db.query(
          `insert into offers (shift_id, volunteer_id, explanation, expires_at) values ($1, $2, 'under 1 km away · has cooking', now() + interval '1 day') returning id`,
          [dogWalk, amira.accountId],
        )
      ).rows[0].id;

      const context = await signedIn(amira.session);
      const page = await context.newPage();
      await page.goto(`${base}/me`);
      expect(await section(page, 'Offers waiting for your answer').textContent()).toMatch(
        /Dog walking[\s\S]*Why you: under 1 km away · has cooking[\s\S]*Answer here or from the offer email/,
      );
      const upcoming = section(page, 'Your upcoming shifts');
      expect(await upcoming.textContent()).toMatch(/Soup run[\s\S]*17:00–20:00 \(Europe\/London\)[\s\S]*Booked/);
      expect(await section(page, 'Your history').textContent()).toMatch(/Breakfast club[\s\S]*Attended — thank you!/);
      await axe.check(page, 'volunteer-home-activity');
      await screenshots(page, 'volunteer-home-activity');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      // The calendar file: the volunteer's own live booking only.
      const ics = await context.request.get(`${base}/me/bookings/${booking}/calendar.ics`);
      expect(ics.status()).toBe(200);
      expect(ics.headers()['content-type']).toMatch(/^text\/calendar/);
      expect(ics.headers()['content-disposition']).toBe('attachment; filename="soup-run.ics"');
      expect(await ics.text()).toContain(`UID:booking-${booking}@localhost`);
      const otherContext = await signedIn(other.session);
      expect(
        (await otherContext.request.get(`${base}/me/bookings/${booking}/calendar.ics`, { headers: HTML })).status(),
      ).toBe(404);
      expect((await h.request('GET', `/me/bookings/${booking}/calendar.ics`, { token: org.session })).status).toBe(403);
      expect((await h.request('GET', `/me/bookings/${booking}/calendar.ics`)).status).toBe(401);

      // Cancelling: a form post without the page's token is refused; another volunteer cannot cancel it.
      expect(
        (
          await context.request.post(`${base}/me/bookings/${booking}/cancel`, {
            form: {},
            headers: HTML,
            maxRedirects: 0,
          })
        ).status(),
      ).toBe(403);
      const otherPage = await otherContext.newPage();
      await otherPage.goto(`${base}/me`);
      const otherToken = await csrfOf(otherPage);
      expect(
        (
          await otherContext.request.post(`${base}/me/bookings/${booking}/cancel`, {
            form: { _csrf: otherToken },
            headers: HTML,
            maxRedirects: 0,
          })
        ).status(),
      ).toBe(404);
      expect((await db.query(`select status from bookings where id = $1`, [booking])).rows[0].status).toBe('confirmed');

      await upcoming.getByRole('link', { name: 'Cancel booking…' }).click();
      await page.getByRole('heading', { name: 'Cancel your place?' }).waitFor();
      expect((await db.query(`select status from bookings where id = $1`, [booking])).rows[0].status).toBe('confirmed'); // opening it changed nothing
      await axe.check(page, 'booking-cancel');
      await screenshots(page, 'booking-cancel');
      await page.getByRole('button', { name: 'Cancel my booking' }).click();
      await page.waitForURL(`${base}/me/bookings/${booking}/cancelled`);
      await page.getByRole('heading', { name: 'Your booking is cancelled' }).waitFor();
      await axe.check(page, 'booking-cancelled');
      const after = await db.query(
        `select b.status, s.filled from bookings b join shifts s on s.id = b.shift_id where b.id = $1`,
        [booking],
      );
      expect(after.rows[0]).toEqual({ status: 'cancelled', filled: 0 });
      await page.getByRole('link', { name: 'Back to my shifts' }).click();
      await page.waitForURL(`${base}/me`);
      expect(await upcoming.textContent()).toContain('Nothing booked yet');
      expect(await section(page, 'Your history').textContent()).toMatch(/Soup run[\s\S]*Cancelled/);
      expect(
        (await context.request.get(`${base}/me/bookings/${booking}/calendar.ics`, { headers: HTML })).status(),
      ).toBe(404);
      await page.goto(`${base}/me/bookings/${booking}/cancel`);
      await page.getByRole('heading', { name: 'This booking can’t be cancelled here' }).waitFor();
      await axe.check(page, 'booking-not-cancellable');

      // ---- the coordinator: fill states, and attendance only once a shift has started ------------
      await book(soupRun, other.accountId);
      const coordinator = await signedIn(org.session);
      const orgPage = await coordinator.newPage();
      await orgPage.goto(`${base}/org`);
      const cards = orgPage.locator('main .card');
      expect(await cards.filter({ hasText: 'Soup run' }).textContent()).toContain('1 of 2 booked · 0 offered');
      expect(await cards.filter({ hasText: 'Dog walking' }).textContent()).toContain('0 of 2 booked · 1 offered');
      await orgPage.getByRole('link', { name: 'Soup run' }).click();
      const roster = section(orgPage, 'Offers and bookings');
      expect(await roster.textContent()).toMatch(/Amira[\s\S]*cancelled by the volunteer/);
      expect(await roster.textContent()).toMatch(
        /Ben[\s\S]*confirmed · attendance can be marked once the shift starts/,
      );
      expect(await roster.getByRole('button').count()).toBe(0);
      const benBooking = (await db.query(`select id from bookings where volunteer_id = $1`, [other.accountId])).rows[0]
        .id;
      const early = await coordinator.request.post(`${base}/org/shifts/${soupRun}/bookings/${benBooking}/attendance`, {
        form: { _csrf: await csrfOf(orgPage), status: 'attended' },
        headers: HTML,
        maxRedirects: 0,
      });
      expect(early.status()).toBe(409);
      expect(await early.text()).toContain('once the shift has started');

      await orgPage.goto(`${base}/org/shifts/${breakfast}`);
      expect(await roster.textContent()).toMatch(/Amira[\s\S]*Booking: attended/);
      await axe.check(orgPage, 'roster-past');
      // Without the page's token, or from another organisation, nothing changes.
      expect(
        (
          await coordinator.request.post(`${base}/org/shifts/${breakfast}/bookings/${attended}/attendance`, {
            form: { status: 'no_show' },
            headers: HTML,
            maxRedirects: 0,
          })
        ).status(),
      ).toBe(403);
      const strangerContext = await signedIn(stranger.session);
      const strangerPage = await strangerContext.newPage();
      await strangerPage.goto(`${base}/org`);
      const foreign = await strangerContext.request.post(
        `${base}/org/shifts/${breakfast}/bookings/${attended}/attendance`,
        { form: { _csrf: await csrfOf(strangerPage), status: 'no_show' }, headers: HTML, maxRedirects: 0 },
      );
      expect(foreign.status()).toBe(404);
      expect((await db.query(`select status from bookings where id = $1`, [attended])).rows[0].status).toBe('attended');
      await roster.getByRole('button', { name: /^Mark no-show\W+Amira$/ }).click();
      await orgPage.waitForURL(`${base}/org/shifts/${breakfast}#roster-heading`);
      expect(await roster.textContent()).toContain('did not come (no-show)');
      expect((await db.query(`select status from bookings where id = $1`, [attended])).rows[0].status).toBe('no_show');

      // ---- the volunteer answers an offer from their own page --------------------------------------
      await page.goto(`${base}/me`);
      const offers = section(page, 'Offers waiting for your answer');
      const answer = `${base}/me/offers/${dogOffer}/answer`;
      expect(
        (await context.request.post(answer, { form: { action: 'accept' }, headers: HTML, maxRedirects: 0 })).status(),
      ).toBe(403); // no page token
      expect(
        (
          await otherContext.request.post(answer, {
            form: { _csrf: otherToken, action: 'accept' },
            headers: HTML,
            maxRedirects: 0,
          })
        ).status(),
      ).toBe(404); // not Ben's
      expect((await db.query(`select status from offers where id = $1`, [dogOffer])).rows[0].status).toBe('pending');
      await offers.getByRole('button', { name: /^Yes, I’ll come\W+Dog walking$/ }).click();
      await page.getByRole('heading', { name: 'You’re booked — thank you!' }).waitFor();
      expect(await page.locator('main dl.facts').textContent()).toMatch(
        /Dog walking[\s\S]*Kitchen activity — Hall, 1 Mill Street[\s\S]*17:00–20:00 \(Europe\/London\)/,
      );
      await axe.check(page, 'offer-answered-from-home');
      const dogBooking = await db.query(
        `select b.status, s.filled from bookings b join shifts s on s.id = b.shift_id where b.offer_id = $1`,
        [dogOffer],
      );
      expect(dogBooking.rows).toEqual([{ status: 'confirmed', filled: 1 }]);

      for (const c of [context, otherContext, coordinator, strangerContext]) await c.close();
      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'wellbeing page: volunteers only, consent needs the page’s token, a low answer shows help, answers and trend (JavaScript off too)',
    async () => {
      const axe = new AxeLog();
      const cleo = await volunteer('cleo@example.org', 'Cleo');
      const org = await organisation('wellbeing');
      const key = (
        await h.request('POST', `/api/organisations/${org.organisationId}/api-keys`, {
          token: org.session,
          body: { name: 'rota' },
        })
      ).body.key;

      // Nobody but the volunteer reaches the page.
      expect((await h.request('GET', '/me/wellbeing', { headers: HTML })).status).toBe(401);
      for (const token of [org.session, key, ADMIN_TOKEN])
        expect((await h.request('GET', '/me/wellbeing', { token, headers: HTML })).status).toBe(403);
      const coordinator = await signedIn(org.session);
      expect((await (await coordinator.newPage()).goto(`${base}/me/wellbeing`))?.status()).toBe(403);
      await coordinator.close();

      // A low after-shift mood, answered from the emailed link.
      const past = await shift(org, 'Evening meal', 1, 5);
      const booking = await book(past, cleo.accountId, 'attended');
      const { rows } = await db.query(
        `insert into check_ins (volunteer_id, booking_id, kind, status, due_at, sent_at) values ($1, $2, 'mood', 'sent', now(), now()) returning id`,
        [cleo.accountId, booking],
      );
      const token = await identity.issueLinkToken(cleo.accountId, 'check_in', 3600, rows[0].id);
      const context = await signedIn(cleo.session);
      const page = await context.newPage();
      await page.goto(`${base}/links/check-in?token=${encodeURIComponent(token)}`);
      await page.getByRole('heading', { name: 'After Evening meal' }).waitFor();
      await axe.check(page, 'check-in-mood');
      await page.getByRole('radio', { name: 'Very low' }).check();
      await page.getByRole('button', { name: 'Save my answer' }).click();
      await page.getByRole('heading', { name: 'Thank you for checking in' }).waitFor();
      const result = await page.textContent('main');
      expect(result).toContain('talking to your doctor');
      expect(result).toContain('Samaritans');
      expect(result).toContain('Kindshift is not a medical service');
      await axe.check(page, 'check-in-low');
      await screenshots(page, 'check-in-low');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      await page.goto(`${base}/me/wellbeing`);
      expect(await page.getByRole('link', { name: 'Wellbeing', exact: true }).getAttribute('aria-current')).toBe(
        'page',
      );
      expect(await page.locator('.answers').textContent()).toContain('Very low (1 of 5)');
      const chart = page.getByRole('img', { name: 'How you have been, and how often you volunteered' });
      expect(await chart.locator('circle.mood').count()).toBe(1);
      expect(await page.textContent('main')).toContain('Kindshift is not a medical service');
      await axe.check(page, 'wellbeing-low');

      // Consent needs the page's own token; without it nothing changes.
      expect(
        (
          await context.request.post(`${base}/me/wellbeing`, {
            form: { checkIns: 'yes' },
            headers: HTML,
            maxRedirects: 0,
          })
        ).status(),
      ).toBe(403);
      expect((await h.request('GET', '/api/me/check-ins/consent', { token: cleo.session })).body).toEqual({
        checkIns: false,
        suggestions: false,
      });
      await context.close();

      // With JavaScript off: switch both on, then check-ins off again.
      const noJs = await signedIn(cleo.session, { javaScriptEnabled: false });
      const plain = await noJs.newPage();
      await plain.goto(`${base}/me/wellbeing`);
      await plain.getByRole('switch', { name: 'Send me check-ins after my shifts' }).check();
      await plain.getByRole('switch', { name: /regular shifts/ }).check();
      await plain.getByRole('button', { name: 'Save my choices' }).click();
      await plain.waitForURL(`${base}/me/wellbeing?saved=1`);
      expect((await h.request('GET', '/api/me/check-ins/consent', { token: cleo.session })).body).toEqual({
        checkIns: true,
        suggestions: true,
      });
      await plain.getByRole('switch', { name: 'Send me check-ins after my shifts' }).uncheck();
      await plain.getByRole('button', { name: 'Save my choices' }).click();
      await plain.waitForURL(`${base}/me/wellbeing?saved=1`);
      expect(await plain.locator('[role="status"]').textContent()).toContain('Check-ins are off');
      expect((await h.request('GET', '/api/me/check-ins/consent', { token: cleo.session })).body).toEqual({
        checkIns: false,
        suggestions: true,
      });
      await noJs.close();
      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
