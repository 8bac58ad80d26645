import pg from 'pg';
import { DateTime } from 'luxon';
import { JobName } from '../../libs/platform/queue/job-names.js';
import { MatchingService } from '../../libs/matching/matching.service.js';
import { IdentityService } from '../../libs/identity/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, tuesdayEvening } from '../support/actors.js';
import { linkFrom } from '../support/smtp-sink.js';

/** A Saturday morning, London time: outside the test volunteers' Tuesday-evening window, so no wave offers them anything. */
function saturdayMorning(weeksAhead: number) {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: weeksAhead })
    .set({ weekday: 6, hour: 9, minute: 0, second: 0, millisecond: 0 });
  return { startsAt: start.toISO() as string, endsAt: start.plus({ hours: 3 }).toISO() as string };
}

const NAME = 'Zephyrine Quill';
const EMAIL = 'zephyrine@deletion.example.org';
const HOME_LABEL = 'Ancoats, Manchester';

describe('deleting a volunteer account keeps the organisation’s history true', () => {
  let h: Harness;
  let db: pg.Client;
  beforeAll(async () => {
    h = await startHarness('account_deletion');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  async function shift(
    org: { organisationId: string; token: string },
    title: string,
    when: { startsAt: string; endsAt: string },
    capacity: number,
    publish = true,
  ) {
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: { title, ...when, capacity, requiredSkills: ['cooking'], publish },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function book(shiftId: string, volunteerId: string, status = 'confirmed'): Promise<string> {
    const { rows } = await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) select id, $2, $3, tstzrange(starts_at, ends_at) from shifts where id = $1 returning id`,
      [shiftId, volunteerId, status],
    );
    await db.query(
      `update shifts set filled = filled + 1, status = case when filled + 1 = capacity then 'full'::shift_status else status end where id = $1`,
      [shiftId],
    );
    return rows[0].id;
  }

  /** Every table and text-like column in which `needle` appears (case-insensitive). */
  async function whereFound(needle: string): Promise<string[]> {
    const { rows: columns } = await db.query(
      `select table_name, column_name from information_schema.columns c
        where table_schema = 'public' and (data_type in ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY') or udt_name = 'citext')
          and exists (select 1 from information_schema.tables t where t.table_schema = 'public' and t.table_name = c.table_name and t.table_type = 'BASE TABLE')`,
    );
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await db.query(
        `select count(*)::int as n from "${table}" where "${column}"::text ilike '%' || $1 || '%'`,
        [needle],
      );
      if (rows[0].n > 0) found.push(`${table}.${column}`);
    }
    return found;
  }

  it('an attended shift stays attended by "Former volunteer", the future seat is freed, nothing personal is left', async () => {
    const org = await organisationWithCoordinator(h, 'deletion');
    const zeph = await confirmedVolunteer(h, EMAIL, {
      name: NAME,
      home: { query: 'Manchester, GB', lat: 53.48, lon: -2.23 },
    });
    await db.query(`update volunteers set home_label = $2, check_in_consent_at = now() where account_id = $1`, [
      zeph.accountId,
      HOME_LABEL,
    ]);
    const other = await confirmedVolunteer(h, 'other@deletion.example.org', { name: 'Omar' });

    // The past shift she attended (and Omar missed), with her answered check-in.
    const past = await shift(org, 'Breakfast club', saturdayMorning(1), 2);
    const attended = await book(past, zeph.accountId, 'attended');
    await book(past, other.accountId, 'no_show');
    await db.query(
      `update shifts set starts_at = now() - interval '30 hours', ends_at = now() - interval '27 hours' where id = $1`,
      [past],
    );
    await db.query(
      `update bookings b set period = tstzrange(s.starts_at, s.ends_at) from shifts s where s.id = b.shift_id and s.id = $1`,
      [past],
    );
    await db.query(
      `insert into check_ins (volunteer_id, booking_id, kind, status, due_at, sent_at, answered_at, mood, note_encrypted)
       values ($1, $2, 'mood', 'answered', now(), now(), now(), 2, '\\x0102'::bytea)`,
      [zeph.accountId, attended],
    );
    // A declined offer on another past-style shift stays on its roster; a pending one is withdrawn.
    const upcoming = await shift(org, 'Soup run', saturdayMorning(2), 2);
    const future = await book(upcoming, zeph.accountId);
    await book(upcoming, other.accountId);
    const offered = await shift(org, 'Food parcels', saturdayMorning(3), 1);
    const pendingOffer = (
      await db.query(
        `insert into offers (shift_id, volunteer_id, explanation, expires_at) values ($1, $2, '1.2 km away · fits your Saturday', now() + interval '1 day') returning id`,
        [offered, zeph.accountId],
      )
    ).rows[0].id;
    const draft = await shift(org, 'Tuesday supper', tuesdayEvening(2), 2, false);
    const matching = h.api.get(MatchingService);
    expect((await matching.findMatchesForShift(draft, { limit: 10 })).matches.map((m) => m.volunteerId)).toContain(
      zeph.accountId,
    );

    // The confirmation page says what stays.
    const asked = await h.request('GET', '/me/data/delete', { token: zeph.token, headers: { accept: 'text/html' } });
    expect(asked.text).toMatch(/anonymous line[\s\S]*Former volunteer/);
    expect((await h.request('DELETE', '/api/me', { token: zeph.token })).status).toBe(204);

    // The coordinator's roster (API): the attended booking is still there, by a former volunteer.
    const roster = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${past}/roster`, {
      token: org.token,
    });
    expect(roster.status).toBe(200);
    expect(roster.body).toMatchObject({ filled: 2, capacity: 2 });
    const bookings = roster.body.entries.filter((e: { kind: string }) => e.kind === 'booking');
    expect(bookings.map((e: { name: string; status: string }) => [e.name, e.status]).sort()).toEqual([
      ['Former volunteer', 'attended'],
      ['Omar', 'no_show'],
    ]);
    const formerId = bookings.find((e: { name: string }) => e.name === 'Former volunteer').volunteerId;
    expect(formerId).not.toBe(zeph.accountId);
    // …and the page.
    const page = await h.request('GET', `/org/shifts/${past}`, { token: org.token, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Former volunteer[\s\S]*Booking: attended/);
    expect(page.text).not.toContain('No offers sent yet');
    expect(page.text).toMatch(/2 of 2 booked/);

    // The future seat is freed (as a volunteer's own cancellation) and the waves restart; no mail is queued for her.
    const seat = await db.query(
      `select s.filled, s.status, b.status as booking from shifts s join bookings b on b.shift_id = s.id where b.id = $1`,
      [future],
    );
    expect(seat.rows[0]).toEqual({ filled: 1, status: 'open', booking: 'cancelled' });
    const jobs = (await db.query(`select job_name, job_id, payload::text from outbox`)).rows;
    expect(jobs.map((j) => j.job_id)).toContain(`${JobName.OfferWave}-${upcoming}-freed-${future}`);
    expect(
      jobs.filter((j) => j.job_name === JobName.BookingCancelledEmail || j.job_name === JobName.OfferWithdrawnEmail),
    ).toEqual([]);
    const offer = await db.query(`select status, explanation, volunteer_id from offers where id = $1`, [pendingOffer]);
    expect(offer.rows[0]).toEqual({ status: 'withdrawn', explanation: '', volunteer_id: formerId });
    expect((await db.query(`select filled from shifts where id = $1`, [offered])).rows[0].filled).toBe(0);

    // Nothing personal is left: not her email, name or home, nor anything under her old id.
    for (const needle of [EMAIL, NAME, 'Zephyrine', HOME_LABEL]) expect(await whereFound(needle)).toEqual([]);
    const former = await db.query(
      `select v.name, v.home_lat, v.home_lon, v.travel_km, v.skills, v.causes, v.country, v.home_label, v.offers_consent_at, v.check_in_consent_at,
              v.deleted_at is not null as deleted, v.status, v.email_verified, a.email, a.email_verified_at
         from volunteers v join accounts a on a.id = v.account_id where v.account_id = $1`,
      [formerId],
    );
    expect(former.rows[0]).toEqual({
      name: 'Former volunteer',
      home_lat: null,
      home_lon: null,
      travel_km: null,
      skills: [],
      causes: '{}',
      country: null,
      home_label: null,
      offers_consent_at: null,
      check_in_consent_at: null,
      deleted: true,
      status: 'paused',
      email_verified: false,
      email: null,
      email_verified_at: null,
    });
    const leftovers = await db.query(
      `select (select count(*) from accounts where id = $1)::int as accounts, (select count(*) from volunteers where account_id = $1)::int as volunteers,
              (select count(*) from check_ins where volunteer_id in ($1, $2) or booking_id = $3)::int as check_ins,
              (select count(*) from sessions where account_id = $1)::int as sessions, (select count(*) from link_tokens where account_id = $1)::int as tokens,
              (select count(*) from availability_windows where volunteer_id in ($1, $2))::int as windows,
              (select count(*) from email_deliveries where account_id = $1)::int as deliveries,
              (select count(*) from bookings where volunteer_id = $1)::int + (select count(*) from offers where volunteer_id = $1)::int as history_under_old_id`,
      [zeph.accountId, formerId, attended],
    );
    expect(leftovers.rows[0]).toEqual({
      accounts: 0,
      volunteers: 0,
      check_ins: 0,
      sessions: 0,
      tokens: 0,
      windows: 0,
      deliveries: 0,
      history_under_old_id: 0,
    });

    // Matching never finds the former volunteer, and she has no shifts of her own.
    const after = await matching.findMatchesForShift(draft, { limit: 10 });
    expect(after.matches.map((m) => m.volunteerId)).not.toContain(formerId);
    expect(after.matches.map((m) => m.volunteerId)).not.toContain(zeph.accountId);
    expect(await matching.findShiftsForVolunteer(formerId, { limit: 10 })).toEqual([]);

    // Her session is gone, so export finds nothing; the same address registers as a new person.
    expect((await h.request('GET', '/api/me/export', { token: zeph.token })).status).toBe(401);
    const earlier = new Set(h.smtp.messages);
    const registered = await h.request('POST', '/api/volunteers', {
      body: {
        email: EMAIL,
        name: 'Zephyrine Again',
        timeZone: 'Europe/London',
        home: { lat: 53.48, lon: -2.23 },
        travelKm: 5,
        skills: [],
        availability: [],
      },
    });
    expect(registered.status).toBe(202);
    const welcome = await h.smtp.waitFor((m) => !earlier.has(m) && m.to.includes(EMAIL));
    expect(welcome.text).toContain('/links/verify'); // a new sign-up, not "you already have an account"
    const verified = await h.request('POST', '/links/verify', {
      body: { token: linkFrom(welcome, '/links/verify').token },
      headers: { accept: 'application/json' },
    });
    expect(verified.status).toBe(200);
    const again = {
      token: verified.body.token as string,
      accountId: (await h.request('GET', '/api/me', { token: verified.body.token })).body.id as string,
    };
    expect(again.accountId).not.toBe(zeph.accountId);
    expect(again.accountId).not.toBe(formerId);
    expect((await h.request('GET', '/api/me/bookings', { token: again.token })).body).toEqual([]);
    const exported = await h.request('GET', '/api/me/export', { token: again.token });
    expect(exported.body.bookings).toEqual([]);
    expect(exported.body.checkIns).toEqual([]);
    expect(exported.body.offers).toEqual([]);

    // The purge of unconfirmed sign-ups never takes the former volunteer's row (and its history) with it.
    await db.query(`update accounts set created_at = now() - interval '30 days' where id = $1`, [formerId]);
    await h.api.get(IdentityService).purgeUnverified();
    expect(
      (await db.query(`select count(*)::int as n from bookings where volunteer_id = $1`, [formerId])).rows[0].n,
    ).toBe(2);
  });

  it('leaves no former row for someone with no history, and two deletions at once make one', async () => {
    const formerRows = async () =>
      (await db.query(`select count(*)::int as n from volunteers where deleted_at is not null`)).rows[0].n;
    const before = await formerRows();
    const quiet = await confirmedVolunteer(h, 'quiet@deletion.example.org');
    expect((await h.request('DELETE', '/api/me', { token: quiet.token })).status).toBe(204);
    expect(await formerRows()).toBe(before);
    expect((await db.query(`select count(*)::int as n from accounts where id = $1`, [quiet.accountId])).rows[0].n).toBe(
      0,
    );

    const org = await organisationWithCoordinator(h, 'deletion-twice');
    const twice = await confirmedVolunteer(h, 'twice@deletion.example.org');
    const done = await shift(org, 'Done', saturdayMorning(1), 1);
    await book(done, twice.accountId, 'attended');
    const statuses = await Promise.all(
      [1, 2].map(async () => (await h.request('DELETE', '/api/me', { token: twice.token })).status),
    );
    expect(statuses.every((s) => s === 204 || s === 401)).toBe(true);
    expect(statuses).toContain(204);
    expect(await formerRows()).toBe(before + 1);
    expect(
      (
        await db.query(
          `select v.name from bookings b join volunteers v on v.account_id = b.volunteer_id where b.shift_id = $1`,
          [done],
        )
      ).rows,
    ).toEqual([{ name: 'Former volunteer' }]);
  });
});
