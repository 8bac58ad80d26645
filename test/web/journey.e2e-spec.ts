import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { WellbeingService } from '../../libs/wellbeing/wellbeing.service.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { linkFrom } from '../support/smtp-sink.js';
import { AxeLog, horizontalOverflow, launchBrowser, listen, newContext, onServer, screenshots } from './browser.js';

/** Generous: on a busy 2-core machine the outbox → queue → worker → SMTP path can take a while. */
const MAIL_TIMEOUT_MS = 30_000;
const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * One person's way through the pages in a real Chromium: sign up, confirm from the email in the SMTP
 * sink, set availability; a coordinator signs in from their emailed link, posts a shift and finds the
 * volunteer among its matches; the offer email arrives, the volunteer books from its page and adds the
 * shift to a calendar; after the shift the coordinator marks attendance; the volunteer, opted in to
 * check-ins, answers the emailed check-in and sees it on their wellbeing page.
 */
describe('web journey in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // Check-ins go out as soon as a shift is over (no delay), so the journey needs no waiting.
    [h, browser] = await Promise.all([
      startHarness('web_journey', { env: { CHECK_IN_DELAY_HOURS: '0' } }),
      launchBrowser(),
    ]);
    base = await listen(h);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('sign up → confirm → availability → shift posted → offer email → booked → attended → check-in → wellbeing page', async () => {
    const axe = new AxeLog();
    const shiftDay = DateTime.now().setZone('Europe/London').plus({ days: 4 });
    const email = 'priya@example.org';

    // ---- the volunteer signs up on the page --------------------------------------------------
    const volunteer = await newContext(browser);
    const page = await volunteer.newPage();
    await page.goto(`${base}/`);
    await axe.check(page, 'landing');
    await screenshots(page, 'landing');
    await page.getByRole('link', { name: 'Volunteer with us' }).first().click();
    await page.waitForURL(`${base}/sign-up`);
    await axe.check(page, 'sign-up');
    await screenshots(page, 'sign-up');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('Europe/London');

    await page.getByLabel('Your first name').fill('Priya');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Your town, city or area').fill('Manchester');
    await page.getByLabel('How far you can travel, in kilometres').fill('10');
    await page.getByRole('checkbox', { name: 'Cooking' }).check();
    await page.getByRole('checkbox', { name: 'Soup kitchens' }).check();
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await page.textContent('main')).toContain('Manchester, England, United Kingdom');
    await axe.check(page, 'sign-up-done');

    // ---- confirms from the email: GET shows a page, the button POSTs -------------------------
    const mail = await h.smtp.waitFor((m) => m.to.includes(email), MAIL_TIMEOUT_MS);
    await page.goto(onServer(base, linkFrom(mail, '/links/verify').url));
    await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    await axe.check(page, 'link-confirm');
    await screenshots(page, 'link-confirm');
    await page.getByRole('button', { name: 'Confirm my email' }).click();
    await page.getByRole('heading', { name: /your email is confirmed/ }).waitFor();
    await axe.check(page, 'link-done');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/me`);
    await page.getByRole('heading', { name: 'Hello, Priya' }).waitFor();
    await axe.check(page, 'volunteer-home-new');
    expect(await page.textContent('main')).toContain('Add the times you are free');

    // ---- sets availability on the profile page (the JS editor adds and removes rows in place) -
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.waitForURL(`${base}/me/profile`);
    await axe.check(page, 'profile');
    await screenshots(page, 'profile');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const rows = page.locator('[data-editor="availability"] [data-row]');
    const initialRows = await rows.count();
    await page.getByRole('button', { name: 'Add another time' }).click();
    expect(await rows.count()).toBe(initialRows + 1);
    await page.getByRole('button', { name: `Remove time ${initialRows + 1}` }).click();
    expect(await rows.count()).toBe(initialRows);
    await page.getByLabel('Day').first().selectOption(String(shiftDay.weekday));
    await page.getByLabel('From').first().fill('08:00');
    await page.getByLabel('Until').first().fill('22:00');
    // No quiet hours: the offer and the check-in go out whatever the time the test runs at.
    await page.locator('#f-quietHours-start').fill('00:00');
    await page.locator('#f-quietHours-end').fill('00:00');
    await page.getByRole('button', { name: 'Save changes', exact: true }).click();
    await page.waitForURL(`${base}/me?saved=1`);
    const home = await page.textContent('main');
    expect(home).toContain('Your profile is saved');
    expect(home).toContain(`${WEEKDAY_NAMES[shiftDay.weekday]} 08:00–22:00`);
    await axe.check(page, 'volunteer-home');

    // ---- a coordinator, created by the operator, signs in from the emailed link ----------------
    const coordinatorEmail = 'alex@ancoats-kitchen.example.org';
    const created = await h.request('POST', '/api/admin/organisations', {
      token: ADMIN_TOKEN,
      body: {
        name: 'Ancoats Community Kitchen',
        kind: 'soup_kitchen',
        timeZone: 'Europe/London',
        address: { label: 'Main hall', street: '12 Blossom Street', ...MANCHESTER },
        coordinator: { email: coordinatorEmail, name: 'Alex' },
      },
    });
    expect(created.status).toBe(201);
    const invite = await h.smtp.waitFor((m) => m.to.includes(coordinatorEmail), MAIL_TIMEOUT_MS);
    const coordinator = await newContext(browser);
    const org = await coordinator.newPage();
    await org.goto(onServer(base, linkFrom(invite, '/links/sign-in').url));
    await axe.check(org, 'link-sign-in');
    await org.getByRole('button', { name: 'Sign in' }).click();
    await org.getByRole('heading', { name: 'You are signed in' }).waitFor();
    await org.getByRole('link', { name: 'Continue' }).click();
    await org.waitForURL(`${base}/org`);
    await org.getByRole('heading', { name: 'Ancoats Community Kitchen' }).waitFor();
    await axe.check(org, 'org-empty');

    // ---- posts a shift: first a mistake, shown next to the field with the input kept ----------
    await org.getByRole('link', { name: 'Post a shift' }).first().click();
    await org.waitForURL(`${base}/org/shifts/new`);
    await org.getByLabel('Date').fill(shiftDay.toISODate()!);
    await org.getByLabel('Starts at').fill('17:00');
    await org.getByLabel('Ends at').fill('20:00');
    await org.getByLabel('Volunteers needed').fill('2');
    await org.locator('#f-requiredSkills-cooking').check();
    await org.getByLabel(/Open it for offers now/).uncheck();
    await axe.check(org, 'shift-new');
    await screenshots(org, 'shift-new');
    await org.getByRole('button', { name: 'Post the shift' }).click();
    await org.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await org.locator('#f-title-error').textContent()).toContain('Enter a title');
    expect(await org.getByLabel('Date').inputValue()).toBe(shiftDay.toISODate());
    expect(await org.locator('#f-requiredSkills-cooking').isChecked()).toBe(true);
    await axe.check(org, 'shift-new-errors');
    await screenshots(org, 'shift-new-errors');
    expect(await horizontalOverflow(org)).toBeLessThanOrEqual(0);

    await org.getByLabel('Title').fill('Evening meal service');
    await org.getByRole('button', { name: 'Post the shift' }).click();
    await org.waitForURL(/\/org\/shifts\/[0-9a-f-]{36}\?done=created$/);
    const shiftPage = await org.textContent('main');
    expect(shiftPage).toContain('17:00–20:00 (Europe/London)');
    expect(shiftPage).toContain('Draft');
    const matches = org.locator('section', { has: org.getByRole('heading', { name: 'Matching volunteers' }) });
    expect(await matches.textContent()).toContain('Priya');
    expect(await matches.textContent()).toMatch(/has cooking/);
    expect(await matches.textContent()).toMatch(/volunteers? lives? close enough/);
    await axe.check(org, 'shift-detail');
    await screenshots(org, 'shift-detail');
    expect(await horizontalOverflow(org)).toBeLessThanOrEqual(0);

    await org.getByRole('button', { name: 'Publish: open for offers' }).click();
    await org.waitForURL(/\?done=published$/);
    expect(await org.textContent('main')).toContain('The shift is open');
    await org.getByRole('link', { name: 'Shifts', exact: true }).click();
    await org.waitForURL(`${base}/org`);
    const overview = await org.textContent('main');
    expect(overview).toContain('Evening meal service');
    expect(overview).toContain('0 of 2 booked');
    await axe.check(org, 'org-overview');
    await screenshots(org, 'org-overview');
    expect(await horizontalOverflow(org)).toBeLessThanOrEqual(0);

    // ---- the offer email arrives; its link opens a page, the button books ----------------------
    const offerMail = await h.smtp.waitFor(
      (m) => m.to.includes(email) && m.text.includes('/links/offer?token='),
      MAIL_TIMEOUT_MS,
    );
    await page.goto(onServer(base, linkFrom(offerMail, '/links/offer').url));
    await page.getByRole('heading', { name: 'Evening meal service' }).waitFor();
    expect(await page.textContent('main')).toContain('17:00–20:00 (Europe/London)');
    await axe.check(page, 'offer-confirm');
    await screenshots(page, 'offer-confirm');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Yes, book me' }).click();
    await page.getByRole('heading', { name: /You’re booked/ }).waitFor();
    await axe.check(page, 'offer-booked');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/me`);

    // ---- the booking is on the volunteer's home, with a calendar file like the email's --------
    const upcoming = page.locator('section', { has: page.getByRole('heading', { name: 'Your upcoming shifts' }) });
    expect(await upcoming.textContent()).toContain('Evening meal service');
    expect(await upcoming.textContent()).toContain('Booked');
    await axe.check(page, 'volunteer-home-booked');
    await screenshots(page, 'volunteer-home');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      upcoming.getByRole('link', { name: 'Add to calendar' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('evening-meal-service.ics');
    const ics = await readFile((await download.path())!, 'utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('METHOD:REQUEST\r\n');
    expect(ics).toContain('SUMMARY:Evening meal service — Ancoats Community Kitchen');
    const uid = /\r\nUID:(booking-[0-9a-f-]{36}@localhost)\r\n/.exec(ics)?.[1];
    expect(uid).toBeDefined();
    const confirmation = await h.smtp.waitFor(
      (m) => m.to.includes(email) && /booked|confirmed/i.test(m.subject),
      MAIL_TIMEOUT_MS,
    );
    const emailed =
      confirmation.parsed.attachments
        .find((a) => a.contentType.startsWith('text/calendar'))
        ?.content.toString('utf8') ?? '';
    expect(emailed).toContain(`UID:${uid}`);
    expect(/SEQUENCE:(\d+)/.exec(emailed)?.[1]).toBe(/SEQUENCE:(\d+)/.exec(ics)?.[1]);
    // Cancelling asks first; opening that page changes nothing.
    await upcoming.getByRole('link', { name: 'Cancel booking…' }).click();
    await page.getByRole('heading', { name: 'Cancel your place?' }).waitFor();
    await axe.check(page, 'booking-cancel-confirm');
    await page.getByRole('link', { name: 'Keep my place' }).click();
    await page.waitForURL(`${base}/me`);

    // ---- the coordinator sees the fill state and the roster; attendance waits for the start ---
    await org.reload();
    expect(await org.textContent('main')).toContain('1 of 2 booked');
    await org.getByRole('link', { name: 'Evening meal service' }).click();
    await org.waitForURL(/\/org\/shifts\/[0-9a-f-]{36}$/);
    const shiftId = /\/org\/shifts\/([0-9a-f-]{36})$/.exec(org.url())![1];
    const roster = org.locator('section', { has: org.getByRole('heading', { name: 'Offers and bookings' }) });
    expect(await roster.textContent()).toContain('attendance can be marked once the shift starts');
    expect(await roster.getByRole('button', { name: /Mark attended/ }).count()).toBe(0);

    // ---- the shift happens (moved into the past) and the coordinator marks attendance ---------
    const db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `update shifts set starts_at = now() - interval '4 hours', ends_at = now() - interval '1 hour' where id = $1`,
        [shiftId],
      );
    } finally {
      await db.end();
    }
    await org.reload();
    await roster.getByRole('button', { name: /^Mark attended\W+Priya$/ }).click();
    await org.waitForURL(`${base}/org/shifts/${shiftId}#roster-heading`);
    expect(await roster.textContent()).toContain('Booking: attended');
    expect(await roster.getByRole('button', { name: /^Mark no-show\W+Priya$/ }).count()).toBe(1); // a mistake can be corrected
    await axe.check(org, 'shift-roster');
    await screenshots(org, 'shift-roster');
    expect(await horizontalOverflow(org)).toBeLessThanOrEqual(0);

    // ---- the volunteer opts in to check-ins on their wellbeing page ---------------------------
    await page.reload();
    expect(
      await page.locator('section', { has: page.getByRole('heading', { name: 'Your history' }) }).textContent(),
    ).toContain('Attended');
    await page.getByRole('link', { name: 'Wellbeing', exact: true }).click();
    await page.waitForURL(`${base}/me/wellbeing`);
    expect(await page.textContent('main')).toContain('Kindshift is not a medical service');
    const checkInsSwitch = page.getByRole('switch', { name: 'Send me check-ins after my shifts' });
    expect(await checkInsSwitch.isChecked()).toBe(false); // off until the volunteer says yes
    await axe.check(page, 'wellbeing-consent');
    await checkInsSwitch.check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await page.waitForURL(`${base}/me/wellbeing?saved=1`);
    expect(await page.getByRole('switch', { name: 'Send me check-ins after my shifts' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: /regular shifts/ }).isChecked()).toBe(false);

    // ---- the worker schedules the check-in; its email opens the form in the browser -----------
    expect(await h.worker!.get(WellbeingService).scheduleDue()).toBe(1);
    const checkInMail = await h.smtp.waitFor(
      (m) => m.to.includes(email) && m.text.includes('/links/check-in?token='),
      MAIL_TIMEOUT_MS,
    );
    await page.goto(onServer(base, linkFrom(checkInMail, '/links/check-in').url));
    await page.getByRole('heading', { name: 'After Evening meal service' }).waitFor();
    await axe.check(page, 'check-in-form');
    await screenshots(page, 'check-in-form');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    for (const [item, score] of [
      [1, 4],
      [2, 3],
      [3, 4],
      [4, 3],
      [5, 4],
    ])
      await page.locator(`input[name="who5_${item}"][value="${score}"]`).check();
    await page.getByLabel(/A private note/).fill('Felt useful today');
    await page.getByRole('button', { name: 'Save my answer' }).click();
    await page.getByRole('heading', { name: 'Thank you for checking in' }).waitFor();
    expect(await page.textContent('main')).toContain('72 out of 100');
    await axe.check(page, 'check-in-done');
    await screenshots(page, 'check-in-done');

    // ---- the answer and the trend on the wellbeing page ----------------------------------------
    await page.getByRole('link', { name: 'See how you’ve been doing' }).click();
    await page.waitForURL(`${base}/me/wellbeing`);
    const answers = page.locator('.answers');
    expect(await answers.textContent()).toContain('72% (18 of 25)');
    expect(await answers.textContent()).toContain('Felt useful today');
    const chart = page.getByRole('img', { name: 'How you have been, and how often you volunteered' });
    expect(await chart.locator('circle.who5').count()).toBe(1);
    expect(await chart.locator('rect.shifts').count()).toBe(1);
    expect(await page.locator('#help-heading ~ ul.resources').textContent()).toContain('116 123'); // the volunteer lives in the UK
    await axe.check(page, 'wellbeing');
    await screenshots(page, 'wellbeing');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await volunteer.close();
    await coordinator.close();
    axe.report();
    expect(axe.problems).toEqual([]);
    expect(axe.checked.length).toBeGreaterThanOrEqual(22);
  }, 180_000);
});
