import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmConfig } from '../../src/entities.js';
import { IdentityService } from '../../libs/identity/identity.service.js';
import { startHarness, waitUntil, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, tuesdayEvening, NO_QUIET } from '../support/actors.js';
import { TEST_PG_BASE } from '../support/test-database.js';
import { createOrganisation, insertOpenShift, insertPendingOffers, insertVolunteers } from '../faults/support/world.js';

const LEAD = { name: 'Kitchen lead', capacity: 1, requiredSkills: ['food-safety-certificate'] };

describe('roles within a shift', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  let plain: { token: string; accountId: string };
  let certified: { token: string; accountId: string };
  let third: { token: string; accountId: string };
  beforeAll(async () => {
    h = await startHarness('roles');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'roles');
    plain = await confirmedVolunteer(h, 'plain@roles.example.org', { quietHours: NO_QUIET });
    certified = await confirmedVolunteer(h, 'certified@roles.example.org', {
      quietHours: NO_QUIET,
      skills: ['cooking', 'food-safety-certificate'],
    });
    third = await confirmedVolunteer(h, 'third@roles.example.org', { quietHours: NO_QUIET });
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });

  const shifts = () => `/api/organisations/${org.organisationId}/shifts`;
  const post = (body: Record<string, unknown>) => h.request('POST', shifts(), { token: org.token, body });
  const roleSeats = async (shiftId: string) =>
    (await db.query(`select name, capacity, filled from shift_roles where shift_id = $1 order by position`, [shiftId]))
      .rows;

  it('a client that never mentions roles posts, reads and resizes a shift exactly as before', async () => {
    const created = await post({ title: 'Plain', ...tuesdayEvening(1), capacity: 4, requiredSkills: ['cooking'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ capacity: 4, filled: 0, requiredSkills: ['cooking'], status: 'draft' });
    expect(created.body.roles).toEqual([
      {
        id: expect.any(String),
        name: 'Volunteer',
        capacity: 4,
        filled: 0,
        requiredSkills: ['cooking'],
        niceSkills: [],
        notes: '',
      },
    ]);
    const patched = await h.request('PATCH', `${shifts()}/${created.body.id}`, {
      token: org.token,
      body: { capacity: 6 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.capacity).toBe(6);
    expect(patched.body.roles).toMatchObject([{ name: 'Volunteer', capacity: 6 }]);
    const got = await h.request('GET', `${shifts()}/${created.body.id}`, { token: org.token });
    expect(got.body).toMatchObject({ capacity: 6, roles: [{ capacity: 6 }] });
    // Without capacity or roles it is as invalid as it always was.
    const missing = await post({ title: 'No size', ...tuesdayEvening(1) });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ field: 'capacity', message: expect.any(String) }]);
  });

  it('posts a shift with two roles; capacity is their sum, a different one is refused', async () => {
    const wrong = await post({
      title: 'Supper',
      ...tuesdayEvening(1),
      capacity: 9,
      roles: [LEAD, { name: 'Servers', capacity: 4 }],
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].field).toBe('capacity');
    const created = await post({
      title: 'Supper',
      ...tuesdayEvening(1),
      roles: [LEAD, { name: 'Servers', capacity: 4 }],
    });
    expect(created.status).toBe(201);
    expect(created.body.capacity).toBe(5);
    expect(created.body.roles.map((r: { name: string; capacity: number }) => [r.name, r.capacity])).toEqual([
      ['Kitchen lead', 1],
      ['Servers', 4],
    ]);
  });

  it('matches per role: without the lead’s skill a volunteer fits the servers but not the lead', async () => {
    const created = await post({
      title: 'Matching',
      ...tuesdayEvening(2),
      requiredSkills: ['cooking'],
      roles: [LEAD, { name: 'Servers', capacity: 2 }],
    });
    const [lead, servers] = created.body.roles;
    await db.query(`update shifts set status = 'open', published_at = now() where id = $1`, [created.body.id]);
    const matches = async (roleId: string) =>
      (
        await h.request('GET', `${shifts()}/${created.body.id}/matches?roleId=${roleId}`, { token: org.token })
      ).body.matches
        .map((m: { volunteerId: string }) => m.volunteerId)
        .sort();
    expect(await matches(lead.id)).toEqual([certified.accountId]);
    expect(await matches(servers.id)).toEqual([plain.accountId, certified.accountId, third.accountId].sort());
    const other = await h.request('GET', `${shifts()}/${created.body.id}/matches?roleId=${created.body.id}`, {
      token: org.token,
    });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].field).toBe('roleId');
  });

  it('waves per role, accepting fills the offer’s role, a full role leaves the shift open, capacity below bookings is 409', async () => {
    const created = await post({
      title: 'Waves',
      ...tuesdayEvening(3),
      requiredSkills: ['cooking'],
      roles: [LEAD, { name: 'Servers', capacity: 3 }],
      publish: true,
    });
    expect(created.status).toBe(201);
    const shiftId = created.body.id;
    const [lead, servers] = created.body.roles;
    const offers = async () =>
      (await db.query(`select id, volunteer_id, role_id from offers where shift_id = $1`, [shiftId])).rows;
    await waitUntil(async () => (await offers()).length === 3, 20_000, 'the waves of both roles');
    const byVolunteer = new Map((await offers()).map((o) => [o.volunteer_id, o]));
    expect(byVolunteer.get(certified.accountId)!.role_id).toBe(lead.id);
    expect(byVolunteer.get(plain.accountId)!.role_id).toBe(servers.id);
    expect(byVolunteer.get(third.accountId)!.role_id).toBe(servers.id);
    // Each offer email names the role it offers (offer_email_prepare's role_name), subject and body.
    const offerMail = (who: string) =>
      h.smtp.waitFor((m) => m.to.includes(`${who}@roles.example.org`) && m.subject.startsWith('Could you help?'));
    const [leadOffer, serverOffer] = await Promise.all([offerMail('certified'), offerMail('plain')]);
    expect(leadOffer.subject).toMatch(/^Could you help\? Kitchen lead — Waves at /);
    expect(leadOffer.text).toContain('could use a hand as Kitchen lead');
    expect(serverOffer.subject).toMatch(/^Could you help\? Servers — Waves at /);
    expect(serverOffer.text).toContain('could use a hand as Servers');

    const identity = h.api.get(IdentityService);
    const accept = async (volunteerId: string) => {
      const offer = byVolunteer.get(volunteerId)!;
      const token = await identity.issueLinkToken(volunteerId, 'offer_response', 3600, offer.id);
      return h.request('POST', '/links/offer', {
        body: { token, action: 'accept' },
        headers: { accept: 'application/json' },
      });
    };
    expect((await accept(certified.accountId)).body.outcome).toBe('booked');
    expect(await roleSeats(shiftId)).toEqual([
      { name: 'Kitchen lead', capacity: 1, filled: 1 },
      { name: 'Servers', capacity: 3, filled: 0 },
    ]);
    // The booking email and its iCalendar invite name the role, since the shift has more than one.
    const confirmation = await h.smtp.waitFor(
      (m) => m.to.includes('certified@roles.example.org') && m.subject.startsWith("You're booked"),
    );
    expect(confirmation.subject).toContain('Kitchen lead — Waves');
    expect(confirmation.parsed.attachments.map((a) => a.content.toString()).join('\n')).toMatch(
      /SUMMARY:Kitchen lead — Waves — Kitchen roles/,
    );
    const roster = await h.request('GET', `${shifts()}/${shiftId}/roster`, { token: org.token });
    expect(roster.status).toBe(200);
    const entry = (id: string) => roster.body.entries.find((e: { volunteerId: string }) => e.volunteerId === id);
    expect(entry(certified.accountId)).toMatchObject({ kind: 'booking', roleId: lead.id, roleName: 'Kitchen lead' });
    expect(entry(plain.accountId)).toMatchObject({ kind: 'offer', roleId: servers.id, roleName: 'Servers' });
    // The coordinator's shift page shows each role's fill.
    const page = await h.request('GET', `/org/shifts/${shiftId}`, {
      headers: { accept: 'text/html', cookie: `ks_session=${org.token}` },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Kitchen lead 1/1 · Servers 0/3');
    const afterLead = await h.request('GET', `${shifts()}/${shiftId}`, { token: org.token });
    expect(afterLead.body).toMatchObject({ status: 'open', filled: 1, capacity: 4 });
    expect((await accept(plain.accountId)).body.outcome).toBe('booked');
    expect((await accept(third.accountId)).body.outcome).toBe('booked');
    const booked = (await db.query(`select volunteer_id, role_id from bookings where shift_id = $1`, [shiftId])).rows;
    expect(new Map(booked.map((b) => [b.volunteer_id, b.role_id]))).toEqual(
      new Map([
        [certified.accountId, lead.id],
        [plain.accountId, servers.id],
        [third.accountId, servers.id],
      ]),
    );

    // The lead is full while the servers are not: each role has its own line, matched for that role.
    const waiter = await confirmedVolunteer(h, 'waiter@roles.example.org', { quietHours: NO_QUIET });
    const join = (query: string) =>
      h.request('POST', `/api/me/shifts/${shiftId}/waitlist${query}`, { token: waiter.token });
    const noRole = await join('');
    expect(noRole.status).toBe(422);
    expect(noRole.body.errors[0].field).toBe('roleId');
    const leadLine = await join(`?roleId=${lead.id}`);
    expect(leadLine.status).toBe(409);
    expect(leadLine.body.rule).toBe('skills');

    // Booking it themselves, they get a seat of the first role with room that they fit: the servers.
    await h.request('PATCH', `${shifts()}/${shiftId}`, {
      token: org.token,
      body: {
        roles: [
          { ...LEAD, id: lead.id },
          { id: servers.id, name: 'Servers', capacity: 4 },
        ],
      },
    });
    const selfBooked = await h.request('POST', `/api/me/shifts/${shiftId}/book`, { token: waiter.token });
    expect(selfBooked.status).toBe(201);
    const waiterRole = await db.query(`select role_id from bookings where id = $1`, [selfBooked.body.bookingId]);
    expect(waiterRole.rows[0].role_id).toBe(servers.id);

    const patch = (body: Record<string, unknown>) =>
      h.request('PATCH', `${shifts()}/${shiftId}`, { token: org.token, body });
    const below = await patch({
      roles: [
        { ...LEAD, id: lead.id },
        { id: servers.id, name: 'Servers', capacity: 1 },
      ],
    });
    expect(below.status).toBe(409);
    expect(below.body).toMatchObject({ type: expect.stringContaining('capacity-below-bookings'), booked: 3 });
    const removing = await patch({ roles: [{ id: servers.id, name: 'Servers', capacity: 3 }] });
    expect(removing.status).toBe(409);
    const alone = await patch({ capacity: 7 });
    expect(alone.status).toBe(422);
    expect(alone.body.errors[0].field).toBe('capacity');
    const grown = await patch({
      roles: [
        { ...LEAD, id: lead.id },
        { id: servers.id, name: 'Servers and washing up', capacity: 5 },
        { name: 'Door', capacity: 1 },
      ],
    });
    expect(grown.status).toBe(200);
    expect(grown.body).toMatchObject({ capacity: 7, filled: 4, status: 'open' });
    expect(grown.body.roles.map((r: { name: string; filled: number }) => [r.name, r.filled])).toEqual([
      ['Kitchen lead', 1],
      ['Servers and washing up', 3],
      ['Door', 0],
    ]);
  });
});

describe('the roles migration on a database with data', () => {
  const name = `kindshift_test_${(process.env.TEST_DB_NAMESPACE ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_roles_migration`;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: `${TEST_PG_BASE}/postgres` });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  });
  afterAll(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('gives every existing shift one role with its capacity, skills and seats, and its rows that role', async () => {
    const url = `${TEST_PG_BASE}/${name}`;
    const orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 2 }));
    const db = new pg.Client({ connectionString: url });
    try {
      await orm.migrator.up({ to: 'Cover20261206' });
      await db.connect();
      const org = await createOrganisation(db, 'not-a-secret-not-a-secret-not-a-secret', 'before');
      const volunteers = await insertVolunteers(db, 'before', 2);
      const shiftId = await insertOpenShift(db, org, 'Before roles', 3);
      const [offer] = await insertPendingOffers(db, shiftId, volunteers);
      await db.query(
        `insert into bookings (shift_id, volunteer_id, offer_id, period) select id, $2, $3, period from shifts where id = $1`,
        [shiftId, volunteers[0], offer],
      );
      await db.query(`update shifts set filled = 1 where id = $1`, [shiftId]);
      await orm.migrator.up();
      const roles = (
        await db.query(`select id, name, capacity, filled, required_skills from shift_roles where shift_id = $1`, [
          shiftId,
        ])
      ).rows;
      expect(roles).toEqual([
        { id: expect.any(String), name: 'Volunteer', capacity: 3, filled: 1, required_skills: ['cooking'] },
      ]);
      const orphans = await db.query(
        `select (select count(*) from bookings where role_id is distinct from $1)::int + (select count(*) from offers where role_id is distinct from $1)::int as n`,
        [roles[0].id],
      );
      expect(orphans.rows[0].n).toBe(0);
    } finally {
      await db.end().catch(() => undefined);
      await orm.close(true);
    }
  });
});
