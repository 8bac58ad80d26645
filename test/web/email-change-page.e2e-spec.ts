import pg from 'pg';
import type { Browser } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AxeLog, launchBrowser, listen, newContext } from './browser.js';

/** The "change your email address" page of a signed-in volunteer, in a real Chromium. */
describe('email change page', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let identity: IdentityService;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_email_change', { worker: false }), launchBrowser()]);
    base = await listen(h);
    identity = h.api.get(IdentityService);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function volunteer(email: string) {
    const res = await h.request('POST', '/api/volunteers', {
      body: {
        email,
        name: 'Sam',
        timeZone: 'Europe/London',
        home: { query: 'Manchester, GB' },
        travelKm: 10,
        skills: ['cooking'],
        availability: [],
      },
    });
    expect(res.status).toBe(202);
    const account = await identity.findAccountByEmail(email);
    const token = await identity.issueLinkToken(account!.id, 'verify_email', 600);
    const session = await h.request('POST', '/links/verify', {
      body: { token },
      headers: { accept: 'application/json' },
    });
    return { accountId: account!.id, session: session.body.token as string };
  }

  it('from the profile: mistakes are named on the form, a good address sends the link and changes nothing yet', async () => {
    await volunteer('someone-else@example.org');
    const { accountId, session } = await volunteer('page.old@example.org');
    const axe = new AxeLog();
    const context = await newContext(browser);
    await context.addCookies([{ name: 'ks_session', value: session, url: base }]);
    const page = await context.newPage();

    await page.goto(`${base}/me/profile`);
    await page.getByRole('link', { name: 'Change your email address' }).click();
    await page.getByRole('heading', { name: 'Change your email address' }).waitFor();
    await axe.check(page, 'email-change');

    for (const [value, message] of [
      ['not-an-address', 'Enter your new email address'],
      ['PAGE.OLD@example.org', 'This is already your email address'],
      ['someone-else@example.org', 'This email address belongs to another account'],
    ]) {
      await page.getByLabel('New email address').fill(value);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.locator('#f-email-error').textContent()).toContain(message);
      expect(await page.getByLabel('New email address').inputValue()).toBe(value);
    }
    await axe.check(page, 'email-change-errors');

    await page.getByLabel('New email address').fill('page.new@example.org');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('heading', { name: 'Check your new inbox' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('page.new@example.org');
    await axe.check(page, 'email-change-sent');

    const db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    const rows = await db.query(
      `select a.email::text, c.new_email::text from accounts a join email_changes c on c.account_id = a.id where a.id = $1 and c.confirmed_at is null and c.cancelled_at is null`,
      [accountId],
    );
    await db.end();
    expect(rows.rows).toEqual([{ email: 'page.old@example.org', new_email: 'page.new@example.org' }]);

    await context.close();
    axe.report();
    expect(axe.problems).toEqual([]);
  }, 90_000);
});
