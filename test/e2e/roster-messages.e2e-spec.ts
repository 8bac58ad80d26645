import pg from 'pg';
import { OfferMailService } from '../../libs/offers/offer-mail.service.js';
import { waitFor } from '../faults/support/wait.js';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, tuesdayEvening, NO_QUIET } from '../support/actors.js';
import type { ReceivedMail } from '../support/smtp-sink.js';

/**
 * A coordinator writes to everyone booked on a shift: one email each through the real worker and
 * SMTP, replies to the coordinator, nobody else's address in it, logged on the shift with its
 * delivered count, and capped so the roster cannot be used to spam.
 */
describe('roster messages', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;

  beforeAll(async () => {
    h = await startHarness('roster_messages', {
      env: { ROSTER_MESSAGES_PER_SHIFT_PER_DAY: '2', ROSTER_MESSAGES_PER_ORGANISATION_PER_DAY: '3' },
    });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'rostermsg');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** An open shift with no wave running (the bookings are the test's own), booked by `booked` volunteers. */
  async function bookedShift(
    owner: { organisationId: string; token: string },
    title: string,
    weeksAhead: number,
    booked: { token: string }[],
  ): Promise<string> {
    const res = await h.request('POST', `/api/organisations/${owner.organisationId}/shifts`, {
      token: owner.token,
      body: { title, ...tuesdayEvening(weeksAhead), capacity: 4, requiredSkills: ['cooking'], publish: false },
    });
    expect(res.status).toBe(201);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [res.body.id]);
    for (const v of booked)
      expect((await h.request('POST', `/api/me/shifts/${res.body.id}/book`, { token: v.token })).status).toBe(201);
    return res.body.id;
  }

  const post = (owner: { organisationId: string; token: string }, shiftId: string, body: unknown) =>
    h.request('POST', `/api/organisations/${owner.organisationId}/shifts/${shiftId}/messages`, {
      token: owner.token,
      body,
    });
  const rosterMail = (subject: string) => (m: ReceivedMail) => m.subject.startsWith(`${subject} — `);

  it('emails each booked volunteer once, alone, with replies to the coordinator; not someone who cancelled', async () => {
    const [ada, ben, cy] = await Promise.all(
      ['ada', 'ben', 'cy'].map((n) =>
        confirmedVolunteer(h, `${n}@roster.example.org`, { quietHours: NO_QUIET, name: n }),
      ),
    );
    const shiftId = await bookedShift(org, 'Supper club', 1, [ada, ben, cy]);
    const [cyBooking] = (await h.request('GET', '/api/me/bookings', { token: cy.token })).body;
    expect(
      (await h.request('POST', `/api/me/bookings/${cyBooking.bookingId}/cancel`, { token: cy.token, body: {} })).status,
    ).toBe(204);

    const sent = await post(org, shiftId, {
      subject: '  Use the side door  ',
      body: 'Hello all,\n\nThe front is being painted.\nPlease use the side door on Mill Lane.',
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ id: expect.any(String), recipients: 2, createdAt: expect.any(String) });

    const subject = 'Use the side door';
    const mails = await Promise.all(
      ['ada', 'ben'].map((n) =>
        h.smtp.waitFor((m) => rosterMail(subject)(m) && m.to.includes(`${n}@roster.example.org`)),
      ),
    );
    for (const mail of mails) {
      expect(mail.to).toHaveLength(1);
      expect(mail.subject).toMatch(/^Use the side door — Supper club, Tue \d+ \w+ \d{4}, 17:00–20:00$/);
      expect(mail.parsed.replyTo?.value[0].address).toBe(org.email);
      expect(mail.text).toContain('Alex at Kitchen rostermsg wrote to everyone booked on your shift:');
      expect(mail.text).toContain('The front is being painted.');
      expect(mail.text).toContain('Please use the side door on Mill Lane.');
      expect(mail.html).toContain('<p>Please use the side door on Mill Lane.</p>');
      // Nobody else's address: each volunteer sees only their own.
      const others = ['ada', 'ben', 'cy'].filter((n) => !mail.to.includes(`${n}@roster.example.org`));
      for (const n of others) expect(mail.raw.toString()).not.toContain(`${n}@roster.example.org`);
    }

    // Logged on the shift, with how many went out.
    const list = await waitFor(
      async () => {
        const res = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shiftId}/messages`, {
          token: org.token,
        });
        return res.body[0]?.delivered === 2 ? res : null;
      },
      { timeoutMs: 15_000, what: 'both deliveries logged' },
    );
    expect(list.body).toEqual([
      {
        id: sent.body.id,
        subject,
        body: 'Hello all,\n\nThe front is being painted.\nPlease use the side door on Mill Lane.',
        createdAt: sent.body.createdAt,
        sentBy: 'Alex',
        recipients: 2,
        delivered: 2,
        roleId: null,
        roleName: null,
      },
    ]);

    // The job run again (a retry, a duplicate) sends nothing more; cy never got one.
    const again = await h.worker!.get(OfferMailService, { strict: false }).rosterMessage(sent.body.id);
    expect(again).toEqual({ sent: 0 });
    expect(h.smtp.messages.filter(rosterMail(subject))).toHaveLength(2);
    expect(h.smtp.messages.some((m) => rosterMail(subject)(m) && m.to.includes('cy@roster.example.org'))).toBe(false);
  });

  it('caps messages per shift and per organisation over 24 hours: 429 with Retry-After, nothing stored', async () => {
    const dee = await confirmedVolunteer(h, 'dee@roster.example.org', { quietHours: NO_QUIET });
    const first = await bookedShift(org, 'Breakfast', 2, [dee]);
    const second = await bookedShift(org, 'Lunch', 3, [dee]);
    // The first test's message counts towards the organisation's 3.
    expect((await post(org, first, { subject: 'One', body: 'First note' })).status).toBe(201);
    expect((await post(org, first, { subject: 'Two', body: 'Second note' })).status).toBe(201);
    const shiftCapped = await post(org, first, { subject: 'Three', body: 'Third note' });
    expect(shiftCapped.status).toBe(429);
    expect(shiftCapped.body.type).toBe('https://kindshift.org/problems/roster-message-limit');
    expect(shiftCapped.body.detail).toMatch(/^This shift has had 2 messages in the last 24 hours/);
    const wait = Number(shiftCapped.headers['retry-after']);
    expect(wait).toBeGreaterThan(23 * 3600);
    expect(wait).toBeLessThanOrEqual(24 * 3600);

    const orgCapped = await post(org, second, { subject: 'Four', body: 'Fourth note' });
    expect(orgCapped.status).toBe(429);
    expect(orgCapped.body.detail).toMatch(/^Your organisation has sent 3 roster messages/);

    // Once the oldest message is 24 hours old the window has slid past it: the organisation may write once more.
    await db.query(
      `update roster_messages set created_at = created_at - interval '24 hours' where subject = 'Use the side door'`,
    );
    expect((await post(org, second, { subject: 'Four', body: 'Fourth note' })).status).toBe(201);
    const stored = await db.query(`select subject from roster_messages where organisation_id = $1 order by subject`, [
      org.organisationId,
    ]);
    expect(stored.rows.map((r) => r.subject)).toEqual(['Four', 'One', 'Two', 'Use the side door']);
  });

  it('concurrent sends cannot pass the cap together', async () => {
    const other = await organisationWithCoordinator(h, 'rosterrace');
    const eve = await confirmedVolunteer(h, 'eve@roster.example.org', { quietHours: NO_QUIET });
    const shiftId = await bookedShift(other, 'Race supper', 1, [eve]);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(other, shiftId, { subject: `Note ${i}`, body: 'Same time' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429, 429, 429, 429, 429, 429]);
    expect(
      (await db.query(`select count(*)::int as n from roster_messages where shift_id = $1`, [shiftId])).rows[0].n,
    ).toBe(2);
  });

  it('writes to one role of a multi-role shift: only its bookings, logged with the role; another shift’s role is a 422', async () => {
    const own = await organisationWithCoordinator(h, 'rosterroles');
    const [lead, sam, tia] = await Promise.all(
      ['lead', 'sam', 'tia'].map((n) =>
        confirmedVolunteer(h, `${n}@rosterroles.example.org`, { quietHours: NO_QUIET }),
      ),
    );
    const created = await h.request('POST', `/api/organisations/${own.organisationId}/shifts`, {
      token: own.token,
      body: {
        title: 'Two-role supper',
        ...tuesdayEvening(5),
        roles: [
          { name: 'Kitchen lead', capacity: 1 },
          { name: 'Servers', capacity: 2 },
        ],
        publish: false,
      },
    });
    expect(created.status).toBe(201);
    const shiftId = created.body.id;
    const [leadRole, servers] = created.body.roles.map((r: { id: string }) => r.id);
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [shiftId]);
    // Self-booking takes the first role with room: the lead's seat first, then the servers'.
    for (const v of [lead, sam, tia])
      expect((await h.request('POST', `/api/me/shifts/${shiftId}/book`, { token: v.token })).status).toBe(201);

    const sent = await post(own, shiftId, { subject: 'Aprons', body: 'Bring an apron, please.', roleId: servers });
    expect(sent.status).toBe(201);
    expect(sent.body.recipients).toBe(2);
    const apronMails = await Promise.all(
      ['sam', 'tia'].map((n) =>
        h.smtp.waitFor((m) => rosterMail('Aprons')(m) && m.to.includes(`${n}@rosterroles.example.org`)),
      ),
    );
    for (const mail of apronMails) expect(mail.text).toContain('wrote to everyone booked as Servers on your shift:');
    const list = await waitFor(
      async () => {
        const res = await h.request('GET', `/api/organisations/${own.organisationId}/shifts/${shiftId}/messages`, {
          token: own.token,
        });
        return res.body[0]?.delivered === 2 ? res : null;
      },
      { timeoutMs: 15_000, what: 'both servers’ deliveries logged' },
    );
    expect(list.body[0]).toMatchObject({ recipients: 2, delivered: 2, roleId: servers, roleName: 'Servers' });
    // The kitchen lead was not written to (the outbox job sent its two and is done).
    expect(h.smtp.messages.some((m) => rosterMail('Aprons')(m) && m.to.includes('lead@rosterroles.example.org'))).toBe(
      false,
    );
    const toLead = await post(own, shiftId, { subject: 'Knives', body: 'Sharpen them.', roleId: leadRole });
    expect(toLead.body.recipients).toBe(1);

    // A role of another shift, or no UUID at all, names roleId; nothing is stored.
    const other = await h.request('POST', `/api/organisations/${own.organisationId}/shifts`, {
      token: own.token,
      body: { title: 'Other', ...tuesdayEvening(6), capacity: 2, publish: false },
    });
    for (const roleId of [other.body.roles[0].id, 'servers', null]) {
      const res = await post(own, shiftId, { subject: 'Hi', body: 'x', roleId });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['roleId']);
    }
    expect(
      (await db.query(`select count(*)::int as n from roster_messages where shift_id = $1`, [shiftId])).rows[0].n,
    ).toBe(2);

    // The page offers the choice of role and its log says which role a message went to.
    const page = await h.request('GET', `/org/shifts/${shiftId}/messages`, {
      token: own.token,
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<option value="${servers}">Only those booked as Servers</option>`);
    expect(page.text).toMatch(/to Servers only · emailed to 2 of 2/);
    expect(page.text).toMatch(/to Kitchen lead only · emailed to \d of 1/);
  });

  it('bad input names the field; nobody booked, a cancelled shift, another organisation are refused', async () => {
    // An organisation of its own: the caps above are spent for `org`.
    const own = await organisationWithCoordinator(h, 'rosterbad');
    const empty = await bookedShift(own, 'Nobody yet', 4, []);
    const cases: [unknown, string][] = [
      [{ subject: '   ', body: 'x' }, 'subject'],
      [{ subject: 'Two\nlines', body: 'x' }, 'subject'],
      [{ subject: 'x'.repeat(121), body: 'x' }, 'subject'],
      [{ subject: 'Hi' }, 'body'],
      [{ subject: 'Hi', body: 'x'.repeat(2001) }, 'body'],
      [{ subject: 'Hi', body: 42 }, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await post(own, empty, body);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const nobody = await post(own, empty, { subject: 'Hi', body: 'Anyone?' });
    expect(nobody.status).toBe(409);
    expect(nobody.body.type).toBe('https://kindshift.org/problems/no-recipients');
    expect(
      (await db.query(`select count(*)::int as n from roster_messages where shift_id = $1`, [empty])).rows[0].n,
    ).toBe(0);

    const stranger = await organisationWithCoordinator(h, 'rosterstranger');
    // Another organisation's coordinator: refused on the owner's path, not found under their own.
    expect((await post({ ...own, token: stranger.token }, empty, { subject: 'Hi', body: 'x' })).status).toBe(403);
    expect((await post(stranger, empty, { subject: 'Hi', body: 'x' })).status).toBe(404);
    const unknownShift = '00000000-0000-4000-8000-000000000000';
    expect((await post(own, unknownShift, { subject: 'Hi', body: 'x' })).status).toBe(404);
    expect(
      (
        await h.request('GET', `/api/organisations/${own.organisationId}/shifts/${unknownShift}/messages`, {
          token: own.token,
        })
      ).status,
    ).toBe(404);

    await db.query(`update shifts set status = 'cancelled' where id = $1`, [empty]);
    expect((await post(own, empty, { subject: 'Hi', body: 'x' })).body.type).toBe(
      'https://kindshift.org/problems/shift-cancelled',
    );
  });
});
