import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness.js';

describe('unsupported methods', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('methods', { worker: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 405 with Allow on a known path, 404 on an unknown one', async () => {
    const res = await h.request('DELETE', '/api/skills');
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(String(res.headers.allow).split(/,\s*/).sort()).toEqual(['GET', 'HEAD']);
    expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
    expect(res.body.detail).toMatch(/DELETE is not supported/);

    const me = await h.request('PUT', '/api/me');
    expect(me.status).toBe(405);
    expect(String(me.headers.allow).split(/,\s*/).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);

    // Parameters and a query string are matched like the router does.
    const withParams = await h.request('GET', `/api/me/bookings/${randomUUID()}/cancel?x=1`);
    expect(withParams.status).toBe(405);
    expect(withParams.headers.allow).toBe('POST');

    // A page: the same rule.
    const page = await h.request('DELETE', '/sign-in');
    expect(page.status).toBe(405);
    expect(String(page.headers.allow).split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('keeps 404 problem+json for paths nothing serves', async () => {
    for (const [method, url] of [
      ['GET', '/api/no-such-thing'],
      ['POST', '/api/me/nothing'],
      ['DELETE', '/nowhere'],
    ]) {
      const unknown = await h.request(method, url);
      expect([url, unknown.status]).toEqual([url, 404]);
      expect(unknown.headers.allow).toBeUndefined();
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});
