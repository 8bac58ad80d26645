import pg from 'pg';
import { ArrivalsService } from '../../libs/arrivals/index.js';
import { startHarness, waitUntil, type Harness, type TestResponse } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, NO_QUIET } from '../support/actors.js';

/**
 * Arrival at the door on the real api and worker, PostgreSQL and Redis: the QR page (window,
 * secret, replay, leaving), the kiosk (names only, taps, walk-ins, lock) and the no-show sweeper.
 * Times are moved by writing the shifts' and kiosks' times in the database, never by sleeping.
 */
const HTML = { accept: 'text/html' };
const MINUTE = 60_000;

/** A browser-like session for the pages: its cookies, and the CSRF token of the last page read. */
class PageSession {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly h: Harness,
    cookies: Record<string, string> = {},
  ) {
    for (const [name, value] of Object.entries(cookies)) this.cookies.set(name, value);
  }

  private header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(res: TestResponse) {
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair.split('=');
      const path = /path=([^;]+)/i.exec(attributes.join(';'))?.[1]?.trim();
      // Kept per name only: the tests read /kiosk with the kiosk cookie and the rest with the others.
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
      if (path && name.trim() === 'ks_kiosk') expect(path).toBe('/kiosk');
    }
    const token = /name="(?:_csrf|_kiosk)" value="([^"]+)"/.exec(res.text)?.[1];
    if (token) this.csrf = token;
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  async get(url: string) {
    const res = await this.h.request('GET', url, { headers: { ...HTML, cookie: this.header() } });
    this.remember(res);
    return res;
  }

  async post(url: string, form: Record<string, string> = {}, field = '_csrf') {
    const res = await this.h.request('POST', url, {
      headers: { ...HTML, cookie: this.header(), origin: 'http://localhost:3000' },
      form: { [field]: this.csrf, ...form },
    });
    this.remember(res);
    return res;
  }
}

describe('arrival at the door', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  let arrivals: ArrivalsService;
  let n = 0;

  beforeAll(async () => {
    h = await startHarness('arrivals', { env: { ARRIVAL_SWEEP_SECONDS: '1' } });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'arrivals');
    arrivals = h.api.get(ArrivalsService);
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** An open shift starting `startsInMinutes` from now (negative: already started), `hours` long. */
  async function shift(startsInMinutes: number, capacity = 3, hours = 3): Promise<string> {
    const start = new Date(Date.now() + 24 * 60 * MINUTE);
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: `Supper ${++n}`,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + hours * 60 * MINUTE).toISOString(),
        capacity,
        publish: false,
      },
    });
    expect(res.status).toBe(201);
    await moveShift(res.body.id, startsInMinutes, hours);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [res.body.id]);
    return res.body.id;
  }

  async function moveShift(shiftId: string, startsInMinutes: number, hours = 3) {
    await db.query(
      `update shifts set starts_at = now() + make_interval(mins => $2), ends_at = now() + make_interval(mins => $2 + $3) where id = $1`,
      [shiftId, startsInMinutes, hours * 60],
    );
    await db.query(`update bookings b set period = s.period from shifts s where s.id = b.shift_id and s.id = $1`, [
      shiftId,
    ]);
  }

  /** A booking as the offer pipeline leaves it: a seat taken and a confirmed booking over the shift's period. */
  async function book(shiftId: string, volunteerId: string): Promise<string> {
    await db.query(`update shifts set filled = filled + 1 where id = $1`, [shiftId]);
    const { rows } = await db.query(
      `insert into bookings (shift_id, volunteer_id, period) select id, $2, period from shifts where id = $1 returning id`,
      [shiftId, volunteerId],
    );
    return rows[0].id;
  }

  async function volunteer(name: string, fullName = 'Vol Unteer') {
    const email = `${name}@arrivals.example.org`;
    const vol = await confirmedVolunteer(h, email, { quietHours: NO_QUIET, name: fullName });
    return { ...vol, email, page: new PageSession(h, { ks_session: vol.token }) };
  }

  const arrivalRows = async (shiftId: string) =>
    (
      await db.query(
        `select booking_id, arrived_at, arrived_via, left_at, left_via from arrivals where shift_id = $1`,
        [shiftId],
      )
    ).rows;
  const bookingStatus = async (bookingId: string) =>
    (await db.query(`select status from bookings where id = $1`, [bookingId])).rows[0].status;

  describe('the QR page', () => {
    it('records "I’m here" inside the window, once however often it is sent, then "I’m leaving"', async () => {
      const shiftId = await shift(30);
      const vol = await volunteer('ada', 'Ada Lovelace');
      const bookingId = await book(shiftId, vol.accountId);
      const path = arrivals.arrivalPath(shiftId);

      const page = await vol.page.get(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('I’m here');
      expect(page.text).toContain(`Supper ${n}`);
      expect(await arrivalRows(shiftId)).toHaveLength(0); // GET only shows

      // Two presses at the same moment (a double tap on a slow phone): one record.
      const arrived = await Promise.all([vol.page.post(path), vol.page.post(path)]);
      expect(arrived.map((a) => a.status)).toEqual([303, 303]);
      expect(await arrivalRows(shiftId)).toHaveLength(1);
      const [first] = await arrivalRows(shiftId);
      expect(first).toMatchObject({ booking_id: bookingId, arrived_via: 'qr', left_at: null });
      expect(await bookingStatus(bookingId)).toBe('attended');

      // Replayed: the same POST again keeps one record with the first time.
      const again = await vol.page.post(path);
      expect(again.status).toBe(303);
      const rows = await arrivalRows(shiftId);
      expect(rows).toHaveLength(1);
      expect(rows[0].arrived_at.getTime()).toBe(first.arrived_at.getTime());
      const shown = await vol.page.get(path);
      expect(shown.text).toMatch(/You arrived at \d\d:\d\d/);
      expect(shown.text).toContain('I’m leaving');

      expect((await vol.page.post(`${path}/leave`)).status).toBe(303);
      const [left] = await arrivalRows(shiftId);
      expect(left).toMatchObject({ left_via: 'qr' });
      expect(left.left_at.getTime()).toBeGreaterThanOrEqual(left.arrived_at.getTime());
      const done = await vol.page.get(path);
      expect(done.text).toMatch(/and left at \d\d:\d\d/);
      expect(done.text).not.toContain('I’m leaving');
      // The door record is the volunteer's data too: their export has it.
      const exported = await h.request('GET', '/api/me/export', { token: vol.token });
      expect(exported.body.bookings).toEqual([
        expect.objectContaining({ id: bookingId, arrived_via: 'qr', left_via: 'qr', arrived_at: expect.any(String) }),
      ]);
    });

    it('refuses another shift’s secret, before and after the window, and no booking — with a clear page and nothing written', async () => {
      const vol = await volunteer('grace', 'Grace Hopper');
      const mine = await shift(10);
      const other = await shift(10);
      const bookingId = await book(mine, vol.accountId);
      await vol.page.get(arrivals.arrivalPath(mine));
      const otherSecret = arrivals.arrivalPath(other).split('/')[3];

      const foreign = await vol.page.post(`/arrive/${mine}/${otherSecret}`);
      expect(foreign.status).toBe(404);
      expect(foreign.text).toContain('This arrival code is not valid');
      expect(foreign.text).toContain('Nothing was recorded');
      expect((await vol.page.get(`/arrive/${mine}/${otherSecret}`)).status).toBe(404);
      expect((await vol.page.get(`/arrive/${mine}/not-a-secret`)).status).toBe(404);

      // Not booked on the other shift (its own code is valid): 403.
      const notBooked = await vol.page.post(arrivals.arrivalPath(other));
      expect(notBooked.status).toBe(403);
      expect(notBooked.text).toContain('You are not booked on this shift');

      await moveShift(mine, 61); // opens 60 minutes before the start
      const early = await vol.page.post(arrivals.arrivalPath(mine));
      expect(early.status).toBe(409);
      expect(early.text).toContain('Arrival is not open yet');
      expect(early.text).toMatch(/It opens at <strong>\d\d:\d\d/);

      await moveShift(mine, -3 * 60 - 121, 3); // ended 121 minutes ago; closes 120 after the end
      const late = await vol.page.post(arrivals.arrivalPath(mine));
      expect(late.status).toBe(410);
      expect(late.text).toContain('Arrival has closed');

      expect(await arrivalRows(mine)).toHaveLength(0);
      expect(await arrivalRows(other)).toHaveLength(0);
      expect(await bookingStatus(bookingId)).toBe('confirmed');
    });

    it('lets a volunteer without a booking join a free shift from the QR page before it starts, through the self-booking rules', async () => {
      // 30 minutes long, starting 5–45 minutes from now but never across midnight in London (the
      // volunteer is free every day 00:00–23:59).
      const london = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/London' }));
      const minutesToMidnight = 24 * 60 - (london.getHours() * 60 + london.getMinutes());
      const startsIn = minutesToMidnight < 40 ? minutesToMidnight + 5 : 5;
      const shiftId = await shift(startsIn, 2, 0.5);
      const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:59' }));
      const walker = await volunteer('olu', 'Olu Walker');
      await db.query(`delete from availability_windows where volunteer_id = $1`, [walker.accountId]);
      const free = await confirmedVolunteer(h, 'rae@arrivals.example.org', {
        quietHours: NO_QUIET,
        name: 'Rae Free',
        availability: everyDay,
      });
      const page = new PageSession(h, { ks_session: free.token });
      const path = arrivals.arrivalPath(shiftId);
      const offered = await page.get(path);
      expect(offered.status).toBe(403);
      expect(offered.text).toContain('Join this shift and mark me arrived');

      expect((await page.post(`${path}/join`)).status).toBe(303);
      const { rows } = await db.query(
        `select b.status, a.arrived_via from bookings b join arrivals a on a.booking_id = b.id where b.shift_id = $1 and b.volunteer_id = $2`,
        [shiftId, free.accountId],
      );
      expect(rows).toEqual([{ status: 'attended', arrived_via: 'qr' }]);
      expect((await db.query(`select filled from shifts where id = $1`, [shiftId])).rows[0].filled).toBe(1);

      // One who does not fit (no availability at all) gets the rule in plain words, and nothing.
      const walkerPage = walker.page;
      await walkerPage.get(path);
      const refused = await walkerPage.post(`${path}/join`);
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('You could not join this shift');
      expect(refused.text).toContain('outside the times you are free');
      expect(
        (
          await db.query(`select count(*)::int as n from bookings where shift_id = $1 and volunteer_id = $2`, [
            shiftId,
            walker.accountId,
          ])
        ).rows[0].n,
      ).toBe(0);
    });

    it('sends a signed-out scan through sign-in and back to the arrival page', async () => {
      const shiftId = await shift(0);
      const vol = await volunteer('katherine', 'Katherine Johnson');
      await book(shiftId, vol.accountId);
      const path = arrivals.arrivalPath(shiftId);
      const anonymous = new PageSession(h);
      const page = await anonymous.get(path);
      expect(page.status).toBe(401);
      expect(page.text).toContain('Sign in to record your arrival');
      expect(page.text).not.toContain(`Supper ${n}`);
      const remembered = anonymous.cookie('ks_arrive_next');
      expect(decodeURIComponent(remembered!)).toBe(path);
      // After the emailed link: /home leads back to the arrival page, once.
      const back = new PageSession(h, { ks_session: vol.token, ks_arrive_next: remembered! });
      const home = await back.get('/home');
      expect(home.status).toBe(303);
      expect(home.headers.location).toBe(path);
      expect(back.cookie('ks_arrive_next')).toBeUndefined();
      // A cookie pointing anywhere else is ignored.
      const forged = new PageSession(h, {
        ks_session: vol.token,
        ks_arrive_next: encodeURIComponent('https://evil.example/'),
      });
      expect((await forged.get('/home')).headers.location).toBe('/me');
    });
  });

  describe('the roster', () => {
    it('shows the QR code, the door record and lets the coordinator mark arrived and left', async () => {
      const shiftId = await shift(-10);
      const vol = await volunteer('mary', 'Mary Jackson');
      const bookingId = await book(shiftId, vol.accountId);
      const coordinator = new PageSession(h, { ks_session: org.token });
      const roster = await coordinator.get(`/org/shifts/${shiftId}`);
      expect(roster.status).toBe(200);
      expect(roster.text).toContain('Arrival at the door');
      expect(roster.text).toMatch(/<svg[^>]*viewBox/);
      expect(roster.text).toContain(`/org/shifts/${shiftId}/arrival-poster`);
      expect(roster.text).toContain('At the door: not arrived yet');

      const marked = await coordinator.post(`/org/shifts/${shiftId}/bookings/${bookingId}/arrival`, {
        action: 'arrived',
      });
      expect(marked.status).toBe(303);
      expect((await arrivalRows(shiftId))[0]).toMatchObject({ arrived_via: 'coordinator' });
      expect(await bookingStatus(bookingId)).toBe('attended');
      const after = await coordinator.get(`/org/shifts/${shiftId}`);
      expect(after.text).toMatch(/At the door: arrived \d\d:\d\d by a coordinator/);
      await coordinator.post(`/org/shifts/${shiftId}/bookings/${bookingId}/arrival`, { action: 'left' });
      expect((await coordinator.get(`/org/shifts/${shiftId}`)).text).toMatch(
        /arrived \d\d:\d\d by a coordinator · left \d\d:\d\d by a coordinator/,
      );
      expect(
        (await coordinator.post(`/org/shifts/${shiftId}/bookings/${bookingId}/arrival`, { action: 'gone' })).status,
      ).toBe(422);

      const poster = await coordinator.get(`/org/shifts/${shiftId}/arrival-poster`);
      expect(poster.status).toBe(200);
      expect(poster.text).toContain('Scan when you arrive');
      expect(poster.text).toMatch(/<svg[^>]*viewBox/);
    });
  });

  describe('the kiosk', () => {
    async function openKiosk(shiftId: string) {
      const coordinator = new PageSession(h, { ks_session: org.token });
      await coordinator.get(`/org/shifts/${shiftId}/kiosk`);
      const opened = await coordinator.post(`/org/shifts/${shiftId}/kiosk`, {});
      expect(opened.status).toBe(303);
      expect(opened.headers.location).toBe('/kiosk');
      const token = coordinator.cookie('ks_kiosk');
      expect(token).toBeTruthy();
      const kiosk = new PageSession(h, { ks_kiosk: token! });
      return { kiosk, coordinator };
    }

    it('lists first names and initials only, and a tap marks arrived, then left', async () => {
      const shiftId = await shift(5);
      const ada = await volunteer('lin', 'Lin Wexford-Smythe');
      const bo = await volunteer('bo', 'Bo Castellano');
      const adaBooking = await book(shiftId, ada.accountId);
      await book(shiftId, bo.accountId);
      const { kiosk } = await openKiosk(shiftId);

      const list = await kiosk.get('/kiosk');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Lin W.');
      expect(list.text).toContain('Bo C.');
      for (const secret of ['Wexford', 'Castellano', ada.email, bo.email, '@arrivals.example.org', 'href="/org'])
        expect(list.text).not.toContain(secret);

      expect((await kiosk.post('/kiosk/tap', { bookingId: adaBooking }, '_kiosk')).status).toBe(303);
      expect((await arrivalRows(shiftId)).find((r) => r.booking_id === adaBooking)).toMatchObject({
        arrived_via: 'kiosk',
      });
      expect(await bookingStatus(adaBooking)).toBe('attended');
      const tapped = await kiosk.get(`/kiosk?tapped=${adaBooking}`);
      expect(tapped.text).toMatch(/Lin W\. arrived at \d\d:\d\d/);

      // A double tap is not leaving; a tap a minute or more after arriving is.
      await kiosk.post('/kiosk/tap', { bookingId: adaBooking }, '_kiosk');
      expect((await arrivalRows(shiftId)).find((r) => r.booking_id === adaBooking)).toMatchObject({ left_at: null });
      await db.query(`update arrivals set arrived_at = arrived_at - interval '2 minutes' where booking_id = $1`, [
        adaBooking,
      ]);
      await kiosk.post('/kiosk/tap', { bookingId: adaBooking }, '_kiosk');
      expect((await arrivalRows(shiftId)).find((r) => r.booking_id === adaBooking)).toMatchObject({
        left_via: 'kiosk',
      });
      // A third tap changes nothing.
      await kiosk.post('/kiosk/tap', { bookingId: adaBooking }, '_kiosk');
      expect(await arrivalRows(shiftId)).toHaveLength(1);

      // A forged form token is refused; nothing recorded.
      const other = await book(shiftId, (await volunteer('cy', 'Cy Young')).accountId);
      const forged = await h.request('POST', '/kiosk/tap', {
        headers: { ...HTML, cookie: `ks_kiosk=${kiosk.cookie('ks_kiosk')}` },
        form: { _kiosk: 'forged', bookingId: other },
      });
      expect(forged.status).toBe(403);
      expect(await arrivalRows(shiftId)).toHaveLength(1);
    });

    it('keeps the coordinator’s session and the kiosk apart', async () => {
      const shiftId = await shift(5);
      const { kiosk } = await openKiosk(shiftId);
      // The kiosk cookie is no session: /org refuses it.
      const org401 = await h.request('GET', '/org', {
        headers: { ...HTML, cookie: `ks_kiosk=${kiosk.cookie('ks_kiosk')}` },
      });
      expect(org401.status).toBe(401);
      // And the session cookie is no kiosk.
      const noKiosk = await h.request('GET', '/kiosk', { headers: { ...HTML, cookie: `ks_session=${org.token}` } });
      expect(noKiosk.status).toBe(401);
      expect(noKiosk.text).toContain('Kiosk locked — a coordinator can open it again');
    });

    it('adds a registered walk-in while a place is free and refuses one more on a full shift', async () => {
      const shiftId = await shift(-5, 2);
      const booked = await volunteer('dee', 'Dee Booked');
      await book(shiftId, booked.accountId);
      const walkIn = await volunteer('eve', 'Eve Walker');
      const late = await volunteer('fay', 'Fay Late');
      const { kiosk } = await openKiosk(shiftId);
      await kiosk.get('/kiosk');

      const added = await kiosk.post('/kiosk/walk-in', { email: walkIn.email }, '_kiosk');
      expect(added.headers.location).toBe('/kiosk?walk-in=added');
      const { rows } = await db.query(
        `select b.id, b.status, a.arrived_via from bookings b left join arrivals a on a.booking_id = b.id where b.shift_id = $1 and b.volunteer_id = $2`,
        [shiftId, walkIn.accountId],
      );
      expect(rows).toEqual([{ id: expect.any(String), status: 'attended', arrived_via: 'kiosk' }]);
      expect((await db.query(`select filled, capacity, status from shifts where id = $1`, [shiftId])).rows[0]).toEqual({
        filled: 2,
        capacity: 2,
        status: 'full',
      });
      expect((await kiosk.get('/kiosk')).text).toContain('Eve W.');

      // Full: refused, no booking, no overbooking; the same answer as an unknown email.
      const full = await kiosk.post('/kiosk/walk-in', { email: late.email }, '_kiosk');
      const unknown = await kiosk.post('/kiosk/walk-in', { email: 'nobody@arrivals.example.org' }, '_kiosk');
      expect(full.headers.location).toBe('/kiosk?walk-in=not-added');
      expect(unknown.headers.location).toBe(full.headers.location);
      expect(
        (
          await db.query(`select count(*)::int as n from bookings where shift_id = $1 and volunteer_id = $2`, [
            shiftId,
            late.accountId,
          ])
        ).rows[0].n,
      ).toBe(0);
      expect((await db.query(`select filled from shifts where id = $1`, [shiftId])).rows[0].filled).toBe(2);
      const page = await kiosk.get('/kiosk?walk-in=not-added');
      expect(page.text).toContain('Nobody was added');
      expect(page.text).not.toContain(late.email);
    });

    it('gives the last place to exactly one of two walk-ins added at the same moment', async () => {
      const shiftId = await shift(0, 1);
      const [one, two] = await Promise.all([volunteer('uma', 'Uma One'), volunteer('vic', 'Vic Two')]);
      const { kiosk } = await openKiosk(shiftId);
      await kiosk.get('/kiosk');
      const answers = await Promise.all(
        [one, two].map((v) => kiosk.post('/kiosk/walk-in', { email: v.email }, '_kiosk')),
      );
      expect(answers.map((a) => a.headers.location).sort()).toEqual([
        '/kiosk?walk-in=added',
        '/kiosk?walk-in=not-added',
      ]);
      expect((await db.query(`select filled, status from shifts where id = $1`, [shiftId])).rows[0]).toEqual({
        filled: 1,
        status: 'full',
      });
      expect((await db.query(`select count(*)::int as n from bookings where shift_id = $1`, [shiftId])).rows[0].n).toBe(
        1,
      );
    });

    it('refuses a walk-in who has an overlapping booking elsewhere', async () => {
      const shiftId = await shift(0, 3);
      const elsewhere = await shift(30, 3);
      const busy = await volunteer('gil', 'Gil Busy');
      await book(elsewhere, busy.accountId);
      const { kiosk } = await openKiosk(shiftId);
      await kiosk.get('/kiosk');
      expect((await kiosk.post('/kiosk/walk-in', { email: busy.email }, '_kiosk')).headers.location).toBe(
        '/kiosk?walk-in=not-added',
      );
      expect((await db.query(`select filled from shifts where id = $1`, [shiftId])).rows[0].filled).toBe(0);
    });

    it('locks after the idle time without a tap, and can be opened again', async () => {
      const shiftId = await shift(0);
      const vol = await volunteer('hal', 'Hal Idle');
      const bookingId = await book(shiftId, vol.accountId);
      const { kiosk } = await openKiosk(shiftId);
      const token = kiosk.cookie('ks_kiosk');
      await kiosk.get('/kiosk');
      await db.query(`update kiosk_sessions set last_activity_at = now() - interval '15 minutes' where shift_id = $1`, [
        shiftId,
      ]);
      const locked = await kiosk.get('/kiosk');
      expect(locked.status).toBe(401);
      expect(locked.text).toContain('Kiosk locked — a coordinator can open it again');
      expect(locked.text).not.toContain('Hal');
      // A tap on the locked kiosk (its own form token, still on the tablet's page) records nothing.
      const tap = await h.request('POST', '/kiosk/tap', {
        headers: { ...HTML, cookie: `ks_kiosk=${token}` },
        form: { _kiosk: kiosk.csrf, bookingId },
      });
      expect(tap.status).toBe(401);
      // And from the old page with no kiosk cookie left: the locked page too.
      const cookieless = await h.request('POST', '/kiosk/tap', {
        headers: HTML,
        form: { _kiosk: kiosk.csrf, bookingId },
      });
      expect(cookieless.status).toBe(401);
      expect(cookieless.text).toContain('Kiosk locked');
      expect(await arrivalRows(shiftId)).toHaveLength(0);

      const again = await openKiosk(shiftId);
      expect((await again.kiosk.get('/kiosk')).status).toBe(200);
    });
  });

  describe('the API for integrators', () => {
    it('lists door records and records times with PUT, checked against the window and the clock', async () => {
      const shiftId = await shift(-20);
      const [p, q] = await Promise.all([volunteer('pia', 'Pia P'), volunteer('quin', 'Quin Q')]);
      const arrived = await book(shiftId, p.accountId);
      const notYet = await book(shiftId, q.accountId);
      await p.page.get(arrivals.arrivalPath(shiftId));
      await p.page.post(arrivals.arrivalPath(shiftId));
      const base = `/api/organisations/${org.organisationId}/shifts/${shiftId}/arrivals`;

      const list = await h.request('GET', base, { token: org.token });
      expect(list.status).toBe(200);
      expect(list.body.shiftId).toBe(shiftId);
      expect(new Date(list.body.closesAt).getTime()).toBeGreaterThan(new Date(list.body.opensAt).getTime());
      expect(list.body.arrivals).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ bookingId: arrived, arrivedVia: 'qr', bookingStatus: 'attended', leftAt: null }),
          expect.objectContaining({ bookingId: notYet, arrivedAt: null, bookingStatus: 'confirmed' }),
        ]),
      );

      const arrivedAt = new Date(Date.now() - 10 * MINUTE).toISOString();
      const leftAt = new Date(Date.now() - MINUTE).toISOString();
      const put = await h.request('PUT', `${base}/${notYet}`, { token: org.token, body: { arrivedAt, leftAt } });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({
        bookingId: notYet,
        bookingStatus: 'attended',
        arrivedAt,
        arrivedVia: 'coordinator',
        leftAt,
        leftVia: 'coordinator',
      });
      // PUT again replaces the record: still one row.
      expect(
        (await h.request('PUT', `${base}/${notYet}`, { token: org.token, body: { arrivedAt } })).body.leftAt,
      ).toBeNull();
      expect((await arrivalRows(shiftId)).filter((r) => r.booking_id === notYet)).toHaveLength(1);

      const bad = await h.request('PUT', `${base}/${notYet}`, {
        token: org.token,
        body: { arrivedAt: new Date(Date.now() + 60 * MINUTE).toISOString(), leftAt: 'soon' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('leftAt');
      const future = await h.request('PUT', `${base}/${notYet}`, {
        token: org.token,
        body: { arrivedAt: new Date(Date.now() + 60 * MINUTE).toISOString() },
      });
      expect(future.status).toBe(422);
      expect(future.body.errors).toEqual([{ field: 'arrivedAt', message: 'must not be in the future' }]);
      const early = await h.request('PUT', `${base}/${notYet}`, {
        token: org.token,
        body: { arrivedAt: new Date(Date.now() - 6 * 60 * MINUTE).toISOString() },
      });
      expect(early.status).toBe(422);
      const unreal = await h.request('PUT', `${base}/${notYet}`, {
        token: org.token,
        body: { arrivedAt: '2026-13-01T10:00Z' },
      });
      expect(unreal.status).toBe(422);
      expect(unreal.body.errors).toEqual([{ field: 'arrivedAt', message: 'must be a real date and time' }]);
      const unknown = await h.request('PUT', `${base}/${shiftId}`, { token: org.token, body: { arrivedAt } });
      expect(unknown.status).toBe(404);

      const other = await organisationWithCoordinator(h, 'arrivals-other');
      expect((await h.request('GET', base, { token: other.token })).status).toBe(403);
      expect((await h.request('GET', base)).status).toBe(401);
      const upcoming = await shift(24 * 60);
      const notOpen = await h.request(
        'PUT',
        `/api/organisations/${org.organisationId}/shifts/${upcoming}/arrivals/${notYet}`,
        {
          token: org.token,
          body: { arrivedAt },
        },
      );
      expect(notOpen.status).toBe(409);
    });
  });

  describe('the no-show sweeper (real worker)', () => {
    it('marks unmarked bookings of shifts that used arrivals as no-shows, keeps marks, and leaves other shifts alone', async () => {
      const used = await shift(-30);
      const [a, b, c] = await Promise.all([
        volunteer('ian', 'Ian A'),
        volunteer('jo', 'Jo B'),
        volunteer('kim', 'Kim C'),
      ]);
      const arrived = await book(used, a.accountId);
      const unmarked = await book(used, b.accountId);
      const markedByPerson = await book(used, c.accountId);
      await a.page.get(arrivals.arrivalPath(used));
      await a.page.post(arrivals.arrivalPath(used));
      await db.query(`update bookings set status = 'attended' where id = $1`, [markedByPerson]);

      const unused = await shift(-30);
      const d = await volunteer('lou', 'Lou D');
      const untouched = await book(unused, d.accountId);

      // Both shifts ended 61 minutes ago (the default grace is 60).
      await moveShift(used, -3 * 60 - 61);
      await moveShift(unused, -3 * 60 - 61);
      await waitUntil(async () => (await bookingStatus(unmarked)) === 'no_show', 15_000, 'the no-show sweep');
      expect(await bookingStatus(arrived)).toBe('attended');
      expect(await bookingStatus(markedByPerson)).toBe('attended');
      expect(await bookingStatus(untouched)).toBe('confirmed');
    });

    it('counts an opened kiosk as using arrivals, and keeps a coordinator’s no-show', async () => {
      const shiftId = await shift(0);
      const [e, f] = await Promise.all([volunteer('max', 'Max E'), volunteer('ned', 'Ned F')]);
      const unmarked = await book(shiftId, e.accountId);
      const noShow = await book(shiftId, f.accountId);
      const coordinator = new PageSession(h, { ks_session: org.token });
      await coordinator.get(`/org/shifts/${shiftId}/kiosk`);
      await coordinator.post(`/org/shifts/${shiftId}/kiosk`, {});
      await db.query(`update bookings set status = 'no_show' where id = $1`, [noShow]);
      await moveShift(shiftId, -3 * 60 - 61);
      await waitUntil(async () => (await bookingStatus(unmarked)) === 'no_show', 15_000, 'the no-show sweep');
      expect(await bookingStatus(noShow)).toBe('no_show');
      expect(await arrivalRows(shiftId)).toHaveLength(0);
    });
  });
});
