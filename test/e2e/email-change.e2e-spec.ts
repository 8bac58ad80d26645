import pg from 'pg';
import { confirmedVolunteer, organisationWithCoordinator } from '../support/actors.js';
import { startHarness, type Harness } from '../support/harness.js';
import { linkFrom, type ReceivedMail } from '../support/smtp-sink.js';

const json = { accept: 'application/json' };

describe('changing the email address', () => {
  let h: Harness;
  let db: pg.Client;
  beforeAll(async () => {
    h = await startHarness('email-change');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  const mailTo = (email: string, subject: RegExp) =>
    h.smtp.waitFor((m) => m.to.includes(email) && subject.test(m.subject));
  const emailOf = async (accountId: string) =>
    (await db.query(`select email::text from accounts where id = $1`, [accountId])).rows[0]?.email;
  /** Signs in by magic link; the session token, or the status when no link comes (no such account). */
  const signIn = async (email: string) => {
    const before = h.smtp.messages.length;
    expect((await h.request('POST', '/api/auth/sign-in', { body: { email } })).status).toBe(202);
    const mail = await h.smtp.waitFor(
      (m) => h.smtp.messages.indexOf(m) >= before && m.to.includes(email) && /sign in/i.test(m.subject),
    );
    const session = await h.request('POST', '/links/sign-in', {
      body: { token: linkFrom(mail, '/links/sign-in').token },
      headers: json,
    });
    expect(session.status).toBe(200);
    return session.body.token as string;
  };
  /** Whether sign-in by this address would send a link: the outbox row it writes, or none. */
  const signInQueued = async (email: string) => {
    const before = Number(
      (await db.query(`select count(*) from outbox where job_name = 'email.sign-in'`)).rows[0].count,
    );
    expect((await h.request('POST', '/api/auth/sign-in', { body: { email } })).status).toBe(202);
    return (
      Number((await db.query(`select count(*) from outbox where job_name = 'email.sign-in'`)).rows[0].count) > before
    );
  };

  it('confirm link to the new address, notice to the old; the old address signs in until confirmed, the new one after', async () => {
    const { token, accountId } = await confirmedVolunteer(h, 'robin.old@example.org');
    const requested = await h.request('POST', '/api/me/email', { token, body: { email: 'Robin.New@example.org' } });
    expect(requested.status).toBe(202);

    const confirm = await mailTo('robin.new@example.org', /confirm your new email/i);
    const notice = await mailTo('robin.old@example.org', /being changed/i);
    expect(notice.text).toContain('r***@example.org');
    expect(notice.text).not.toContain('robin.new@example.org');
    const cancelLink = linkFrom(notice, '/links/email-change-cancel');
    expect(cancelLink.token.length).toBeGreaterThan(20);
    const { token: confirmToken } = linkFrom(confirm, '/links/email-change');

    // Before confirming: nothing changed, the old address signs in, the new one is nobody's.
    expect(await emailOf(accountId)).toBe('robin.old@example.org');
    expect(await signInQueued('robin.new@example.org')).toBe(false);
    await signIn('robin.old@example.org');

    // A mail scanner opening the link changes nothing.
    const page = await h.request('GET', `/links/email-change?token=${encodeURIComponent(confirmToken)}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post" action="/links/email-change">');
    expect(await emailOf(accountId)).toBe('robin.old@example.org');

    const confirmed = await h.request('POST', '/links/email-change', { body: { token: confirmToken }, headers: json });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ email: 'robin.new@example.org' });
    expect(await emailOf(accountId)).toBe('robin.new@example.org');

    // Sessions stay; the new address signs in, the old one no longer does; the old address is told.
    const me = await h.request('GET', '/api/me', { token });
    expect(me.body).toMatchObject({ email: 'robin.new@example.org', emailVerified: true });
    const exported = await h.request('GET', '/api/me/export', { token });
    expect(exported.body.emailChanges).toEqual([
      expect.objectContaining({
        old_email: 'robin.old@example.org',
        new_email: 'robin.new@example.org',
        cancelled_at: null,
      }),
    ]);
    const changed = await mailTo('robin.old@example.org', /was changed/i);
    expect(changed.text).toContain('r***@example.org');
    await signIn('robin.new@example.org');
    expect(await signInQueued('robin.old@example.org')).toBe(false);

    // Used links are used: the confirmation again, and the cancel link of a change already made.
    expect(
      (await h.request('POST', '/links/email-change', { body: { token: confirmToken }, headers: json })).status,
    ).toBe(410);
    expect(
      (await h.request('POST', '/links/email-change-cancel', { body: { token: cancelLink.token }, headers: json }))
        .status,
    ).toBe(410);
    // The tokens are stored hashed.
    const stored = await db.query(
      `select token_hash from link_tokens where account_id = $1 and purpose in ('email_change', 'email_change_cancel')`,
      [accountId],
    );
    expect(stored.rows.length).toBe(2);
    for (const row of stored.rows) expect([confirmToken, cancelLink.token]).not.toContain(row.token_hash);
  });

  it('the cancel link to the old address stops the change (GET shows a page, POST cancels)', async () => {
    const { token, accountId } = await confirmedVolunteer(h, 'kit.old@example.org');
    expect((await h.request('POST', '/api/me/email', { token, body: { email: 'kit.new@example.org' } })).status).toBe(
      202,
    );
    const confirm = await mailTo('kit.new@example.org', /confirm your new email/i);
    const cancel = linkFrom(await mailTo('kit.old@example.org', /being changed/i), '/links/email-change-cancel');

    const page = await h.request('GET', `/links/email-change-cancel?token=${encodeURIComponent(cancel.token)}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post" action="/links/email-change-cancel">');
    expect(
      (
        await db.query(
          `select count(*)::int as n from email_changes where account_id = $1 and cancelled_at is null and confirmed_at is null`,
          [accountId],
        )
      ).rows[0].n,
    ).toBe(1);

    const cancelled = await h.request('POST', '/links/email-change-cancel', {
      body: { token: cancel.token },
      headers: json,
    });
    expect(cancelled.status).toBe(200);
    expect(
      (
        await h.request('POST', '/links/email-change', {
          body: { token: linkFrom(confirm, '/links/email-change').token },
          headers: json,
        })
      ).status,
    ).toBe(410);
    expect(await emailOf(accountId)).toBe('kit.old@example.org');
  });

  it('a taken address is refused with 409 naming email, also when it is taken between request and confirmation', async () => {
    await confirmedVolunteer(h, 'taken@example.org');
    const { token, accountId } = await confirmedVolunteer(h, 'lee@example.org');
    const taken = await h.request('POST', '/api/me/email', { token, body: { email: 'TAKEN@example.org' } });
    expect(taken.status).toBe(409);
    expect(taken.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(taken.body.errors).toEqual([{ field: 'email', message: expect.stringMatching(/already/) }]);

    // Free when asked, taken by a sign-up before the link is used: the unique constraint decides.
    expect((await h.request('POST', '/api/me/email', { token, body: { email: 'race@example.org' } })).status).toBe(202);
    const confirm = await mailTo('race@example.org', /confirm your new email/i);
    const signUp = await h.request('POST', '/api/volunteers', {
      body: {
        email: 'race@example.org',
        name: 'Ray',
        timeZone: 'Europe/London',
        home: { query: 'Leeds' },
        travelKm: 5,
        skills: ['cooking'],
        availability: [],
      },
    });
    expect(signUp.status).toBe(202);
    const late = await h.request('POST', '/links/email-change', {
      body: { token: linkFrom(confirm, '/links/email-change').token },
      headers: json,
    });
    expect(late.status).toBe(409);
    expect(late.body.errors[0].field).toBe('email');
    expect(await emailOf(accountId)).toBe('lee@example.org');
  });

  it('an expired link does nothing, and a newer request makes the older link useless', async () => {
    const { token, accountId } = await confirmedVolunteer(h, 'sky@example.org');
    expect((await h.request('POST', '/api/me/email', { token, body: { email: 'sky.first@example.org' } })).status).toBe(
      202,
    );
    const first = linkFrom(
      await mailTo('sky.first@example.org', /confirm your new email/i),
      '/links/email-change',
    ).token;
    expect(
      (await h.request('POST', '/api/me/email', { token, body: { email: 'sky.second@example.org' } })).status,
    ).toBe(202);
    const second = linkFrom(
      await mailTo('sky.second@example.org', /confirm your new email/i),
      '/links/email-change',
    ).token;

    expect((await h.request('POST', '/links/email-change', { body: { token: first }, headers: json })).status).toBe(
      410,
    );
    expect(
      (
        await h.request('GET', `/links/email-change?token=${encodeURIComponent(first)}`, {
          headers: { accept: 'text/html' },
        })
      ).status,
    ).toBe(410);

    await db.query(
      `update link_tokens set expires_at = now() - interval '1 second' where account_id = $1 and purpose = 'email_change' and used_at is null`,
      [accountId],
    );
    expect((await h.request('POST', '/links/email-change', { body: { token: second }, headers: json })).status).toBe(
      410,
    );
    expect(await emailOf(accountId)).toBe('sky@example.org');
  });

  it('validates the request: an email address, not the current one, signed in', async () => {
    const { token } = await confirmedVolunteer(h, 'val@example.org');
    const bad = await h.request('POST', '/api/me/email', { token, body: { email: 'not-an-address' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('email');
    const same = await h.request('POST', '/api/me/email', { token, body: { email: 'VAL@example.org' } });
    expect(same.status).toBe(422);
    expect(same.body.errors[0].field).toBe('email');
    expect((await h.request('POST', '/api/me/email', { body: { email: 'x@example.org' } })).status).toBe(401);
  });

  it('works for coordinators too, and the mails go out through the worker (outbox rows, not the request)', async () => {
    const { token } = await confirmedVolunteer(h, 'queue@example.org');
    expect((await h.request('POST', '/api/me/email', { token, body: { email: 'queue.new@example.org' } })).status).toBe(
      202,
    );
    const rows = await db.query(
      `select job_name from outbox where payload->>'accountId' = (select id::text from accounts where email = 'queue@example.org') and job_name like 'email.email-change%' order by id`,
    );
    expect(rows.rows.map((r) => r.job_name)).toEqual(['email.email-change-confirm', 'email.email-change-notice']);
    const mail: ReceivedMail = await mailTo('queue.new@example.org', /confirm your new email/i);
    expect(mail.text).toMatch(/expires in 48 hours/);

    const org = await organisationWithCoordinator(h, 'emailchange');
    expect(
      (
        await h.request('POST', '/api/me/email', {
          token: org.token,
          body: { email: 'alex.new@emailchange.example.org' },
        })
      ).status,
    ).toBe(202);
    const coordinatorConfirm = await mailTo('alex.new@emailchange.example.org', /confirm your new email/i);
    const done = await h.request('POST', '/links/email-change', {
      body: { token: linkFrom(coordinatorConfirm, '/links/email-change').token },
      headers: json,
    });
    expect(done.body).toEqual({ email: 'alex.new@emailchange.example.org' });
  });
});
