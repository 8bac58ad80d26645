import pg from 'pg';
import type { Browser } from 'playwright-core';
import { DateTime } from 'luxon';
import { IdentityService } from '../../libs/identity/index.js';
import type { Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { organisationWithSession, startPageWorld, type PageWorld } from './page-world.js';
import { AxeLog, horizontalOverflow, newContext, screenshots } from './browser.js';

/**
 * The staffing dashboard in a real Chromium: the headline numbers (waitlists and this month's hours
 * among them), the shifts at risk, the three charts as named images drawn by the server, and the
 * same numbers as tables; axe-clean and readable at 360 px. The README's docs/screenshots/dashboard.png is this test's dashboard-1280.png.
 */
describe('staffing dashboard page in a real browser', () => {
  let world: PageWorld;
  let h: Harness;
  let base: string;
  let browser: Browser;
  let db: pg.Client;

  beforeAll(async () => {
    world = await startPageWorld('web_dashboard');
    ({ h, base, browser, db } = world);
  }, 60_000);

  afterAll(() => world?.close());

  it('shows the fortnight, the shifts at risk and attendance, drawn by the server', async () => {
    const identity = h.api.get(IdentityService);
    const org = await organisationWithSession(h, 'dash', 'Kitchen dashboard');
    const session = org.session;
    // Shifts written straight in: one a day for 14 days at 17:00 London, filled unevenly; the third is short and soon.
    await db.query(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
       select $1, $2, 'Supper ' || d, t, t + interval '3 hours', 53.48, -2.24, 4, case when d = 2 then 1 else d % 5 end,
              case when d % 5 = 4 then 'full' else 'open' end::shift_status
       from generate_series(0, 13) d,
            lateral (select ((now() at time zone 'Europe/London')::date + d + time '17:00') at time zone 'Europe/London' as t) x
       where t > now()`,
      [org.id, org.addressId],
    );

    // Supper 2 has two roles: its kitchen lead is booked, its three servers' seats are all open.
    await db.query(
      `with s as (select id from shifts where organisation_id = $1 and title = 'Supper 2'),
            lead as (update shift_roles set name = 'Kitchen lead', capacity = 1, filled = 1 where shift_id = (select id from s))
       insert into shift_roles (shift_id, position, name, capacity, filled) select id, 1, 'Servers', 3, 0 from s`,
      [org.id],
    );

    // Twelve weeks of past Saturday shifts, three volunteers each, one of them missing now and then.
    const people: string[] = [];
    for (const name of ['Ana', 'Ben', 'Cai']) {
      const email = `${name.toLowerCase()}@dash.example.org`;
      const signedUp = await h.request('POST', '/api/volunteers', {
        body: { email, name, timeZone: 'Europe/London', home: MANCHESTER, travelKm: 10, skills: [], availability: [] },
      });
      expect(signedUp.status).toBe(202);
      people.push((await identity.findAccountByEmail(email))!.id);
    }
    await db.query(
      `with past as (
         insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
         select $1, $2, 'Saturday lunch ' || w, now() - w * interval '7 days', now() - w * interval '7 days' + interval '3 hours', 53.48, -2.24, 3, 3, 'completed'
         from generate_series(1, 12) w returning id, period, title)
       insert into bookings (shift_id, volunteer_id, status, period)
       select p.id, v.id, case when (extract(doy from lower(p.period))::int + v.n::int) % 5 = 0 then 'no_show' else 'attended' end::booking_status, p.period
       from past p, unnest($3::uuid[]) with ordinality as v(id, n)`,
      [org.id, org.addressId, people],
    );
    // Waitlists: everyone waits on the full shifts; one waits on the short one (Supper 2).
    const { rowCount: waiting } = await db.query(
      `insert into waitlist_entries (shift_id, volunteer_id)
       select s.id, v from shifts s, unnest($2::uuid[]) v where s.organisation_id = $1 and s.status = 'full'`,
      [org.id, people],
    );
    await db.query(
      `insert into waitlist_entries (shift_id, volunteer_id) select id, $2 from shifts where organisation_id = $1 and title = 'Supper 2'`,
      [org.id, people[0]],
    );
    // Hours this month: the Saturdays' attended bookings (credited by the ledger) and logged hours, one approved.
    const monthStart = DateTime.now().setZone('Europe/London').startOf('month');
    await db.query(
      `insert into hours_entries (kind, volunteer_id, organisation_id, status, work_date, logged_minutes, description)
       values ('logged', $1, $3, 'approved', $4, 90, 'Sorting donations'), ('logged', $2, $3, 'pending', $4, 60, 'Leaflets')`,
      [people[0], people[1], org.id, monthStart.toISODate()],
    );
    const { rows: attendedThisMonth } = await db.query(
      `select count(*)::int as n from bookings b join shifts s on s.id = b.shift_id
        where s.organisation_id = $1 and b.status = 'attended' and (s.starts_at at time zone 'Europe/London')::date >= $2::date`,
      [org.id, monthStart.toISODate()],
    );
    const monthHours = String(Math.round(((attendedThisMonth[0].n * 180 + 90) / 60) * 100) / 100);
    const axe = new AxeLog();
    // The charts are in the HTML the server sends: nothing is drawn by a script.
    const html = await h.request('GET', '/org/dashboard', { token: session, headers: { accept: 'text/html' } });
    expect(html.text.match(/<svg [^>]*role="img"/g)).toHaveLength(3);
    const context = await newContext(browser);
    await context.addCookies([{ name: 'ks_session', value: session, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/org`);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Staffing dashboard', level: 1 }).waitFor();
    const main = (await page.textContent('main')) ?? '';
    expect(main).toMatch(/\d+\s*shifts in the next 14 days/);
    const risk = page.locator('section', { has: page.getByRole('heading', { name: 'Shifts at risk' }) });
    expect(await risk.textContent()).toMatch(
      /Supper 2[\s\S]*needs 3 more[\s\S]*1 waiting[\s\S]*short of Servers \(3\)/,
    );
    // The multi-role shift's row gives each role's fill; one-role rows give none.
    const supper2 = page
      .locator('section', { has: page.getByRole('heading', { name: 'Every shift' }) })
      .locator('tbody tr', { hasText: 'Supper 2' });
    expect(await supper2.locator(':nth-child(3)').textContent()).toMatch(/1 of 4\s*Kitchen lead 1\/1 · Servers 0\/3/);
    expect(await page.locator('.role-fill').count()).toBe(1);
    expect(main).toMatch(new RegExp(`${(waiting ?? 0) + 1}\\s*waiting on waitlists`));
    expect(main).toMatch(
      new RegExp(`${monthHours.replace('.', '\\.')}\\s*hours credited in ${monthStart.toFormat('LLLL yyyy')}`),
    );
    expect(await page.getByRole('img', { name: 'Hours credited per week this month' }).count()).toBe(1);
    // The shift table's Waitlist column (5th cell) adds up to the same total.
    const waitlistCells = await page
      .locator('section', { has: page.getByRole('heading', { name: 'Every shift' }) })
      .locator('tbody tr > :nth-child(5)')
      .allTextContents();
    expect(waitlistCells.reduce((n, t) => n + Number(t), 0)).toBe((waiting ?? 0) + 1);
    expect(
      await page.getByRole('img', { name: 'Places booked and still open, per day, for the next 14 days' }).count(),
    ).toBe(1);
    expect(await page.getByRole('img', { name: 'Attended and no-shows per week, the last 13 weeks' }).count()).toBe(1);
    const rows = await page
      .locator('section', { has: page.getByRole('heading', { name: 'Every shift' }) })
      .locator('tbody tr')
      .count();
    const { rows: counted } = await db.query(
      `select count(*) filter (where starts_at > now())::int as upcoming,
              (select count(*) from bookings b join shifts s on s.id = b.shift_id where s.organisation_id = $1 and b.status = 'attended')::int as attended,
              (select count(*) from bookings b join shifts s on s.id = b.shift_id where s.organisation_id = $1 and b.status = 'no_show')::int as no_shows
       from shifts where organisation_id = $1`,
      [org.id],
    );
    expect(rows).toBe(counted[0].upcoming);
    expect(counted[0].no_shows).toBeGreaterThan(0);
    expect(main).toContain(`${counted[0].attended} attended · ${counted[0].no_shows} no-shows`);
    await axe.check(page, 'dashboard');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshots(page, 'dashboard');
    expect(axe.problems).toEqual([]);
    axe.report();
    await context.close();
  }, 90_000);
});
