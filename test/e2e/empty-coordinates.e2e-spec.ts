import pg from 'pg';
import { confirmedVolunteer, MANCHESTER } from '../support/actors.js';
import { startHarness, type Harness } from '../support/harness.js';

const registration = (email: string, home: unknown) => ({
  email,
  name: 'Sam',
  timeZone: 'Europe/London',
  home,
  travelKm: 8,
  skills: ['cooking'],
  availability: [{ weekday: 2, start: '17:00', end: '21:00' }],
});

/**
 * What an empty form field sends where a coordinate goes is absent; a JSON null is refused naming the
 * coordinate (no field of the API is nullable). Neither ever places anyone at (0, 0).
 */
describe('empty home coordinates', () => {
  let h: Harness;
  let db: pg.Client;
  beforeAll(async () => {
    h = await startHarness('empty-coords');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  const stored = async (email: string) =>
    (
      await db.query(
        `select v.home_lat, v.home_lon, v.home_label from volunteers v join accounts a on a.id = v.account_id where a.email = $1`,
        [email],
      )
    ).rows[0];

  it('with null coordinates, with or without a query: 422 naming each coordinate, nothing stored', async () => {
    for (const [email, home] of [
      ['null@example.org', { lat: null, lon: null }],
      ['null-query@example.org', { lat: null, lon: null, query: 'Manchester' }],
    ] as const) {
      const res = await h.request('POST', '/api/volunteers', { body: registration(email, home) });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['home.lat', 'home.lon']);
      expect(await stored(email)).toBeUndefined();
    }
  });

  it.each([
    ['empty strings', { lat: '', lon: '' }],
    ['whitespace', { lat: '  ', lon: '\t' }],
  ])('with %s and no query: 422 naming home, nothing stored', async (_label, home) => {
    const email = `blank-${_label.replace(/\s/g, '')}@example.org`;
    const res = await h.request('POST', '/api/volunteers', { body: registration(email, home) });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['home']);
    expect(await stored(email)).toBeUndefined();
  });

  it.each([
    ['empty strings', { lat: '', lon: '', query: 'Manchester' }],
    ['whitespace', { lat: ' ', lon: '\t', query: 'Manchester' }],
  ])('with %s and a query: the query is geocoded', async (_label, home) => {
    const email = `query-${_label.replace(/\s/g, '')}@example.org`;
    const res = await h.request('POST', '/api/volunteers', { body: registration(email, home) });
    expect(res.status).toBe(202);
    const row = await stored(email);
    expect(row.home_label).toMatch(/Manchester/);
    expect(Math.abs(row.home_lat - 53.48)).toBeLessThan(0.1);
    expect(Math.abs(row.home_lon + 2.24)).toBeLessThan(0.1);
  });

  it('one coordinate given and the other empty: 422 naming the empty one', async () => {
    const res = await h.request('POST', '/api/volunteers', {
      body: registration('half@example.org', { lat: 53.48, lon: '', query: 'Leeds' }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['home.lon']);
  });

  it('PATCH /api/me with null or empty coordinates refuses (422 naming home) and never moves the home', async () => {
    const { token } = await confirmedVolunteer(h, 'patch-home@example.org');
    for (const home of [
      { lat: '', lon: '' },
      { lat: ' ', lon: ' ' },
    ]) {
      const res = await h.request('PATCH', '/api/me', { token, body: { home } });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['home']);
    }
    const nulls = await h.request('PATCH', '/api/me', { token, body: { home: { lat: null, lon: null } } });
    expect(nulls.status).toBe(422);
    expect(nulls.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['home.lat', 'home.lon']);
    const row = await stored('patch-home@example.org');
    expect(row.home_lat).toBeCloseTo(MANCHESTER.lat, 1);
    expect(row.home_lon).toBeCloseTo(MANCHESTER.lon, 1);
  });
});
