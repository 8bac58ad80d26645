import pg from 'pg';
import { DateTime } from 'luxon';
import { IdentityService } from '../../libs/identity/index.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';

/**
 * The coordinator's match list says why it is empty for a shift that can take no more bookings
 * (full, cancelled, started, over), in the API and on the shift page. No worker: nothing is
 * offered, so every state set here stays put.
 */
describe('match list of a shift that can take no one', () => {
  let h: Harness;
  let db: pg.Client;
  let identity: IdentityService;
  beforeAll(async () => {
    h = await startHarness('matches_state', { worker: false });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    identity = h.api.get(IdentityService);
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  async function session(accountId: string, purpose: 'verify_email' | 'sign_in') {
    const token = await identity.issueLinkToken(accountId, purpose, 600);
    const res = await h.request('POST', purpose === 'verify_email' ? '/links/verify' : '/links/sign-in', {
      body: { token },
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    return res.body.token as string;
  }

  it('lists matches while places are open; says "full", "cancelled", "started" or "over" instead', async () => {
    const created = await h.request('POST', '/api/admin/organisations', {
      token: ADMIN_TOKEN,
      body: {
        name: 'Kitchen state',
        kind: 'soup_kitchen',
        timeZone: 'Europe/London',
        address: { label: 'Hall', ...MANCHESTER },
        coordinator: { email: 'c@state.example.org', name: 'Jo' },
      },
    });
    expect(created.status).toBe(201);
    const org = { id: created.body.id as string, token: await session(created.body.coordinatorAccountId, 'sign_in') };
    const registered = await h.request('POST', '/api/volunteers', {
      body: {
        email: 'rosa@state.example.org',
        name: 'Rosa Fit',
        timeZone: 'Europe/London',
        home: MANCHESTER,
        travelKm: 10,
        skills: ['cooking'],
        availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
      },
    });
    expect(registered.status).toBe(202);
    const rosa = (await identity.findAccountByEmail('rosa@state.example.org'))!.id;
    await session(rosa, 'verify_email');

    const start = DateTime.now()
      .setZone('Europe/London')
      .plus({ weeks: 1 })
      .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
    const post = async (title: string, publish: boolean) => {
      const res = await h.request('POST', `/api/organisations/${org.id}/shifts`, {
        token: org.token,
        body: {
          title,
          startsAt: start.toISO(),
          endsAt: start.plus({ hours: 3 }).toISO(),
          capacity: 2,
          requiredSkills: ['cooking'],
          publish,
        },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const matches = async (shiftId: string) => {
      const res = await h.request('GET', `/api/organisations/${org.id}/shifts/${shiftId}/matches`, {
        token: org.token,
      });
      expect(res.status).toBe(200);
      return res.body;
    };
    const page = async (shiftId: string) => {
      const res = await h.request('GET', `/org/shifts/${shiftId}`, {
        token: org.token,
        headers: { accept: 'text/html' },
      });
      expect(res.status).toBe(200);
      return /<section aria-labelledby="matches-heading">([\s\S]*?)<\/section>/.exec(res.text)?.[1] ?? '';
    };

    const open = await post('Open supper', true);
    const listed = await matches(open);
    expect(listed.matches.map((m: { volunteerId: string }) => m.volunteerId)).toEqual([rosa]);
    expect(listed.reason).toBeNull();
    expect(await page(open)).toContain('Rosa Fit');
    // A draft still previews who would be offered it.
    const draft = await post('Draft supper', false);
    expect((await matches(draft)).matches).toHaveLength(1);
    expect((await matches(draft)).reason).toBeNull();

    // Full: both places booked (by others) — no list, the reason, and the old fields still there.
    const full = await post('Full supper', true);
    await db.query(`update shifts set filled = 2, status = 'full' where id = $1`, [full]);
    const whenFull = await matches(full);
    expect(whenFull).toMatchObject({
      matches: [],
      reason: { code: 'full', message: 'This shift is full — 2 of 2 booked.' },
      totalCandidates: 0,
      complete: true,
    });
    expect(Object.values(whenFull.excluded).every((n) => n === 0)).toBe(true);
    const fullSection = await page(full);
    expect(fullSection).toContain('This shift is full — 2 of 2 booked.');
    expect(fullSection).not.toContain('Rosa Fit');

    const cancelled = await post('Cancelled supper', true);
    expect(
      (
        await h.request('POST', `/api/organisations/${org.id}/shifts/${cancelled}/cancel`, {
          token: org.token,
          body: {},
        })
      ).status,
    ).toBeLessThan(300);
    expect(await matches(cancelled)).toMatchObject({
      matches: [],
      reason: { code: 'cancelled', message: 'This shift was cancelled.' },
    });
    expect(await page(cancelled)).toContain('This shift was cancelled.');

    const started = await post('Started supper', true);
    await db.query(
      `update shifts set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours' where id = $1`,
      [started],
    );
    expect(await matches(started)).toMatchObject({ matches: [], reason: { code: 'started' } });
    expect(await page(started)).toContain('This shift has started');

    const over = await post('Past supper', true);
    await db.query(
      `update shifts set starts_at = now() - interval '5 hours', ends_at = now() - interval '2 hours' where id = $1`,
      [over],
    );
    expect(await matches(over)).toMatchObject({
      matches: [],
      reason: { code: 'completed', message: 'This shift is over.' },
    });
    expect(await page(over)).toContain('This shift is over.');
  });
});
