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

  it('does not limit ordinary reads with the strict limit', async () => {
    for (let i = 0; i < 5; i += 1) expect((await h.request('GET', '/api/skills', { headers: { 'x-forwarded-for': '203.0.113.10' } })).status).toBe(200);
  });
});
