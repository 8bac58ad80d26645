import pg from 'pg';
import { linkFrom } from '../support/smtp-sink.js';
import { startHarness, type Harness } from '../support/harness.js';
import { IdentityService } from '../../libs/identity/index.js';

const registration = (email: string, overrides: Record<string, unknown> = {}) => ({
  email,
  name: 'Sam',
  timeZone: 'Europe/London',
  home: { lat: 53.48123, lon: -2.24271 },
  travelKm: 8,
  skills: ['cooking', 'first-aid'],
  causes: ['soup_kitchen'],
  weeklyShiftCap: 2,
  availability: [
    { weekday: 2, start: '17:00', end: '21:00' },
    { weekday: 5, start: '22:00', end: '02:00' },
  ],
  exceptions: [{ startsOn: '2026-12-24', endsOn: '2026-12-27' }],
  ...overrides,
});

describe('volunteer registration and profile', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('registration');
  });
  afterAll(async () => {
    await h.close();
  });

  it('register → verification email → GET page changes nothing → POST confirms → own profile', async () => {
    const res = await h.request('POST', '/api/volunteers', { body: registration('sam@example.org') });
    expect(res.status).toBe(202);

    const mail = await h.smtp.waitFor((m) => m.to.includes('sam@example.org') && /confirm/i.test(m.subject));
    const { token } = linkFrom(mail, '/links/verify');
    expect(mail.html).toContain('/links/verify?token=');

    const page = await h.request('GET', `/links/verify?token=${encodeURIComponent(token)}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post" action="/links/verify">');
    const db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    const before = await db.query(`select email_verified_at from accounts where email = 'sam@example.org'`);
    expect(before.rows[0].email_verified_at).toBeNull();

    const confirmed = await h.request('POST', '/links/verify', {
      body: { token },
      headers: { accept: 'application/json' },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.role).toBe('volunteer');
    const after = await db.query(
      `select email_verified_at, token_hash from accounts a join link_tokens t on t.account_id = a.id where email = 'sam@example.org'`,
    );
    expect(after.rows[0].email_verified_at).not.toBeNull();
    expect(after.rows[0].token_hash).not.toContain(token); // stored hashed

    const again = await h.request('POST', '/links/verify', {
      body: { token },
      headers: { accept: 'application/json' },
    });
    expect(again.status).toBe(410);

    const me = await h.request('GET', '/api/me', { token: confirmed.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: 'sam@example.org',
      emailVerified: true,
      timeZone: 'Europe/London',
      skills: ['cooking', 'first-aid'],
    });
    expect(me.body.home).toEqual({ label: null, lat: 53.48, lon: -2.24 }); // rounded to an area, not the exact point
    expect(me.body.availability).toEqual([
      { weekday: 2, start: '17:00', end: '21:00' },
      { weekday: 5, start: '22:00', end: '02:00' },
    ]);
    await db.end();
  });

  it('cookie session from the HTML form POST', async () => {
    await h.request('POST', '/api/volunteers', { body: registration('cookie@example.org') });
    const mail = await h.smtp.waitFor((m) => m.to.includes('cookie@example.org'));
    const { token } = linkFrom(mail, '/links/verify');
    const res = await h.request('POST', '/links/verify', { form: { token }, headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/ks_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await h.request('GET', '/api/me', { headers: { cookie: cookie.split(';')[0] } });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('cookie@example.org');
  });

  it('resolves a place name offline and stores the area centroid', async () => {
    const res = await h.request('POST', '/api/volunteers', {
      body: registration('place@example.org', { home: { query: 'Manchester, GB' } }),
    });
    expect(res.status).toBe(202);
    const mail = await h.smtp.waitFor((m) => m.to.includes('place@example.org'));
    const session = await h.request('POST', '/links/verify', {
      body: { token: linkFrom(mail, '/links/verify').token },
      headers: { accept: 'application/json' },
    });
    expect(session.status).toBe(200);
    const me = await h.request('GET', '/api/me', { token: session.body.token });
    expect(me.body.home.label).toMatch(/Manchester/);
    expect(Math.abs(me.body.home.lat - 53.48)).toBeLessThan(0.1);
  });

  it('rejects unknown skills with the list of valid ones, and bad zones and windows by field', async () => {
    const skills = await h.request('POST', '/api/volunteers', {
      body: registration('x@example.org', { skills: ['juggling'] }),
    });
    expect(skills.status).toBe(422);
    expect(skills.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(skills.body.errors[0].field).toBe('skills');
    expect(skills.body.errors[0].message).toMatch(/valid skills are: .*cooking/);

    const zone = await h.request('POST', '/api/volunteers', {
      body: registration('x@example.org', { timeZone: 'Mars/Olympus' }),
    });
    expect(zone.status).toBe(422);
    expect(zone.body.errors.map((e: { field: string }) => e.field)).toContain('timeZone');

    const window = await h.request('POST', '/api/volunteers', {
      body: registration('x@example.org', { availability: [{ weekday: 8, start: '25:00', end: '10:00' }] }),
    });
    expect(window.status).toBe(422);
    expect(window.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['availability.0.weekday']),
    );

    const unknownField = await h.request('POST', '/api/volunteers', {
      body: registration('x@example.org', { isAdmin: true }),
    });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.errors[0].field).toBe('isAdmin');
  });

  it('a second sign-up with a known address says the same and sends a sign-in link instead', async () => {
    await h.request('POST', '/api/volunteers', { body: registration('twice@example.org') });
    await h.smtp.waitFor((m) => m.to.includes('twice@example.org'));
    const second = await h.request('POST', '/api/volunteers', { body: registration('twice@example.org') });
    expect(second.status).toBe(202);
    const mails = await h.smtp.waitFor(
      (m) =>
        m.to.includes('twice@example.org') &&
        h.smtp.messages.filter((x) => x.to.includes('twice@example.org')).length === 2,
    );
    expect(mails).toBeDefined();
  });

  it('sign-in by magic link, profile update, export and real deletion', async () => {
    await h.request('POST', '/api/volunteers', { body: registration('full@example.org') });
    const verify = await h.smtp.waitFor((m) => m.to.includes('full@example.org'));
    await h.request('POST', '/links/verify', {
      body: { token: linkFrom(verify, '/links/verify').token },
      headers: { accept: 'application/json' },
    });

    expect((await h.request('POST', '/api/auth/sign-in', { body: { email: 'full@example.org' } })).status).toBe(202);
    expect((await h.request('POST', '/api/auth/sign-in', { body: { email: 'nobody@example.org' } })).status).toBe(202);
    const signIn = await h.smtp.waitFor((m) => m.to.includes('full@example.org') && /sign in/i.test(m.subject));
    const { token: linkToken } = linkFrom(signIn, '/links/sign-in');
    const session = await h.request('POST', '/links/sign-in', {
      body: { token: linkToken },
      headers: { accept: 'application/json' },
    });
    expect(session.status).toBe(200);
    const token = session.body.token;

    const updated = await h.request('PATCH', '/api/me', {
      token,
      body: { travelKm: 15, paused: true, availability: [{ weekday: 6, start: '09:00', end: '13:00' }] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      travelKm: 15,
      status: 'paused',
      availability: [{ weekday: 6, start: '09:00', end: '13:00' }],
    });
    expect(updated.body.exceptions).toEqual([{ startsOn: '2026-12-24', endsOn: '2026-12-27' }]);

    const exported = await h.request('GET', '/api/me/export', { token });
    expect(exported.status).toBe(200);
    expect(exported.body.profile.email).toBe('full@example.org');
    expect(exported.body.emails.length).toBeGreaterThanOrEqual(2);

    expect((await h.request('DELETE', '/api/me', { token })).status).toBe(204);
    expect((await h.request('GET', '/api/me', { token })).status).toBe(401);
    const db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    const left = await db.query(`select
      (select count(*) from accounts where email = 'full@example.org')::int as accounts,
      (select count(*) from email_deliveries d where d.account_id is not null and not exists (select 1 from accounts a where a.id = d.account_id))::int as orphans`);
    await db.end();
    expect(left.rows[0]).toEqual({ accounts: 0, orphans: 0 });
  });

  it('purges sign-ups that never confirmed, after the configured time, and keeps confirmed ones', async () => {
    await h.request('POST', '/api/volunteers', { body: registration('stale@example.org') });
    await h.smtp.waitFor((m) => m.to.includes('stale@example.org'));
    const db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    await db.query(
      `update accounts set created_at = now() - interval '8 days' where email in ('stale@example.org', 'sam@example.org')`,
    );
    const purged = await h.worker!.get(IdentityService).purgeUnverified();
    const left = await db.query(`select email from accounts where email in ('stale@example.org', 'sam@example.org')`);
    const windows = await db.query(
      `select count(*)::int as n from availability_windows w left join volunteers v on v.account_id = w.volunteer_id where v.account_id is null`,
    );
    await db.end();
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(left.rows.map((r) => r.email)).toEqual(['sam@example.org']);
    expect(windows.rows[0].n).toBe(0);
  });
});
