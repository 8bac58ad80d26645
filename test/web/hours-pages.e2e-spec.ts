import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { AxeLog, horizontalOverflow, launchBrowser, listen, newContext, screenshots } from './browser.js';

/**
 * The hours pages in a real Chromium: the volunteer's /me/hours (log hours through the form with
 * JavaScript off and on, errors named at the field), the coordinator's /org/hours (approve, adjust
 * with a reason) and the public verification page of a downloaded statement; axe-clean.
 */
describe('hours pages in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let identity: IdentityService;
  let db: pg.Client;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_hours', { worker: false }), launchBrowser()]);
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

  async function signedIn(token: string, javaScriptEnabled: boolean): Promise<BrowserContext> {
    const context = await newContext(browser, { javaScriptEnabled });
    await context.addCookies([{ name: 'ks_session', value: token, url: base }]);
    return context;
  }

  const section = (page: Page, heading: RegExp | string) =>
    page.locator('section', { has: page.getByRole('heading', { name: heading }) });

  it('a volunteer logs hours (JavaScript off and on), the coordinator approves and adjusts, the statement verifies', async () => {
    const axe = new AxeLog();
    const org = await h.request('POST', '/api/admin/organisations', {
      token: ADMIN_TOKEN,
      body: {
        name: 'Ancoats Pantry',
        kind: 'food_bank',
        timeZone: 'Europe/London',
        address: { label: 'Hall', street: '1 Mill Street', ...MANCHESTER },
        coordinator: { email: 'jo@hourspage.example.org', name: 'Jo' },
      },
    });
    expect(org.status).toBe(201);
    const coordinator = await session(org.body.coordinatorAccountId, 'sign_in');
    expect(
      (
        await h.request('POST', '/api/volunteers', {
          body: {
            email: 'nia@hourspage.example.org',
            name: 'Nia Hours',
            timeZone: 'Europe/London',
            home: MANCHESTER,
            travelKm: 10,
            skills: ['cooking'],
            availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
          },
        })
      ).status,
    ).toBe(202);
    const nia = (await identity.findAccountByEmail('nia@hourspage.example.org'))!.id;
    const niaSession = await session(nia, 'verify_email');
    // An attended shift ten days ago, 10:00–13:00 on the organisation's clock.
    const start = DateTime.now()
      .setZone('Europe/London')
      .minus({ days: 10 })
      .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    const shift = await db.query(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
       select $1, id, 'Pantry sort', $2, $3, lat, lon, 3, 1, 'open' from organisation_addresses where organisation_id = $1 returning id`,
      [org.body.id, start.toISO(), start.plus({ hours: 3 }).toISO()],
    );
    await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) values ($1, $2, 'attended', tstzrange($3, $4))`,
      [shift.rows[0].id, nia, start.toISO(), start.plus({ hours: 3 }).toISO()],
    );

    // With JavaScript off the form is a plain POST with the page's CSRF token.
    const noScript = await signedIn(niaSession, false);
    const plain = await noScript.newPage();
    await plain.goto(`${base}/me/hours`);
    const plainForm = section(plain, 'Log hours done elsewhere');
    await plainForm.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Ancoats Pantry' });
    await plainForm.getByLabel('Date').fill(start.plus({ days: 1 }).toISODate()!);
    await plainForm.getByLabel('Start').fill('09:00');
    await plainForm.getByLabel('End').fill('10:00');
    await plainForm.getByLabel('What you did').fill('Phoned the volunteers for the rota');
    await plainForm.getByRole('button', { name: 'Log these hours' }).click();
    expect(plain.url()).toMatch(/\/me\/hours\?logged=1/);
    expect(await section(plain, 'Your entries').textContent()).toMatch(
      /Phoned the volunteers for the rota[\s\S]*Waiting for the organisation/,
    );
    // The statement form, left as it is (all organisations, up to today), downloads the CSV.
    const [download] = await Promise.all([
      plain.waitForEvent('download'),
      section(plain, 'Download a statement').getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^kindshift-hours-statement-[A-Z0-9]{12}\.csv$/);
    await noScript.close();

    // The volunteer, JavaScript on (axe runs in the page).
    const volunteerContext = await signedIn(niaSession, true);
    const page = await volunteerContext.newPage();
    await page.goto(`${base}/me/hours`);
    expect(await page.getByRole('heading', { level: 2, name: 'In total: 3 hours' }).count()).toBe(1);
    expect(await section(page, 'In total: 3 hours').textContent()).toContain('Ancoats Pantry');
    await axe.check(page, 'me-hours');
    await screenshots(page, 'me-hours');

    const logForm = section(page, 'Log hours done elsewhere');
    const day = start.plus({ days: 2 }).toISODate()!;
    await logForm.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Ancoats Pantry' });
    await logForm.getByLabel('Date').fill(day);
    await logForm.getByLabel('Or minutes').fill('0');
    await logForm.getByLabel('What you did').fill('Collected donations from the supermarket');
    await logForm.getByRole('button', { name: 'Log these hours' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('There is a problem');
    expect(await page.locator('#f-minutes-error').textContent()).toContain('more than 0');
    expect(await page.getByLabel('What you did').inputValue()).toBe('Collected donations from the supermarket');
    await axe.check(page, 'me-hours-error');
    await page.getByLabel('Or minutes').fill('90');
    await page.getByRole('button', { name: 'Log these hours' }).click();
    expect(page.url()).toMatch(/\/me\/hours\?logged=1/);
    expect(await page.getByRole('status').textContent()).toContain('count once the organisation approves');
    expect(await section(page, 'Your entries').textContent()).toMatch(
      /Collected donations from the supermarket[\s\S]*Waiting for the organisation/,
    );

    // The coordinator, JavaScript on: approve, then adjust the shift (a reason is required).
    const coordinatorContext = await signedIn(coordinator, true);
    const org_ = await coordinatorContext.newPage();
    await org_.goto(`${base}/org/hours`);
    const pending = section(org_, 'Logged hours waiting for you');
    expect(await pending.textContent()).toMatch(/Nia Hours · 1\.5 hours[\s\S]*Collected donations/);
    await axe.check(org_, 'org-hours');
    await screenshots(org_, 'org-hours');
    await pending
      .getByRole('listitem')
      .filter({ hasText: 'Collected donations' })
      .getByRole('button', { name: /^Approve/ })
      .click();
    expect(await org_.getByRole('status').textContent()).toContain('approved');
    expect(await section(org_, 'Logged hours waiting for you').textContent()).not.toContain('Collected donations');

    const shifts = section(org_, 'Shift hours');
    await shifts.getByText('Adjust', { exact: false }).first().click();
    await shifts.getByLabel('Minutes to credit').fill('150');
    await shifts.getByRole('button', { name: 'Save the hours' }).click();
    expect(await org_.getByRole('alert').textContent()).toContain('Say why you change the hours');
    expect(await org_.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await axe.check(org_, 'org-hours-error');
    await org_.getByLabel('Reason').fill('Left at half past twelve');
    await org_.getByRole('button', { name: 'Save the hours' }).click();
    expect(await org_.getByRole('status').textContent()).toContain('adjusted');
    expect(await section(org_, 'Shift hours').textContent()).toMatch(/2\.5 hours[\s\S]*Left at half past twelve/);
    expect(await horizontalOverflow(org_)).toBeLessThanOrEqual(0);

    // Back to the volunteer: 2.5 + 1.5 hours; the PDF statement's link opens the same figures.
    await page.goto(`${base}/me/hours`);
    expect(await page.getByRole('heading', { level: 2, name: 'In total: 4 hours' }).count()).toBe(1);
    await screenshots(page, 'me-hours-entries');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0); // readable at 360 px
    const pdf = await volunteerContext.request.get(`${base}/me/hours/statement.pdf`);
    expect(pdf.status()).toBe(200);
    const raw = (await pdf.body()).toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    const link = new URL(/\/URI \((http[^)]+)\)/.exec(raw)![1]);
    const anonymous = await newContext(browser);
    const check = await anonymous.newPage();
    await check.goto(`${base}${link.pathname}`);
    expect(await check.textContent('main')).toMatch(/Nia Hours[\s\S]*4 hours in 2 entries/);
    expect(await check.getByRole('status').textContent()).toContain('the ledger still agrees');
    await axe.check(check, 'verify-hours');
    const forged = await check.goto(`${base}${link.pathname.slice(0, -2)}xx`);
    expect(forged?.status()).toBe(404);
    expect(await check.getByRole('heading', { level: 1 }).textContent()).toBe('Statement not found');
    await axe.check(check, 'verify-hours-unknown');

    await Promise.all([volunteerContext.close(), coordinatorContext.close(), anonymous.close()]);
    axe.report();
    expect(axe.problems).toEqual([]);
  }, 60_000);
});
