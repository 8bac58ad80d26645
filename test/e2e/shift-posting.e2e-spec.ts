import pg from 'pg';
import { startHarness, type Harness } from '../support/harness.js';
import { inDays, organisationWithCoordinator } from '../support/actors.js';

describe('coordinators post shifts and weekly series', () => {
  let h: Harness;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  let db: pg.Client;
  // A long horizon so a series created today reaches the spring DST change of 2027.
  beforeAll(async () => {
    h = await startHarness('shifts', { env: { SERIES_HORIZON_WEEKS: '30' } });
    org = await organisationWithCoordinator(h, 'shifts');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  it('creates a draft at the default address, edits, publishes and cancels it — every change recorded', async () => {
    const base = `/api/organisations/${org.organisationId}/shifts`;
    const created = await h.request('POST', base, {
      token: org.token,
      body: {
        title: 'Evening meal',
        startsAt: inDays(3, 17),
        endsAt: inDays(3, 20),
        capacity: 4,
        requiredSkills: ['cooking'],
        niceSkills: ['food-safety-certificate'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', addressId: org.addressId, capacity: 4, filled: 0 });
    expect(created.body.localTime).toMatch(/\(Europe\/London\)$/);
    const id = created.body.id;

    const edited = await h.request('PATCH', `${base}/${id}`, {
      token: org.token,
      body: { startsAt: inDays(3, 16), capacity: 6 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ capacity: 6, startsAt: inDays(3, 16) });
    expect((await h.request('POST', `${base}/${id}/publish`, { token: org.token })).body.status).toBe('open');
    expect((await h.request('POST', `${base}/${id}/cancel`, { token: org.token })).body.status).toBe('cancelled');
    expect((await h.request('PATCH', `${base}/${id}`, { token: org.token, body: { title: 'Too late' } })).status).toBe(
      409,
    );

    const changes = await db.query(`select kind, changes from shift_changes where shift_id = $1 order by id`, [id]);
    expect(changes.rows.map((r) => r.kind)).toEqual(['created', 'updated', 'published', 'cancelled']);
    expect(Object.keys(changes.rows[1].changes).sort()).toEqual(['capacity', 'startsAt']);
    const sequence = await db.query(`select sequence from shifts where id = $1`, [id]);
    expect(sequence.rows[0].sequence).toBe(2); // the time change and the cancellation

    const listed = await h.request('GET', `${base}?status=cancelled`, { token: org.token });
    expect(listed.body.map((s: { id: string }) => s.id)).toContain(id);
  });

  it('refuses shifts in the past, backwards, too long, with unknown skills or another organisation’s address', async () => {
    const base = `/api/organisations/${org.organisationId}/shifts`;
    const post = (body: Record<string, unknown>) =>
      h.request('POST', base, { token: org.token, body: { title: 'x', capacity: 1, ...body } });
    const field = async (body: Record<string, unknown>) => (await post(body)).body.errors?.[0]?.field;
    expect(await field({ startsAt: inDays(-1, 10), endsAt: inDays(-1, 12) })).toBe('startsAt');
    expect(await field({ startsAt: inDays(2, 12), endsAt: inDays(2, 10) })).toBe('endsAt');
    expect(await field({ startsAt: inDays(2, 0), endsAt: inDays(3, 0) })).toBe('endsAt');
    expect(await field({ startsAt: inDays(2, 10), endsAt: inDays(2, 12), requiredSkills: ['juggling'] })).toBe(
      'requiredSkills',
    );
    expect(await field({ startsAt: '2026-13-01T10:00', endsAt: inDays(2, 12) })).toBe('startsAt');
    const other = await organisationWithCoordinator(h, 'otheraddress');
    expect(await field({ startsAt: inDays(2, 10), endsAt: inDays(2, 12), addressId: other.addressId })).toBe(
      'addressId',
    );
  });

  it('generates a weekly series at the same local time across the spring DST change', async () => {
    const year = new Date().getUTCFullYear() + 1; // Europe/London springs forward on the last Sunday of March
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/series`, {
      token: org.token,
      body: {
        title: 'Tuesday dinner',
        weekday: 2,
        start: '17:00',
        end: '20:00',
        startsOn: `${year}-03-01`,
        until: `${year}-04-20`,
        capacity: 3,
      },
    });
    expect(res.status).toBe(201);
    const shifts: Array<{ startsAt: string; endsAt: string; status: string }> = res.body.shifts;
    const lastSundayOfMarch = new Date(Date.UTC(year, 2, 31 - new Date(Date.UTC(year, 2, 31)).getUTCDay()));
    expect(shifts.length).toBeGreaterThanOrEqual(6);
    for (const shift of shifts) {
      const starts = new Date(shift.startsAt);
      expect(starts.getUTCDay()).toBe(2);
      // 17:00 local is 17:00 UTC in winter (GMT) and 16:00 UTC in summer (BST).
      expect(starts.getUTCHours()).toBe(starts < lastSundayOfMarch ? 17 : 16);
      expect(new Date(shift.endsAt).getTime() - starts.getTime()).toBe(3 * 3600_000);
      expect(shift.status).toBe('open');
    }
    expect(shifts.some((s) => new Date(s.startsAt) < lastSundayOfMarch)).toBe(true);
    expect(shifts.some((s) => new Date(s.startsAt) > lastSundayOfMarch)).toBe(true);

    const cancelled = await h.request('POST', `/api/organisations/${org.organisationId}/series/${res.body.id}/cancel`, {
      token: org.token,
    });
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.shifts.every((s: { status: string }) => s.status === 'cancelled')).toBe(true);
  });

  it('integrations post shifts with an API key until it is revoked', async () => {
    const keys = `/api/organisations/${org.organisationId}/api-keys`;
    const created = await h.request('POST', keys, { token: org.token, body: { name: 'Rota' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ks_key_/);
    const stored = await db.query(`select key_hash from api_keys where id = $1`, [created.body.id]);
    expect(stored.rows[0].key_hash).not.toContain(created.body.key);
    const listed = await h.request('GET', keys, { token: org.token });
    expect(listed.body[0]).not.toHaveProperty('key');

    const post = () =>
      h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: created.body.key,
        body: { title: 'From rota', startsAt: inDays(4, 9), endsAt: inDays(4, 12), capacity: 2, publish: true },
      });
    const viaKey = await post();
    expect(viaKey.status).toBe(201);
    expect(viaKey.body.status).toBe('open');
    expect(
      (await h.request('DELETE', `${keys}/${created.body.id}`, { token: org.token })).body.revokedAt,
    ).not.toBeNull();
    expect((await post()).status).toBe(401);
  });
});
