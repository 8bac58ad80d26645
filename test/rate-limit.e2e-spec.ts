import { IdentityService } from '../libs/identity/index.js';
import { startHarness, type Harness } from './support/harness.js';

describe('rate limits on registration and sign-in (Redis-backed)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness('ratelimit', { worker: false, env: { RATE_LIMIT_AUTH_PER_HOUR: '3' } }); });
  afterAll(async () => { await h.close(); });

  it('answers 429 problem+json after the hourly limit, per client address', async () => {
    const from = (ip: string) => h.request('POST', '/api/auth/sign-in', { body: { email: 'x@example.org' }, headers: { 'x-forwarded-for': ip } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await from('203.0.113.9')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await from('203.0.113.9');
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Object.keys(limited.headers).some((name) => name.startsWith('retry-after'))).toBe(true);
    // Another client is not affected.
    expect((await from('198.51.100.7')).status).toBe(202);
  });

  it('limits changing the email address like sign-in', async () => {
    const registered = await h.request('POST', '/api/volunteers', {
      headers: { 'x-forwarded-for': '192.0.2.40' },
      body: { email: 'limited@example.org', name: 'Lim', timeZone: 'Europe/London', home: { query: 'Leeds' }, travelKm: 5, skills: ['cooking'], availability: [] },
    });
    expect(registered.status).toBe(202);
    const identity = h.api.get(IdentityService);
    const account = await identity.findAccountByEmail('limited@example.org');
    const link = await identity.issueLinkToken(account!.id, 'verify_email', 600);
    const { token } = (await h.request('POST', '/links/verify', { body: { token: link }, headers: { accept: 'application/json' } })).body;
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await h.request('POST', '/api/me/email', { token, body: { email: `new${i}@example.org` }, headers: { 'x-forwarded-for': '192.0.2.41' } })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('does not limit ordinary reads with the strict limit', async () => {
    for (let i = 0; i < 5; i += 1) expect((await h.request('GET', '/api/skills', { headers: { 'x-forwarded-for': '203.0.113.10' } })).status).toBe(200);
  });
});
