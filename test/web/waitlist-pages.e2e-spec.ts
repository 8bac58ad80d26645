import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import type { Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { organisationWithSession, sessionOf, startPageWorld, type PageWorld } from './page-world.js';
import { AxeLog, horizontalOverflow, newContext, screenshots } from './browser.js';

/**
 * The waitlist pages in a real Chromium, without a worker: a volunteer joins a full shift's
 * waitlist from its page, sees their place on /me, and leaves in one click; the coordinator's roster
 * lists the line in order.
 */
describe('waitlist pages in a real browser', () => {
  let world: PageWorld;
  let h: Harness;
  let base: string;
  let browser: Browser;
  let db: pg.Client;

  beforeAll(async () => {
    world = await startPageWorld('web_waitlist');
    ({ h, base, browser, db } = world);
  }, 60_000);

  afterAll(() => world?.close());

  it('joins, shows the place in line on /me and on the roster, and leaves', async () => {
    const identity = h.api.get(IdentityService);
    const org = await organisationWithSession(h, 'wl', 'Kitchen waitlist');
    const coordinator = org.session;
    const start = DateTime.now()
      .setZone('Europe/London')
      .plus({ weeks: 1 })
      .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
    const shift = await h.request('POST', `/api/organisations/${org.id}/shifts`, {
      token: coordinator,
      body: { title: 'Full supper', startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity: 1 },
    });
    const people: string[] = [];
    for (const name of ['Booked', 'Rosa']) {
      const email = `${name.toLowerCase()}@wl.example.org`;
      await h.request('POST', '/api/volunteers', {
        body: {
          email,
          name,
          timeZone: 'Europe/London',
          home: MANCHESTER,
          travelKm: 10,
          skills: [],
          availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
        },
      });
      people.push((await identity.findAccountByEmail(email))!.id);
    }
    await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) select id, $2, 'confirmed', period from shifts where id = $1`,
      [shift.body.id, people[0]],
    );
    await db.query(`update shifts set filled = 1, status = 'full' where id = $1`, [shift.body.id]);

    const axe = new AxeLog();
    const context = await newContext(browser);
    await context.addCookies([{ name: 'ks_session', value: await sessionOf(h, people[1], 'verify_email'), url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/me/shifts/${shift.body.id}/waitlist`);
    await page.getByRole('heading', { name: 'Waitlist: Full supper' }).waitFor();
    await axe.check(page, 'waitlist-join');
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    await page.getByText('You are on the waitlist.').waitFor();
    expect(await page.textContent('main')).toContain('You are number 1 in line.');
    await axe.check(page, 'waitlist-joined');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshots(page, 'waitlist');

    await page.goto(`${base}/me`);
    const mine = page.locator('section', { has: page.getByRole('heading', { name: 'Your waitlists' }) });
    expect(await mine.textContent()).toMatch(/Full supper[\s\S]*Number 1 on the waitlist/);
    await axe.check(page, 'home-waitlists');

    const coordinatorContext = await newContext(browser);
    await coordinatorContext.addCookies([{ name: 'ks_session', value: coordinator, url: base }]);
    const roster = await coordinatorContext.newPage();
    await roster.goto(`${base}/org/shifts/${shift.body.id}`);
    expect(
      await roster
        .locator('section', { has: roster.getByRole('heading', { name: 'Offers and bookings' }) })
        .textContent(),
    ).toMatch(/Rosa[\s\S]*Waitlist: number 1 in line/);

    await mine.getByRole('button', { name: /^Leave the waitlist/ }).click();
    await page.getByText('You have left the waitlist.').waitFor();
    expect(await page.getByRole('button', { name: 'Join the waitlist' }).count()).toBe(1);
    expect((await db.query(`select count(*)::int as n from waitlist_entries`)).rows[0].n).toBe(0);
    expect(axe.problems).toEqual([]);
    axe.report();
    await context.close();
    await coordinatorContext.close();
  }, 90_000);
});
