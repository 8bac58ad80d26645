import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext } from 'playwright-core';
import { ArrivalsService } from '../../libs/arrivals/index.js';
import { IdentityService } from '../../libs/identity/index.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { AxeLog, launchBrowser, listen, newContext, SCREENSHOTS, screenshots } from './browser.js';

/**
 * Arrival pages in Debian's Chromium: the QR page on a 360 px phone ("I'm here", no sideways
 * scrolling), the coordinator opening the kiosk and a tap on a name, the printable poster; axe on
 * each. UPDATE_DOC_SCREENSHOTS=1 also copies the kiosk's screenshot to docs/screenshots/kiosk.png.
 */
const DOCS_SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const PHONE = { width: 360, height: 740 };

describe('arrival pages in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let identity: IdentityService;
  let arrivals: ArrivalsService;
  let db: pg.Client;
  const axe = new AxeLog();

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_arrivals', { worker: false }), launchBrowser()]);
    base = await listen(h);
    identity = h.api.get(IdentityService);
    arrivals = h.api.get(ArrivalsService);
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    axe.report();
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

  async function signedIn(token: string, options = {}): Promise<BrowserContext> {
    const context = await newContext(browser, options);
    await context.addCookies([{ name: 'ks_session', value: token, url: base }]);
    return context;
  }

  async function volunteer(email: string, name: string): Promise<{ id: string; token: string }> {
    const res = await h.request('POST', '/api/volunteers', {
      body: {
        email,
        name,
        timeZone: 'Europe/London',
        home: MANCHESTER,
        travelKm: 10,
        skills: ['cooking'],
        availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
      },
    });
    expect(res.status).toBe(202);
    const id = (await identity.findAccountByEmail(email))!.id;
    return { id, token: await session(id, 'verify_email') };
  }

  /** A shift starting in 20 minutes (inside its arrival window), open, with these volunteers booked. */
  async function shiftWithBookings(organisationId: string, coordinatorToken: string, volunteerIds: string[]) {
    const start = new Date(Date.now() + 24 * 3600_000);
    const res = await h.request('POST', `/api/organisations/${organisationId}/shifts`, {
      token: coordinatorToken,
      body: {
        title: 'Evening supper',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3 * 3600_000).toISOString(),
        capacity: 6,
        publish: false,
      },
    });
    expect(res.status).toBe(201);
    const shiftId = res.body.id as string;
    await db.query(
      `update shifts set status = 'open', published_at = now(), starts_at = now() + interval '20 minutes', ends_at = now() + interval '200 minutes', filled = $2 where id = $1`,
      [shiftId, volunteerIds.length],
    );
    for (const id of volunteerIds)
      await db.query(
        `insert into bookings (shift_id, volunteer_id, period) select id, $2, period from shifts where id = $1`,
        [shiftId, id],
      );
    return shiftId;
  }

  it('QR page on a phone, kiosk tap, and poster: they work and are axe-clean', async () => {
    const org = await h.request('POST', '/api/admin/organisations', {
      token: ADMIN_TOKEN,
      body: {
        name: 'Ancoats Kitchen',
        kind: 'soup_kitchen',
        timeZone: 'Europe/London',
        address: { label: 'Hall', street: '1 Mill Street', ...MANCHESTER },
        coordinator: { email: 'jo@arrivalpages.example.org', name: 'Jo' },
      },
    });
    expect(org.status).toBe(201);
    const coordinator = await session(org.body.coordinatorAccountId, 'sign_in');
    const ada = await volunteer('ada@arrivalpages.example.org', 'Ada Lovelace');
    const people = await Promise.all(
      ['Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Tim Berners-Lee'].map((name, i) =>
        volunteer(`v${i}@arrivalpages.example.org`, name),
      ),
    );
    const shiftId = await shiftWithBookings(org.body.id, coordinator, [ada.id, ...people.map((p) => p.id)]);

    // The QR page on a 360 px phone (a plain form; axe needs JavaScript to run).
    const phone = await (await signedIn(ada.token, { viewport: PHONE })).newPage();
    await phone.goto(`${base}${arrivals.arrivalPath(shiftId)}`);
    await phone.getByRole('heading', { name: 'Arrive at your shift' }).waitFor();
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await axe.check(phone, 'arrive');
    await phone.getByRole('button', { name: 'I’m here' }).click();
    await phone.getByRole('heading', { name: 'You have arrived' }).waitFor();
    expect(await phone.getByRole('status').textContent()).toMatch(/You arrived at \d\d:\d\d/);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await axe.check(phone, 'arrive-arrived');
    await screenshots(phone, 'arrive-arrived');
    expect((await db.query(`select arrived_via from arrivals where shift_id = $1`, [shiftId])).rows).toEqual([
      { arrived_via: 'qr' },
    ]);

    // The coordinator's shift page shows the code; the poster prints on A4.
    const desk = await (await signedIn(coordinator)).newPage();
    await desk.goto(`${base}/org/shifts/${shiftId}`);
    await desk.getByRole('heading', { name: 'Arrival at the door' }).waitFor();
    expect(await desk.getByText(/At the door: arrived \d\d:\d\d by QR code/).count()).toBe(1);
    await axe.check(desk, 'shift-arrivals');
    await screenshots(desk, 'shift-arrivals');
    await desk.getByRole('link', { name: 'Printable poster (A4)' }).click();
    await desk.getByRole('heading', { name: 'Scan when you arrive' }).waitFor();
    expect(await desk.getByRole('img', { name: /QR code/ }).count()).toBe(1);
    await axe.check(desk, 'arrival-poster');
    await screenshots(desk, 'arrival-poster');
    const pdf = await desk.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // The coordinator opens the kiosk on a tablet (and signs out of it there).
    const tablet = await (await signedIn(coordinator, { viewport: { width: 1024, height: 768 } })).newPage();
    await tablet.goto(`${base}/org/shifts/${shiftId}`);
    await tablet.getByRole('link', { name: /Open the kiosk/ }).click();
    await tablet.getByRole('button', { name: 'Open the kiosk' }).click();
    await tablet.getByRole('heading', { name: 'Tap your name' }).waitFor();
    expect(new URL(tablet.url()).pathname).toBe('/kiosk');
    const html = await tablet.content();
    expect(html).not.toContain('href="/org');
    expect(html).not.toContain('Lovelace');
    expect(html).not.toContain('arrivalpages.example.org');
    expect((await tablet.context().cookies()).map((c) => c.name)).not.toContain('ks_session');
    await axe.check(tablet, 'kiosk');

    await tablet.getByRole('button', { name: /Grace H\./ }).click();
    await tablet
      .getByRole('status')
      .filter({ hasText: /Grace H\. arrived at \d\d:\d\d/ })
      .waitFor();
    await axe.check(tablet, 'kiosk-tapped');
    await tablet.screenshot({ path: join(SCREENSHOTS, 'kiosk.png'), fullPage: true });
    if (process.env.UPDATE_DOC_SCREENSHOTS) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      copyFileSync(join(SCREENSHOTS, 'kiosk.png'), join(DOCS_SCREENSHOTS, 'kiosk.png'));
    }
    const grace = people[0].id;
    expect(
      (
        await db.query(
          `select a.arrived_via, b.status from arrivals a join bookings b on b.id = a.booking_id where b.volunteer_id = $1`,
          [grace],
        )
      ).rows,
    ).toEqual([{ arrived_via: 'kiosk', status: 'attended' }]);

    // Locked: the page says so, and shows nobody.
    await db.query(`update kiosk_sessions set last_activity_at = now() - interval '1 hour' where shift_id = $1`, [
      shiftId,
    ]);
    await tablet.goto(`${base}/kiosk`);
    await tablet.getByRole('heading', { name: 'Kiosk locked' }).waitFor();
    expect(await tablet.content()).not.toContain('Grace');
    await axe.check(tablet, 'kiosk-locked');

    expect(axe.problems).toEqual([]);
  }, 90_000);
});
