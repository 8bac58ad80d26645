import { DateTime } from 'luxon';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { AxeLog, horizontalOverflow, launchBrowser, listen, newContext, screenshots } from './browser.js';

/**
 * Every page in a real Chromium: axe-core on each (no serious or critical violation), the pages with
 * JavaScript off, CSRF refusals and the Content-Security-Policy. The worker is not started: sessions
 * come from link tokens minted directly, and no offers are sent, so "shifts that fit me" is stable.
 */
/** Upper bound per test; they take a few seconds each on an idle machine. */
const TEST_TIMEOUT_MS = 90_000;

describe('web pages in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let identity: IdentityService;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_pages', { worker: false }), launchBrowser()]);
    base = await listen(h);
    identity = h.api.get(IdentityService);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Completes a link as the emailed one would be, and returns the session token. */
  async function completeLink(accountId: string, purpose: 'verify_email' | 'sign_in'): Promise<string> {
    const token = await identity.issueLinkToken(accountId, purpose, 600);
    const res = await h.request('POST', purpose === 'verify_email' ? '/links/verify' : '/links/sign-in', {
      body: { token },
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  async function volunteer(email: string, overrides: Record<string, unknown> = {}) {
    const res = await h.request('POST', '/api/volunteers', {
      body: {
        email,
        name: 'Sam',
        timeZone: 'Europe/London',
        home: { query: 'Manchester, GB' },
        travelKm: 10,
        skills: ['cooking'],
        availability: [],
        ...overrides,
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
        name: `Shelter ${slug}`,
        kind: 'homeless_shelter',
        timeZone: 'Europe/London',
        address: { label: 'Night shelter', street: '3 Tib Street', ...MANCHESTER },
        coordinator: { email: `coordinator@${slug}.example.org`, name: 'Jo' },
      },
    });
    expect(res.status).toBe(201);
    return {
      organisationId: res.body.id as string,
      session: await completeLink(res.body.coordinatorAccountId, 'sign_in'),
    };
  }

  async function signedIn(session: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await newContext(browser, options);
    await context.addCookies([{ name: 'ks_session', value: session, url: base }]);
    return context;
  }

  async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const csrfOf = (page: Page) => page.locator('input[name="_csrf"]').first().inputValue();

  it(
    'public pages, sign-in and error pages',
    async () => {
      const axe = new AxeLog();
      const context = await newContext(browser);
      const page = await context.newPage();
      for (const [path, name] of [
        ['/', 'landing'],
        ['/?signed-out=1', 'signed-out'],
        ['/privacy', 'privacy'],
        ['/operator', 'operator'],
        ['/sign-in', 'sign-in'],
      ] as const) {
        const response = await page.goto(base + path);
        expect(response?.status()).toBe(200);
        if (path === '/operator')
          expect(await page.locator('a[href="/admin/queues"], a[href="/health/ready"]').count()).toBe(2);
        await axe.check(page, name);
      }
      await screenshots(page, 'sign-in');

      await page.getByLabel('Email address').fill('not-an-email');
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.locator('#f-email-error').textContent()).toContain('Enter your email address');
      expect(await page.getByLabel('Email address').inputValue()).toBe('not-an-email');
      await axe.check(page, 'sign-in-error');
      await page.getByLabel('Email address').fill('nobody@example.org');
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      await axe.check(page, 'sign-in-sent');

      // Sign-up with mistakes, checked with JavaScript on.
      await page.goto(`${base}/sign-up`);
      await page.getByLabel('Email address').fill('typo@example');
      await page.getByLabel('Your town, city or area').fill('Xqzzyvv');
      await page.getByLabel('How far you can travel, in kilometres').fill('500');
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator('#f-name-error').textContent()).toContain('Enter your name');
      expect(await page.locator('#f-home-query-error').textContent()).toContain('No place called "Xqzzyvv"');
      expect(await page.locator('#f-travelKm-error').textContent()).toContain('between 0.5 and 200 km');
      expect(await page.getByLabel('How far you can travel, in kilometres').inputValue()).toBe('500');
      await axe.check(page, 'sign-up-errors');
      await screenshots(page, 'sign-up-errors');
      // The "add another time" round trip of browsers without JavaScript, submitted the same way here.
      await page.evaluate(
        `document.querySelector('#add-window').form.requestSubmit(document.querySelector('#add-window'))`,
      );
      await page.waitForURL(`${base}/sign-up/rows`);
      expect(await page.locator('[data-editor="availability"] [data-row]').count()).toBe(4);
      await axe.check(page, 'sign-up-rows');

      for (const [path, status, name] of [
        ['/me', 401, 'error-401'],
        ['/links/verify?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 410, 'error-410'],
        ['/org/shifts/not-a-uuid', 401, 'error-401-org'],
      ] as const) {
        const response = await page.goto(base + path);
        expect(response?.status()).toBe(status);
        await axe.check(page, name);
      }
      await context.close();
      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'volunteer pages: home with shifts in the volunteer’s zone, profile errors, export and deletion',
    async () => {
      const axe = new AxeLog();
      const day = DateTime.now().setZone('Europe/London').plus({ days: 5 });
      const berlinWeekday = day.set({ hour: 17 }).setZone('Europe/Berlin').weekday;
      const { session } = await volunteer('berlin@example.org', {
        timeZone: 'Europe/Berlin',
        availability: [{ weekday: berlinWeekday, start: '08:00', end: '23:00' }],
        exceptions: [{ startsOn: '2030-01-01', endsOn: '2030-01-07' }],
      });
      const org = await organisation('fits');
      const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.session,
        body: {
          title: 'Breakfast club',
          startsAt: day.set({ hour: 17, minute: 0, second: 0, millisecond: 0 }).toISO(),
          endsAt: day.set({ hour: 20, minute: 0, second: 0, millisecond: 0 }).toISO(),
          capacity: 3,
          requiredSkills: ['cooking'],
          publish: true,
        },
      });
      expect(shift.status).toBe(201);

      const context = await signedIn(session);
      const page = await context.newPage();
      await page.goto(`${base}/me`);
      const fits = page.locator('section', { has: page.getByRole('heading', { name: 'Shifts that fit you' }) });
      expect(await fits.textContent()).toContain('Breakfast club');
      expect(await fits.textContent()).toContain('18:00–21:00 (Europe/Berlin)');
      await axe.check(page, 'volunteer-home-fits');
      await screenshots(page, 'volunteer-home-fits');

      await page.goto(`${base}/me/profile`);
      expect(await page.getByLabel('Your town, city or area').inputValue()).toBe('Manchester, England, United Kingdom');
      await page.getByLabel('Your first name').fill('');
      await page.getByLabel('Last day away').first().fill('2029-12-01');
      await page.getByLabel('Paused: no offers until I come back').check();
      await page.getByRole('button', { name: 'Save changes', exact: true }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.locator('#f-name-error').textContent()).toContain('Enter your name');
      expect(await page.locator('#f-exceptions-0-endsOn-error').textContent()).toContain('on or after the first day');
      expect(await page.getByLabel('Paused: no offers until I come back').isChecked()).toBe(true);
      await axe.check(page, 'profile-errors');
      await page.getByLabel('Your first name').fill('Sam');
      await page.getByLabel('Last day away').first().fill('2030-01-08');
      await page.getByRole('button', { name: 'Save changes', exact: true }).click();
      await page.waitForURL(`${base}/me?saved=1`);
      expect(await page.textContent('main')).toContain('Your offers are paused');
      await axe.check(page, 'volunteer-home-paused');

      await page.getByRole('link', { name: 'My data' }).click();
      await axe.check(page, 'data');
      const exported = await context.request.get(`${base}/api/me/export`);
      expect(exported.status()).toBe(200);
      expect(exported.headers()['content-disposition']).toContain('attachment');
      expect((await exported.json()).profile.email).toBe('berlin@example.org');
      await page.getByRole('link', { name: 'Delete my account…' }).click();
      await page.getByRole('heading', { name: 'Delete your account?' }).waitFor();
      await axe.check(page, 'delete-confirm');
      await page.getByRole('button', { name: 'Yes, delete my account' }).click();
      await page.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
      await axe.check(page, 'deleted');
      expect((await page.goto(`${base}/me`))?.status()).toBe(401);
      const other = await signedIn((await volunteer('other@example.org')).session);
      const forbidden = await other.newPage();
      expect((await forbidden.goto(`${base}/org`))?.status()).toBe(403);
      await axe.check(forbidden, 'error-403');
      await other.close();
      await context.close();
      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'coordinator pages: series, shift edit and cancel, API keys',
    async () => {
      const axe = new AxeLog();
      const org = await organisation('series');
      const context = await signedIn(org.session);
      const page = await context.newPage();
      const start = DateTime.now().setZone('Europe/London').plus({ days: 2 });

      await page.goto(`${base}/org/series/new`);
      await axe.check(page, 'series-new');
      await page.getByRole('button', { name: 'Post the series' }).click();
      expect(await page.locator('#f-weekday-error').textContent()).toContain('Choose a day of the week');
      expect(await page.locator('#f-title-error').textContent()).toContain('Enter a title');
      await axe.check(page, 'series-new-errors');
      await page.getByLabel('Title').fill('Tuesday night shelter');
      await page.getByLabel('Every').selectOption('2');
      await page.getByLabel('Starts at').fill('21:00');
      await page.getByLabel('Ends at').fill('07:00');
      await page.getByLabel('First date').fill(start.toISODate()!);
      await page.getByLabel('Last date').fill(start.plus({ weeks: 4 }).toISODate()!);
      await page.getByRole('button', { name: 'Post the series' }).click();
      await page.waitForURL(/\/org\/series\/[0-9a-f-]{36}\?done=series-created$/);
      const series = await page.textContent('main');
      expect(series).toContain('Every Tuesday, 21:00–07:00 (Europe/London)');
      expect(series).toMatch(/Tue \d+ \w+ \d{4}, 21:00–Wed \d+ \w+ 07:00 \(Europe\/London\)/);
      await axe.check(page, 'series');
      await screenshots(page, 'series');

      // A shift of the series: edit with a mistake, then cancel it.
      await page.locator('main .card a').first().click();
      await page.waitForURL(/\/org\/shifts\/[0-9a-f-]{36}$/);
      await page.getByText('Change the title, time, place').click();
      await page.getByLabel('Volunteers needed').fill('0');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.locator('#f-capacity-error').textContent()).toContain('between 1 and 500');
      await axe.check(page, 'shift-edit-errors');
      await page.getByLabel('Volunteers needed').fill('5');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(/\?done=updated$/);
      expect(await page.textContent('main')).toContain('0 of 5 booked');
      await page.getByRole('link', { name: 'Cancel this shift…' }).click();
      await axe.check(page, 'shift-cancel-confirm');
      await page.getByRole('button', { name: 'Cancel this shift' }).click();
      await page.waitForURL(/\?done=cancelled$/);
      expect(await page.textContent('main')).toContain('Cancelled');
      await axe.check(page, 'shift-cancelled');

      await page.getByRole('link', { name: 'Its weekly series' }).click();
      await page.getByRole('link', { name: 'Cancel the series…' }).click();
      await axe.check(page, 'series-cancel-confirm');
      await page.getByRole('button', { name: 'Cancel the series' }).click();
      await page.waitForURL(/\?done=series-cancelled$/);

      await page.goto(`${base}/org?show=past`);
      await axe.check(page, 'org-past');
      await page.goto(`${base}/org`);
      expect(await page.textContent('main')).toContain('Tuesday night shelter');
      await axe.check(page, 'org-with-series');

      await page.getByRole('link', { name: 'API keys' }).click();
      await axe.check(page, 'api-keys-empty');
      await page.getByRole('button', { name: 'Create key' }).click();
      expect(await page.locator('#f-name-error').textContent()).toContain('Enter a name');
      await axe.check(page, 'api-keys-error');
      await page.getByLabel('Name').fill('Rota system');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = await page.locator('#new-key').inputValue();
      expect(key).toMatch(/^ks_key_/);
      await axe.check(page, 'api-key-created');
      await screenshots(page, 'api-keys');
      const viaKey = await h.request('GET', `/api/organisations/${org.organisationId}/shifts`, { token: key });
      expect(viaKey.status).toBe(200);
      await page.getByRole('button', { name: /Revoke/ }).click();
      await page.waitForURL(/\?done=revoked$/);
      expect(await page.locator('#new-key').count()).toBe(0);
      expect((await h.request('GET', `/api/organisations/${org.organisationId}/shifts`, { token: key })).status).toBe(
        401,
      );
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await context.close();
      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'with JavaScript off: sign-up (add a row, errors, success) and the emailed link page',
    async () => {
      const context = await newContext(browser, { javaScriptEnabled: false, timezoneId: 'America/Chicago' });
      const page = await context.newPage();
      await page.goto(`${base}/sign-up`);
      expect(await page.getByLabel('Your time zone').inputValue()).toBe('Europe/London'); // the server's default
      const rows = page.locator('[data-editor="availability"] [data-row]');
      expect(await rows.count()).toBe(3);
      await page.getByLabel('Your first name').fill('Sam');
      await page.getByRole('button', { name: 'Add another time' }).click();
      await page.waitForURL(`${base}/sign-up/rows`);
      expect(await rows.count()).toBe(4);
      expect(await page.locator('#f-availability-3-weekday').getAttribute('autofocus')).not.toBeNull();
      expect(await page.getByLabel('Your first name').inputValue()).toBe('Sam');

      await page.getByLabel('Email address').fill('nojs@example.org');
      await page.getByLabel('Your town, city or area').fill('Xqzzyvv');
      await page.getByLabel('How far you can travel, in kilometres').fill('8');
      await page.locator('#f-availability-3-weekday').selectOption('2');
      await page.locator('#f-availability-3-start').fill('17:00');
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.locator('#f-home-query-error').textContent()).toContain('No place called');
      // The filled row comes back first, with its problem beside it and what was typed kept.
      expect(await page.locator('#f-availability-0-end-error').textContent()).toContain('Enter an end time');
      expect(await page.locator('#f-availability-0-start').inputValue()).toBe('17:00');
      expect(await page.getByLabel('Email address').inputValue()).toBe('nojs@example.org');

      await page.getByLabel('Your town, city or area').fill('Salford');
      await page.locator('#f-availability-0-end').fill('21:00');
      await page.getByRole('button', { name: 'Remove time 2' }).click();
      await page.waitForURL(`${base}/sign-up/rows`);
      expect(await rows.count()).toBe(2); // the filled row and one empty row are left
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      expect(await page.textContent('main')).toContain('Salford, England, United Kingdom');

      const account = await identity.findAccountByEmail('nojs@example.org');
      const token = await identity.issueLinkToken(account!.id, 'verify_email', 600);
      await page.goto(`${base}/links/verify?token=${encodeURIComponent(token)}`);
      await page.getByRole('button', { name: 'Confirm my email' }).click();
      await page.getByRole('heading', { name: /your email is confirmed/ }).waitFor();
      await page.getByRole('link', { name: 'Continue' }).click();
      await page.waitForURL(`${base}/me`);
      const home = await page.textContent('main');
      expect(home).toContain('Hello, Sam');
      expect(home).toContain('Tuesday 17:00–21:00');
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses cookie-authenticated form posts without a valid CSRF token (403 page)',
    async () => {
      const vol = await volunteer('csrf@example.org');
      const org = await organisation('csrf');
      const created = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.session,
        body: {
          title: 'Dog walking',
          startsAt: DateTime.now().plus({ days: 3 }).toISO(),
          endsAt: DateTime.now().plus({ days: 3, hours: 2 }).toISO(),
          capacity: 1,
          publish: true,
        },
      });
      const volunteerContext = await signedIn(vol.session);
      const coordinatorContext = await signedIn(org.session);
      const html = { accept: 'text/html' };

      const missing = await volunteerContext.request.post(`${base}/me/profile`, {
        form: { name: 'Mallory' },
        headers: html,
        maxRedirects: 0,
      });
      expect(missing.status()).toBe(403);
      expect(await missing.text()).toContain('could not be accepted');
      const forged = await volunteerContext.request.post(`${base}/me/data/delete`, {
        form: { _csrf: 'abc-def-ghi' },
        headers: html,
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);

      // A real token of one session is useless with another session's cookie.
      const coordinatorPage = await coordinatorContext.newPage();
      await coordinatorPage.goto(`${base}/org`);
      const coordinatorToken = await csrfOf(coordinatorPage);
      const crossed = await volunteerContext.request.post(`${base}/me/data/delete`, {
        form: { _csrf: coordinatorToken },
        headers: html,
        maxRedirects: 0,
      });
      expect(crossed.status()).toBe(403);
      const cancel = await coordinatorContext.request.post(`${base}/org/shifts/${created.body.id}/cancel`, {
        form: {},
        headers: html,
        maxRedirects: 0,
      });
      expect(cancel.status()).toBe(403);
      expect(
        (
          await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${created.body.id}`, {
            token: org.session,
          })
        ).body.status,
      ).toBe('open');
      expect((await h.request('GET', '/api/me', { token: vol.session })).status).toBe(200);

      // With the page's own token the same kind of request goes through: sign out.
      const volunteerPage = await volunteerContext.newPage();
      await volunteerPage.goto(`${base}/me`);
      const signOut = await volunteerContext.request.post(`${base}/sign-out`, {
        form: { _csrf: await csrfOf(volunteerPage) },
        headers: html,
        maxRedirects: 0,
      });
      expect(signOut.status()).toBe(303);
      expect((await h.request('GET', '/api/me', { token: vol.session })).status).toBe(401);
      await volunteerContext.close();
      await coordinatorContext.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'runs under the Content-Security-Policy: only its own script file, which preselects the zone and edits rows in place',
    async () => {
      const context = await newContext(browser, { bypassCSP: false, timezoneId: 'America/Chicago' });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      const response = await page.goto(`${base}/sign-up`);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = (await response?.text()) ?? '';
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\son[a-z]+="/);
      // (no waitForFunction: evaluating strings would itself need 'unsafe-eval')
      await until(async () => (await page.getByLabel('Your time zone').inputValue()) === 'America/Chicago');
      expect(await page.locator('[data-zone-hint]').textContent()).toContain('We picked America/Chicago');
      await page.getByLabel('Your town, city or area').pressSequentially('Manch');
      await until(async () => (await page.locator('#home-suggestions option').count()) > 0);
      expect(await page.locator('#home-suggestions option').first().getAttribute('value')).toBe(
        'Manchester, England, United Kingdom',
      );
      // A UK postcode is not in the offline gazetteer: the page says so under the field.
      const home = page.getByLabel('Your town, city or area');
      await home.fill('');
      await home.pressSequentially('M4 5AB');
      const note = page.locator('#f-home-query-geocode-note');
      await until(async () => /postcode area M4/.test((await note.textContent()) ?? ''));
      expect(await note.textContent()).toBe(
        "We don't know the postcode area M4 — try your town or city instead (we only keep the area anyway)",
      );
      expect(await home.getAttribute('aria-describedby')).toContain('f-home-query-geocode-note');
      await home.fill('');
      await home.pressSequentially('Leeds');
      await until(async () => (await note.textContent()) === '');
      await page.getByRole('button', { name: 'Add another time' }).click();
      expect(page.url()).toBe(`${base}/sign-up`);
      expect(await page.locator('[data-editor="availability"] [data-row]').count()).toBe(4);
      const cookies = await context.cookies();
      expect(cookies.filter((c) => c.name === 'ks_csrf')).toHaveLength(0); // anonymous pages set no CSRF cookie
      expect(violations).toEqual([]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );
});
