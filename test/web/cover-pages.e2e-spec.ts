import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { AxeLog, horizontalOverflow, launchBrowser, listen, newContext, screenshots } from './browser.js';

/**
 * "Find someone to cover me" in a real Chromium, without a worker (nothing is sent, so every state
 * is stable): from /me to the confirmation page, asking, the page and /me saying the place is still
 * theirs, the coordinator's roster showing the search, stopping it in one click, and the roster
 * showing the swap once someone takes the place over.
 */
describe('cover pages in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let db: pg.Client;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_cover', { worker: false }), launchBrowser()]);
    base = await listen(h);
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await h?.close();
  });

  it('asks for cover from /me, shows the place is still theirs, and stops looking', async () => {
    const identity = h.api.get(IdentityService);
    const session = async (accountId: string, purpose: 'sign_in' | 'verify_email') =>
      (await identity.completeLink(await identity.issueLinkToken(accountId, purpose, 600), purpose)).token;
    const org = await h.request('POST', '/api/admin/organisations', {
      token: ADMIN_TOKEN,
      body: {
        name: 'Kitchen cover',
        kind: 'soup_kitchen',
        timeZone: 'Europe/London',
        address: { label: 'Hall', street: '1 Mill Street', ...MANCHESTER },
        coordinator: { email: 'coordinator@cover.example.org', name: 'Jo' },
      },
    });
    const coordinator = await session(org.body.coordinatorAccountId, 'sign_in');
    const start = DateTime.now()
      .setZone('Europe/London')
      .plus({ weeks: 1 })
      .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
    const shift = await h.request('POST', `/api/organisations/${org.body.id}/shifts`, {
      token: coordinator,
      body: { title: 'Cover supper', startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity: 1 },
    });
    const email = 'ada@cover.example.org';
    await h.request('POST', '/api/volunteers', {
      body: {
        email,
        name: 'Ada Lovelace',
        timeZone: 'Europe/London',
        home: MANCHESTER,
        travelKm: 10,
        skills: [],
        availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
      },
    });
    const ada = (await identity.findAccountByEmail(email))!.id;
    const { rows } = await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) select id, $2, 'confirmed', period from shifts where id = $1 returning id`,
      [shift.body.id, ada],
    );
    const bookingId = rows[0].id;
    await db.query(`update shifts set filled = 1, status = 'full' where id = $1`, [shift.body.id]);

    const axe = new AxeLog();
    const context = await newContext(browser);
    await context.addCookies([{ name: 'ks_session', value: await session(ada, 'verify_email'), url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/me`);
    await page.getByRole('link', { name: 'Find someone to cover me…' }).click();
    await page.getByRole('heading', { name: 'Find someone to cover you?' }).waitFor();
    expect(await page.textContent('main')).toContain('The place stays yours until someone says yes');
    await axe.check(page, 'cover-confirm');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshots(page, 'cover-confirm');

    await page.getByRole('button', { name: 'Find someone to cover me' }).click();
    await page.getByRole('heading', { name: 'We’re looking for someone to cover you' }).waitFor();
    expect(await page.textContent('main')).toContain('until then the place is yours');
    await axe.check(page, 'cover-open');
    await screenshots(page, 'cover-open');
    const request = await db.query(`select status from cover_requests where booking_id = $1`, [bookingId]);
    expect(request.rows).toEqual([{ status: 'open' }]);
    expect((await db.query(`select status from bookings where id = $1`, [bookingId])).rows[0].status).toBe('confirmed');

    await page.goto(`${base}/me`);
    expect(await page.textContent('main')).toContain(
      'We’re looking for someone to cover you; until then the place is yours.',
    );
    await axe.check(page, 'home-cover');

    const coordinatorContext = await newContext(browser);
    await coordinatorContext.addCookies([{ name: 'ks_session', value: coordinator, url: base }]);
    const roster = await coordinatorContext.newPage();
    await roster.goto(`${base}/org/shifts/${shift.body.id}`);
    expect(
      await roster
        .locator('section', { has: roster.getByRole('heading', { name: 'Offers and bookings' }) })
        .textContent(),
    ).toMatch(/Ada Lovelace[\s\S]*looking for someone to cover them/);
    await axe.check(roster, 'roster-cover');

    await page.getByRole('button', { name: 'Stop looking for cover' }).click();
    await page.waitForURL(`${base}/me`);
    expect(await page.getByRole('link', { name: 'Find someone to cover me…' }).count()).toBe(1);
    expect((await db.query(`select status from cover_requests where booking_id = $1`, [bookingId])).rows).toEqual([
      { status: 'withdrawn' },
    ]);

    // Asked again, and Ben says yes to his cover offer (from his own page's API): the roster shows the swap.
    await page.getByRole('link', { name: 'Find someone to cover me…' }).click();
    await page.getByRole('button', { name: 'Find someone to cover me' }).click();
    await page.getByRole('heading', { name: 'We’re looking for someone to cover you' }).waitFor();
    await h.request('POST', '/api/volunteers', {
      body: {
        email: 'ben@cover.example.org',
        name: 'Ben Kirk',
        timeZone: 'Europe/London',
        home: MANCHESTER,
        travelKm: 10,
        skills: [],
        availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
      },
    });
    const ben = (await identity.findAccountByEmail('ben@cover.example.org'))!.id;
    const offer = await db.query(
      `insert into offers (shift_id, volunteer_id, expires_at, sent_at, cover_request_id)
       select shift_id, $2, now() + interval '2 hours', now(), id from cover_requests where booking_id = $1 and status = 'open' returning id`,
      [bookingId, ben],
    );
    const taken = await h.request('POST', `/api/me/offers/${offer.rows[0].id}/answer`, {
      token: await session(ben, 'verify_email'),
      body: { action: 'accept' },
    });
    expect(taken.body.outcome).toBe('booked');
    await roster.reload();
    const section = roster.locator('section', { has: roster.getByRole('heading', { name: 'Offers and bookings' }) });
    expect(await section.textContent()).toMatch(/Ada Lovelace[\s\S]*→ covered by Ben K\. at/);
    await axe.check(roster, 'roster-swap');
    await page.goto(`${base}/me`);
    expect(await page.getByRole('link', { name: 'Find someone to cover me…' }).count()).toBe(0);

    expect(axe.problems).toEqual([]);
    axe.report();
    await context.close();
    await coordinatorContext.close();
  }, 90_000);
});
