import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, inDays, organisationWithCoordinator } from '../support/actors.js';

/** Every denied case of the authorisation matrix, asserted one by one. */
describe('authorisation matrix', () => {
  let h: Harness;
  let a: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  let b: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  let bShiftId: string;
  let volunteer: { token: string; accountId: string };
  let otherVolunteer: { token: string; accountId: string };
  let keyA: string;
  let revokedKeyA: string;

  beforeAll(async () => {
    h = await startHarness('authz');
    a = await organisationWithCoordinator(h, 'orga');
    b = await organisationWithCoordinator(h, 'orgb');
    bShiftId = (
      await h.request('POST', `/api/organisations/${b.organisationId}/shifts`, {
        token: b.token,
        body: { title: 'B shift', startsAt: inDays(2, 10), endsAt: inDays(2, 12), capacity: 1 },
      })
    ).body.id;
    volunteer = await confirmedVolunteer(h, 'v1@example.org');
    otherVolunteer = await confirmedVolunteer(h, 'v2@example.org');
    keyA = (
      await h.request('POST', `/api/organisations/${a.organisationId}/api-keys`, {
        token: a.token,
        body: { name: 'k' },
      })
    ).body.key;
    const revoked = await h.request('POST', `/api/organisations/${a.organisationId}/api-keys`, {
      token: a.token,
      body: { name: 'old' },
    });
    revokedKeyA = revoked.body.key;
    await h.request('DELETE', `/api/organisations/${a.organisationId}/api-keys/${revoked.body.id}`, { token: a.token });
  });
  afterAll(async () => {
    await h.close();
  });

  const orgB = () => `/api/organisations/${b.organisationId}`;
  const cases: Array<[string, () => [string, string, string | undefined, unknown?], number]> = [
    ['coordinator of A reads organisation B', () => ['GET', orgB(), a.token], 403],
    ['coordinator of A lists B’s shifts', () => ['GET', `${orgB()}/shifts`, a.token], 403],
    [
      'coordinator of A edits B’s shift',
      () => ['PATCH', `${orgB()}/shifts/${bShiftId}`, a.token, { title: 'mine now' }],
      403,
    ],
    ['coordinator of A cancels B’s shift', () => ['POST', `${orgB()}/shifts/${bShiftId}/cancel`, a.token], 403],
    [
      'coordinator of A reaches B’s shift through A’s path',
      () => ['GET', `/api/organisations/${a.organisationId}/shifts/${bShiftId}`, a.token],
      404,
    ],
    ['coordinator of A makes API keys for B', () => ['POST', `${orgB()}/api-keys`, a.token, { name: 'x' }], 403],
    ['API key of A reads organisation B', () => ['GET', orgB(), keyA], 403],
    [
      'API key of A posts to B',
      () => [
        'POST',
        `${orgB()}/shifts`,
        keyA,
        { title: 'x', startsAt: inDays(2, 10), endsAt: inDays(2, 11), capacity: 1 },
      ],
      403,
    ],
    ['API key cannot manage API keys', () => ['GET', `/api/organisations/${a.organisationId}/api-keys`, keyA], 403],
    ['revoked API key', () => ['GET', `/api/organisations/${a.organisationId}`, revokedKeyA], 401],
    ['volunteer reads an organisation', () => ['GET', `/api/organisations/${a.organisationId}`, volunteer.token], 403],
    [
      'volunteer posts a shift',
      () => ['POST', `/api/organisations/${a.organisationId}/shifts`, volunteer.token, { title: 'x' }],
      403,
    ],
    ['volunteer uses the operator route', () => ['POST', '/api/admin/organisations', volunteer.token, {}], 403],
    ['coordinator uses the operator route', () => ['POST', '/api/admin/organisations', a.token, {}], 403],
    ['coordinator reads the volunteer profile route', () => ['GET', '/api/me', a.token], 403],
    ['API key reads the volunteer profile route', () => ['GET', '/api/me', keyA], 403],
    ['operator reads a volunteer profile', () => ['GET', '/api/me', ADMIN_TOKEN], 403],
    ['anonymous reads a profile', () => ['GET', '/api/me', undefined], 401],
    ['anonymous exports data', () => ['GET', '/api/me/export', undefined], 401],
    ['anonymous deletes an account', () => ['DELETE', '/api/me', undefined], 401],
    ['anonymous reads an organisation', () => ['GET', `/api/organisations/${a.organisationId}`, undefined], 401],
    ['anonymous creates an organisation', () => ['POST', '/api/admin/organisations', undefined, {}], 401],
    ['a made-up bearer token', () => ['GET', '/api/me', 'not-a-real-token-at-all'], 401],
  ];

  it.each(cases)('%s → %i', async (_name, build, expected) => {
    const [method, url, token, body] = build();
    const res = await h.request(method, url, { token, body });
    expect(res.status).toBe(expected);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('a volunteer only ever sees themselves', async () => {
    const mine = await h.request('GET', '/api/me', { token: volunteer.token });
    const theirs = await h.request('GET', '/api/me', { token: otherVolunteer.token });
    expect(mine.body.id).toBe(volunteer.accountId);
    expect(theirs.body.id).toBe(otherVolunteer.accountId);
    expect(mine.body.email).toBe('v1@example.org');
  });

  it('allowed cases pass, so the denials above are not an accident', async () => {
    expect((await h.request('GET', orgB(), { token: b.token })).status).toBe(200);
    expect((await h.request('GET', `/api/organisations/${a.organisationId}`, { token: keyA })).status).toBe(200);
    expect((await h.request('GET', '/api/skills')).status).toBe(200);
  });
});
