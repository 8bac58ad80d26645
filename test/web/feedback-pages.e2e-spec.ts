import { DateTime } from 'luxon';
import pg from 'pg';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { startHarness, waitUntil, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, NO_QUIET } from '../support/actors.js';
import type { ReceivedMail } from '../support/smtp-sink.js';
import { AxeLog, launchBrowser, listen, newContext, screenshots } from './browser.js';

/**
 * What a coordinator and a volunteer see after acting (issue 14, items 3 and 4), with the real
 * worker and SMTP sink: a shift's offers progressing as the wave goes out (JavaScript on and off),
 * answering an offer link twice, the navigation on emailed-link pages, stop links that can no
 * longer stop anything, cancellation reasons reaching the roster and the email, plurals, favicon.
 */
const TEST_TIMEOUT_MS = 120_000;
const HTML = { accept: 'text/html' };
function nextTuesdayEvening(weeksAhead = 1) {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: weeksAhead })
    .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
  return { startsAt: start.toISO() as string, endsAt: start.plus({ hours: 3 }).toISO() as string };
}

function offerToken(mail: ReceivedMail): string {
  const match = mail.text.match(/https?:\/\/\S+\/links\/offer\?token=\S+/);
  if (!match) throw new Error(`no offer link in "${mail.subject}"`);
  return new URL(match[0]).searchParams.get('token') as string;
}

describe('feedback and wording on the pages', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let db: pg.Client;
  /** Lets the sink answer again, even when a test fails while it holds mail. */
  let release: () => void = () => {};

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness('web_feedback', { env: { OFFER_FANOUT: '1' } }), launchBrowser()]);
    base = await listen(h);
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  }, 60_000);

  afterEach(() => release());

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await h?.close();
  });

  async function signedIn(session: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await newContext(browser, options);
    await context.addCookies([{ name: 'ks_session', value: session, url: base }]);
    return context;
  }

  const section = (page: Page, heading: string) =>
    page.locator('section', { has: page.getByRole('heading', { name: heading }) });
  const headline = (page: Page) => page.locator('[data-progress-field="headline"]');

  it(
    'publish → the shift page shows the wave going out, then waiting for answers, then filled (JavaScript on and off); the API says the same',
    async () => {
      const axe = new AxeLog();
      const org = await organisationWithCoordinator(h, 'progress');
      const ann = await confirmedVolunteer(h, 'ann@progress.example.org', {
        name: 'Ann',
        quietHours: NO_QUIET,
        skills: ['dog-walking'],
      });
      const bob = await confirmedVolunteer(h, 'bob@progress.example.org', {
        name: 'Bob',
        quietHours: NO_QUIET,
        skills: ['dog-walking'],
        home: { lat: 53.49, lon: -2.2426 },
      });
      const progressOf = async (shiftId: string) =>
        (
          await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/progress`, {
            token: org.token,
          })
        ).body;

      // The sink holds the offer email: written, not yet emailed.
      release = h.smtp.hold();
      const created = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.token,
        body: {
          title: 'Dog walk',
          ...nextTuesdayEvening(),
          capacity: 1,
          requiredSkills: ['dog-walking'],
          publish: true,
        },
      });
      expect(created.status).toBe(201);
      const shiftId = created.body.id as string;
      const sending = await waitUntil(
        async () => {
          const p = await progressOf(shiftId);
          return p.state === 'sending' && p;
        },
        15_000,
        'the wave to be written',
      );
      expect(sending).toMatchObject({
        shiftId,
        openPlaces: 1,
        capacity: 1,
        filled: 0,
        refreshSeconds: 5,
        offers: { queued: 1, sent: 0, waiting: 0, accepted: 0 },
      });

      const plain = await (await signedIn(org.token, { javaScriptEnabled: false })).newPage();
      await plain.goto(`${base}/org/shifts/${shiftId}`);
      expect(await headline(plain).textContent()).toBe('A wave is going out: 0 offers emailed, 1 still being sent.');
      expect(await plain.locator('meta[http-equiv="refresh"]').count()).toBe(1); // reloads itself without JavaScript
      const live = await (await signedIn(org.token)).newPage();
      await live.goto(`${base}/org/shifts/${shiftId}`);
      expect(await headline(live).textContent()).toContain('A wave is going out');
      await live.evaluate('document.body.dataset.loadedOnce = "yes"');
      await axe.check(live, 'shift-progress-sending');
      await screenshots(live, 'shift-progress-sending');
      // Plurals and "Why not more?": Ann has the one offer, Bob is still a match.
      const matches = section(live, 'Matching volunteers');
      expect(await matches.textContent()).toContain('2 volunteers live close enough to travel here');
      expect(await matches.textContent()).toContain('1 already has an offer for or a place on this shift');

      release();
      const waiting = 'Waiting for answers: 1 offer is out for 1 open place.';
      await plain.getByText(waiting).waitFor({ timeout: 20_000 }); // the page reloaded itself
      expect(await plain.locator('meta[http-equiv="refresh"]').count()).toBe(0); // and stops reloading
      await live.getByText(waiting).waitFor({ timeout: 20_000 }); // updated in place by the script
      expect(await live.evaluate('document.body.dataset.loadedOnce')).toBe('yes');
      expect(await live.locator('[data-progress-count="sent"]').textContent()).toBe('1');
      expect(await progressOf(shiftId)).toMatchObject({
        state: 'waiting',
        refreshSeconds: 30,
        offers: { queued: 0, sent: 1, waiting: 1 },
      });
      await axe.check(live, 'shift-progress-waiting');

      // Ann says yes from her email; pressing it again says she is booked (not "link not valid").
      const mail = await h.smtp.waitFor(
        (m) => m.to.includes('ann@progress.example.org') && m.text.includes('/links/offer'),
      );
      const token = offerToken(mail);
      const first = await h.request('POST', '/links/offer', { form: { token, action: 'accept' }, headers: HTML });
      expect(first.status).toBe(200);
      const annPage = await (await signedIn(ann.token)).newPage();
      const again = await annPage.request.post(`${base}/links/offer`, {
        form: { token, action: 'accept' },
        headers: HTML,
      });
      expect(again.status()).toBe(200);
      await annPage.setContent(await again.text());
      expect(await annPage.getByRole('heading', { level: 1 }).textContent()).toBe('You’re booked — thank you!');
      expect(await annPage.locator('dl.facts').textContent()).toMatch(
        /Dog walk[\s\S]*Kitchen progress — Main hall, 1 Example Street[\s\S]*17:00–20:00 \(Europe\/London\)/,
      );
      // Opening the email's link again shows the booking too, with no buttons.
      await annPage.goto(`${base}/links/offer?token=${encodeURIComponent(token)}&action=accept`);
      expect(await annPage.getByRole('heading', { level: 1 }).textContent()).toBe('You’re booked — thank you!');
      expect(await annPage.locator('main form').count()).toBe(0);
      await axe.check(annPage, 'offer-link-again');
      const json = await h.request('POST', '/links/offer', {
        body: { token, action: 'accept' },
        headers: { accept: 'application/json' },
      });
      expect(json.status).toBe(200);
      const [{ id: bookingId }] = (await db.query(`select id from bookings where volunteer_id = $1`, [ann.accountId]))
        .rows;
      expect(json.body).toEqual({ outcome: 'booked', bookingId, shiftId });
      expect((await db.query(`select count(*)::int as n from bookings where shift_id = $1`, [shiftId])).rows[0].n).toBe(
        1,
      );
      // Only a repeated yes: a no on the spent link is still refused.
      expect(
        (
          await h.request('POST', '/links/offer', {
            body: { token, action: 'decline' },
            headers: { accept: 'application/json' },
          })
        ).status,
      ).toBe(410);

      // Filled: the page stops refreshing, and the match list says why it is empty.
      await db.query(`update volunteers set status = 'paused' where account_id = $1`, [bob.accountId]);
      expect(await progressOf(shiftId)).toMatchObject({
        state: 'filled',
        refreshSeconds: null,
        openPlaces: 0,
        offers: { accepted: 1 },
      });
      await live.goto(`${base}/org/shifts/${shiftId}`);
      expect(await headline(live).textContent()).toBe('Filled: the place is booked.');
      expect(await live.locator('[data-progress][data-refresh]').count()).toBe(0);
      // A full shift lists no matches and says why (issue 14.6), instead of "Nobody matches this shift yet".
      expect(await matches.textContent()).toContain('This shift is full — 1 of 1 booked.');
      expect(await matches.textContent()).not.toContain('Nobody matches this shift yet');
      await axe.check(live, 'shift-progress-filled');

      // Someone else's organisation cannot read the progress.
      const other = await organisationWithCoordinator(h, 'progress-other');
      expect(
        (
          await h.request('GET', `/api/organisations/${other.organisationId}/shifts/${shiftId}/progress`, {
            token: other.token,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/progress`, {
            token: other.token,
          })
        ).status,
      ).toBe(403);

      // Cancelling with a reason: too long is refused on the page and in the API; the coordinator reads it on the roster.
      const cancelPage = await (await signedIn(ann.token, { javaScriptEnabled: false })).newPage();
      await cancelPage.goto(`${base}/me/bookings/${bookingId}/cancel`);
      // The field stops at 500 characters; a longer reason sent anyway is refused with the form shown again.
      expect(
        await cancelPage.getByLabel('Anything to tell the organisation? (optional)').getAttribute('maxlength'),
      ).toBe('500');
      const csrf = await cancelPage.locator('input[name="_csrf"]').first().inputValue();
      const refused = await cancelPage.request.post(`${base}/me/bookings/${bookingId}/cancel`, {
        form: { _csrf: csrf, reason: 'x'.repeat(501) },
        headers: HTML,
        maxRedirects: 0,
      });
      expect(refused.status()).toBe(422);
      expect(await refused.text()).toContain('Keep the reason to 500 characters or fewer');
      expect((await db.query(`select status from bookings where id = $1`, [bookingId])).rows[0].status).toBe(
        'confirmed',
      );
      const tooLong = await h.request('POST', `/api/me/bookings/${bookingId}/cancel`, {
        token: ann.token,
        body: { reason: 'x'.repeat(501) },
      });
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.errors[0].field).toBe('reason');
      await cancelPage.getByLabel('Anything to tell the organisation? (optional)').fill('My bus is cancelled');
      await cancelPage.getByRole('button', { name: 'Cancel my booking' }).click();
      await cancelPage.waitForURL(`${base}/me/bookings/${bookingId}/cancelled`);
      expect((await db.query(`select status, cancel_reason from bookings where id = $1`, [bookingId])).rows[0]).toEqual(
        { status: 'cancelled', cancel_reason: 'My bus is cancelled' },
      );
      // The reason is the volunteer's own words: their export has it.
      expect((await h.request('GET', '/api/me/export', { token: ann.token })).body.bookings[0]).toMatchObject({
        status: 'cancelled',
        cancel_reason: 'My bus is cancelled',
      });
      await live.goto(`${base}/org/shifts/${shiftId}`);
      expect(await section(live, 'Offers and bookings').textContent()).toMatch(
        /Ann[\s\S]*cancelled by the volunteer[\s\S]*Their reason: “My bus is cancelled”/,
      );
      const roster = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/roster`, {
        token: org.token,
      });
      expect(roster.body.entries.find((e: { kind: string }) => e.kind === 'booking')).toMatchObject({
        status: 'cancelled',
        cancelReason: 'My bus is cancelled',
      });
      await axe.check(live, 'roster-cancel-reason');

      // The freed place: the next wave finds nobody (Bob paused), and the page says so.
      const exhausted = await waitUntil(
        async () => {
          const p = await progressOf(shiftId);
          return p.state === 'exhausted' && p;
        },
        15_000,
        'the next wave to find nobody',
      );
      expect(exhausted).toMatchObject({
        openPlaces: 1,
        refreshSeconds: null,
        headline: 'No one left to ask: 1 place is still open and every matching volunteer has had an offer.',
      });

      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a coordinator’s reason for cancelling reaches the booked volunteers’ email and calendar',
    async () => {
      const axe = new AxeLog();
      const org = await organisationWithCoordinator(h, 'reason');
      await confirmedVolunteer(h, 'cleo@reason.example.org', {
        name: 'Cleo',
        quietHours: NO_QUIET,
        skills: ['first-aid'],
      });
      const created = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.token,
        body: {
          title: 'First aid desk',
          ...nextTuesdayEvening(2),
          capacity: 1,
          requiredSkills: ['first-aid'],
          publish: true,
        },
      });
      const shiftId = created.body.id as string;
      const offer = await h.smtp.waitFor(
        (m) => m.to.includes('cleo@reason.example.org') && m.text.includes('/links/offer'),
      );
      expect(
        (
          await h.request('POST', '/links/offer', {
            body: { token: offerToken(offer), action: 'accept' },
            headers: { accept: 'application/json' },
          })
        ).body.outcome,
      ).toBe('booked');

      const tooLong = await h.request('POST', `/api/organisations/${org.organisationId}/shifts/${shiftId}/cancel`, {
        token: org.token,
        body: { reason: 'x'.repeat(501) },
      });
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.errors[0].field).toBe('reason');

      const page = await (await signedIn(org.token, { javaScriptEnabled: false })).newPage();
      await page.goto(`${base}/org/shifts/${shiftId}/cancel`);
      expect(await page.textContent('main')).toContain('1 booked volunteer is told by email.');
      await page.getByLabel('Why is it cancelled? (optional)').fill('The hall is flooded');
      await page.getByRole('button', { name: 'Cancel this shift' }).click();
      await page.waitForURL(`${base}/org/shifts/${shiftId}?done=cancelled`);
      const mail = await h.smtp.waitFor(
        (m) => m.to.includes('cleo@reason.example.org') && m.subject.startsWith('Cancelled:'),
      );
      expect(mail.text).toContain('Their reason: “The hall is flooded”');
      const ics = mail.parsed.attachments.map((a) => a.content.toString()).join('\n');
      expect(ics).toContain('METHOD:CANCEL');
      expect(ics.replace(/\r\n[ \t]/g, '')).toContain('DESCRIPTION:Cancelled: The hall is flooded');

      const live = await (await signedIn(org.token)).newPage();
      await live.goto(`${base}/org/shifts/${shiftId}/cancel`);
      await axe.check(live, 'shift-cancel-reason');
      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'emailed-link pages show a signed-in person their own navigation; stop links that cannot stop anything show no button; favicon',
    async () => {
      const axe = new AxeLog();
      const identity = h.api.get(IdentityService);
      const dee = await confirmedVolunteer(h, 'dee@links.example.org', {
        name: 'Dee',
        quietHours: NO_QUIET,
        skills: ['admin'],
      });
      const context = await signedIn(dee.token);
      const page = await context.newPage();

      // An offer link opened by its signed-in volunteer, and a dead link's error page.
      const org = await organisationWithCoordinator(h, 'links');
      const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.token,
        body: { title: 'Sorting', ...nextTuesdayEvening(3), capacity: 1, requiredSkills: ['admin'], publish: true },
      });
      expect(shift.status).toBe(201);
      const offer = await h.smtp.waitFor(
        (m) => m.to.includes('dee@links.example.org') && m.text.includes('/links/offer'),
      );
      await page.goto(`${base}/links/offer?token=${encodeURIComponent(offerToken(offer))}`);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'My shifts' }).waitFor();
      expect(await nav.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
      expect(await nav.getByRole('link', { name: 'Sign in' }).count()).toBe(0);
      await axe.check(page, 'offer-link-signed-in');
      expect((await page.goto(`${base}/links/verify?token=${'a'.repeat(30)}`))?.status()).toBe(410);
      await nav.getByRole('link', { name: 'My shifts' }).waitFor();
      // Signed out, the same page shows the public navigation.
      const anonymous = await (await newContext(browser)).newPage();
      await anonymous.goto(`${base}/links/offer?token=${encodeURIComponent(offerToken(offer))}`);
      await anonymous.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();

      // Check-in stop link: a button while check-ins are on; none once stopped, nor after the account is deleted.
      expect(
        (await h.request('PUT', '/api/me/check-ins/consent', { token: dee.token, body: { checkIns: true } })).status,
      ).toBe(200);
      const stopToken = await identity.issueLinkToken(dee.accountId, 'check_in_stop', 3600);
      const stopUrl = `${base}/links/check-in-stop?token=${encodeURIComponent(stopToken)}`;
      await page.goto(stopUrl);
      await page.getByRole('button', { name: 'Stop check-ins' }).click();
      await page.getByRole('heading', { name: 'Check-ins stopped' }).waitFor();
      await page.goto(stopUrl);
      await page.getByRole('heading', { name: 'Check-ins are already stopped' }).waitFor();
      expect(await page.locator('main button').count()).toBe(0);
      await axe.check(page, 'stop-already');
      expect((await h.request('DELETE', '/api/me', { token: dee.token })).status).toBe(204);
      const gone = await anonymous.goto(stopUrl);
      expect(gone?.status()).toBe(410);
      await anonymous.getByRole('heading', { name: 'Nothing to stop' }).waitFor();
      expect(await anonymous.locator('main button').count()).toBe(0);
      expect(await anonymous.textContent('main')).toContain(
        'If you deleted your account, everything about you is gone',
      );
      await axe.check(anonymous, 'stop-gone');
      // A stop page opened before the deletion: its button answers in the same words, not "Link not valid".
      const late = await h.request('POST', '/links/check-in-stop', { form: { token: stopToken }, headers: HTML });
      expect(late.status).toBe(410);
      expect(late.text).toContain('Nothing to stop');

      // Favicon: linked from the layout, and /favicon.ico answers.
      expect(await anonymous.locator('link[rel="icon"]').getAttribute('href')).toBe('/static/favicon.svg');
      const ico = await h.request('GET', '/favicon.ico');
      expect(ico.status).toBe(301);
      expect(ico.headers.location).toBe('/static/favicon.svg');
      const svg = await h.request('GET', '/static/favicon.svg');
      expect(svg.status).toBe(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);

      await context.close();
      axe.report();
      expect(axe.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
