import { startHarness, type Harness } from '../support/harness.js';

describe('operations: health, OpenAPI, config', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('ops', { worker: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('liveness and readiness (PostgreSQL and Redis checked)', async () => {
    expect((await h.request('GET', '/health/live')).status).toBe(200);
    const ready = await h.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('documents every route in OpenAPI', async () => {
    const doc = await h.request('GET', '/docs/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/api/volunteers',
      '/api/me',
      '/api/auth/sign-in',
      '/api/admin/organisations',
      '/api/organisations/{organisationId}/shifts',
      '/api/organisations/{organisationId}/series',
      '/api/organisations/{organisationId}/api-keys',
      '/links/verify',
      '/health/ready',
    ]) {
      expect(paths).toContain(path);
    }
    const register = doc.body.paths['/api/volunteers'].post;
    expect(register.requestBody).toBeDefined();
    expect(JSON.stringify(doc.body.components.schemas.RegisterVolunteerDto)).toContain('Europe/London');
  });

  it('refuses to start with a bad configuration, naming the variable', async () => {
    const { parseConfig } = await import('../../libs/platform/config/index.js');
    const env = { ...process.env, SESSION_SECRET: 'short', REDIS_URL: undefined };
    expect(() => parseConfig(env)).toThrow(/SESSION_SECRET: SESSION_SECRET must be at least 16 characters/);
    expect(() => parseConfig(env)).toThrow(/REDIS_URL/);
  });
});
