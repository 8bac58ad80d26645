import { IdentityService } from '../../libs/identity/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const signIn = (h: Harness, headers: Record<string, string> = {}, remoteAddress?: string) =>
  h.request('POST', '/api/auth/sign-in', { body: { email: 'x@example.org' }, headers, remoteAddress });

describe('rate limits on registration and sign-in (Redis-backed), TRUST_PROXY off (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    delete process.env.TRUST_PROXY;
    h = await startHarness('ratelimit', { worker: false, env: { RATE_LIMIT_AUTH_PER_HOUR: '3' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 429 problem+json after the hourly limit, per client address', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await signIn(h, {}, '203.0.113.9')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await signIn(h, {}, '203.0.113.9');
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    // Another client is not affected.
    expect((await signIn(h, {}, '198.51.100.7')).status).toBe(202);
  });

  it('a forged X-Forwarded-For does not escape the limit', async () => {
    for (let i = 0; i < 3; i += 1)
      expect((await signIn(h, { 'x-forwarded-for': `192.0.2.${i}` }, '203.0.113.20')).status).toBe(202);
    for (let i = 3; i < 13; i += 1)
      expect((await signIn(h, { 'x-forwarded-for': `192.0.2.${i}` }, '203.0.113.20')).status).toBe(429);
  });

  it('the 429 carries Retry-After in seconds and only the refusing limiter’s headers, in plain words', async () => {
    for (let i = 0; i < 3; i += 1) await signIn(h, {}, '203.0.113.30');
    const limited = await signIn(h, {}, '203.0.113.30');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBe(retryAfter);
    // No per-throttler variants (Retry-After-auth, X-RateLimit-Remaining-auth …) and nothing from the other limiter.
    expect(
      Object.keys(limited.headers)
        .filter((name) => /ratelimit|retry-after/.test(name))
        .sort(),
    ).toEqual(['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(limited.body.detail).not.toMatch(/Exception|Throttler/);
    expect(limited.body.detail).toMatch(/try again in \d+ minutes?/);
  });

  it('an allowed request reports the limit closest to refusing it', async () => {
    const first = await signIn(h, {}, '203.0.113.40');
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    const read = await h.request('GET', '/api/skills', { remoteAddress: '203.0.113.40' });
    expect(read.headers['x-ratelimit-limit']).toBe('600');
    expect(
      Object.keys(read.headers)
        .filter((name) => /ratelimit/.test(name))
        .sort(),
    ).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
  });

  it('limits changing the email address like sign-in', async () => {
    const registered = await h.request('POST', '/api/volunteers', {
      headers: { 'x-forwarded-for': '192.0.2.40' },
      body: {
        email: 'limited@example.org',
        name: 'Lim',
        timeZone: 'Europe/London',
        home: { query: 'Leeds' },
        travelKm: 5,
        skills: ['cooking'],
        availability: [],
      },
    });
    expect(registered.status).toBe(202);
    const identity = h.api.get(IdentityService);
    const account = await identity.findAccountByEmail('limited@example.org');
    const link = await identity.issueLinkToken(account!.id, 'verify_email', 600);
    const { token } = (
      await h.request('POST', '/links/verify', { body: { token: link }, headers: { accept: 'application/json' } })
    ).body;
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push(
        (
          await h.request('POST', '/api/me/email', {
            token,
            body: { email: `new${i}@example.org` },
            headers: { 'x-forwarded-for': '192.0.2.41' },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('does not limit ordinary reads with the strict limit', async () => {
    for (let i = 0; i < 5; i += 1)
      expect((await h.request('GET', '/api/skills', { remoteAddress: '203.0.113.10' })).status).toBe(200);
  });
});

describe('TRUST_PROXY as a hop count (one reverse proxy in front)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('ratelimit_hops', {
      worker: false,
      env: { RATE_LIMIT_AUTH_PER_HOUR: '3', TRUST_PROXY: '1' },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('takes the client address the trusted hop appended, not what the client wrote before it', async () => {
    // The proxy appends the address it saw; whatever the client put in front of it is ignored.
    for (let i = 0; i < 3; i += 1)
      expect((await signIn(h, { 'x-forwarded-for': `192.0.2.${i}, 198.51.100.50` })).status).toBe(202);
    for (let i = 3; i < 8; i += 1)
      expect((await signIn(h, { 'x-forwarded-for': `192.0.2.${i}, 198.51.100.50` })).status).toBe(429);
    // A different client behind the same proxy has its own budget.
    expect((await signIn(h, { 'x-forwarded-for': '192.0.2.1, 198.51.100.51' })).status).toBe(202);
  });
});

describe('TRUST_PROXY as a CIDR list', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('ratelimit_cidr', {
      worker: false,
      env: { RATE_LIMIT_AUTH_PER_HOUR: '3', TRUST_PROXY: '127.0.0.0/8, 10.0.0.0/8' },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('skips trusted proxies from the right and takes the first untrusted address', async () => {
    const via = (client: string, forged: string) => signIn(h, { 'x-forwarded-for': `${forged}, ${client}, 10.1.2.3` });
    for (let i = 0; i < 3; i += 1) expect((await via('198.51.100.60', `192.0.2.${i}`)).status).toBe(202);
    expect((await via('198.51.100.60', '192.0.2.99')).status).toBe(429);
    expect((await via('198.51.100.61', '192.0.2.99')).status).toBe(202);
    // A peer outside the list is the client itself, whatever it claims.
    for (let i = 0; i < 3; i += 1)
      expect((await signIn(h, { 'x-forwarded-for': `192.0.2.${i}` }, '203.0.113.70')).status).toBe(202);
    expect((await signIn(h, { 'x-forwarded-for': '192.0.2.200' }, '203.0.113.70')).status).toBe(429);
  });
});
