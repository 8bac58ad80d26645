import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import type { Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { organisationWithSession, startPageWorld, type PageWorld } from './page-world.js';
import { AxeLog, horizontalOverflow, newContext, screenshots } from './browser.js';

/**
 * The coordinator's "Message everyone booked" page in a real Chromium, without a worker (the
 * message is stored with its outbox row; the e2e test follows the emails): from the shift page to
 * the form, a bad message kept with its error, a good one listed with its recipients.
 */
describe('roster message page in a real browser', () => {
  let world: PageWorld;
  let h: Harness;
  let base: string;
  let browser: Browser;
  let db: pg.Client;

  beforeAll(async () => {
    world = await startPageWorld('web_roster_messages');
    ({ h, base, browser, db } = world);
  }, 60_000);

  afterAll(() => world?.close());

  it('writes to the booked volunteers from the shift page; errors keep what was typed', async () => {
    const identity = h.api.get(IdentityService);
    const org = await organisationWithSession(h, 'messages', 'Kitchen messages');
    const session = org.session;
    const start = DateTime.now().setZone('Europe/London').plus({ days: 3 }).set({ hour: 17, minute: 0, second: 0 });
    const shift = await h.request('POST', `/api/organisations/${org.id}/shifts`, {
      token: session,
      body: { title: 'Soup run', startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity: 3 },
    });
    expect(shift.status).toBe(201);
    const volunteer = await h.request('POST', '/api/volunteers', {
      body: {
        email: 'pat@messages.example.org',
        name: 'Pat',
        timeZone: 'Europe/London',
        home: MANCHESTER,
        travelKm: 10,
        skills: [],
        availability: [],
      },
    });
    expect(volunteer.status).toBe(202);
    const account = await identity.findAccountByEmail('pat@messages.example.org');
    await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) select id, $2, 'confirmed', tstzrange(starts_at, ends_at) from shifts where id = $1`,
      [shift.body.id, account!.id],
    );
    await db.query(`update shifts set filled = 1, status = 'open' where id = $1`, [shift.body.id]);

    const axe = new AxeLog();
    const context = await newContext(browser);
    await context.addCookies([{ name: 'ks_session', value: session, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/org/shifts/${shift.body.id}`);
    await page.getByRole('link', { name: 'Message everyone booked' }).click();
    await page.getByRole('heading', { name: 'Message the volunteers of “Soup run”' }).waitFor();
    expect(await page.textContent('main')).toContain('1 volunteer booked');
    expect(await page.textContent('main')).toContain('No messages yet.');
    await axe.check(page, 'roster-messages-empty');

    // A subject left blank: the page comes back with the error and the message as typed.
    await page.getByLabel('Message').fill('Please bring gloves.');
    await page.getByRole('button', { name: 'Send to everyone booked' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.getByLabel('Message').inputValue()).toBe('Please bring gloves.');
    expect(await page.getByLabel('Subject').getAttribute('aria-invalid')).toBe('true');
    await axe.check(page, 'roster-messages-error');
    expect((await db.query(`select count(*)::int as n from roster_messages`)).rows[0].n).toBe(0);

    await page.getByLabel('Subject').fill('Gloves on Saturday');
    await page.getByRole('button', { name: 'Send to everyone booked' }).click();
    await page.getByText('Your message is on its way to everyone booked.').waitFor();
    const sent = page.locator('section', { has: page.getByRole('heading', { name: 'Sent so far' }) });
    expect(await sent.textContent()).toMatch(
      /Gloves on Saturday[\s\S]*Jo · emailed to 0 of 1[\s\S]*Please bring gloves\./,
    );
    const { rows } = await db.query(
      `select m.subject, o.job_name from roster_messages m join outbox o on o.payload->>'messageId' = m.id::text`,
    );
    expect(rows).toEqual([{ subject: 'Gloves on Saturday', job_name: 'email.roster-message' }]);
    await axe.check(page, 'roster-messages-sent');
    await screenshots(page, 'roster-messages');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(axe.problems).toEqual([]);
    axe.report();
    await context.close();
  }, 90_000);
});
