import fc from 'fast-check';
import { Ajv } from 'ajv';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { OpenApiContract, toJsonSchema } from '../support/openapi-contract.js';

/**
 * The checker every e2e response goes through (test/support/openapi-contract.ts): it must pass what
 * the document describes and fail, with a message naming the operation, the status and the body
 * path, on anything else.
 */
describe('OpenAPI contract check of e2e responses', () => {
  let h: Harness;
  const json = { 'content-type': 'application/json; charset=utf-8' };
  beforeAll(async () => {
    h = await startHarness('openapi_contract', { worker: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('passes the real responses of documented operations, JSON and problem+json', async () => {
    const skills = await h.request('GET', '/api/skills');
    expect(skills.status).toBe(200);
    expect(
      h.contract.check('GET', '/api/skills', { status: 200, headers: skills.headers, text: skills.text }),
    ).toBeNull();
    const unauthenticated = await h.request('GET', '/api/me');
    expect(unauthenticated.status).toBe(401);
    const metrics = await h.request('GET', '/metrics', { token: ADMIN_TOKEN });
    expect(metrics.status).toBe(200);
  });

  it('fails a body that does not match the schema, naming operation, status and path', () => {
    const wrongType = h.contract.check('GET', '/api/skills', {
      status: 200,
      headers: json,
      text: JSON.stringify([{ slug: 7, label: 'Cooking', category: 'kitchen' }]),
    });
    expect(wrongType).toContain('VolunteersController_skills');
    expect(wrongType).toContain('→ 200');
    expect(wrongType).toContain('body/0/slug must be string');
    const extra = h.contract.check('GET', '/api/skills', {
      status: 200,
      headers: json,
      text: JSON.stringify([{ slug: 'cooking', label: 'Cooking', category: 'kitchen', secret: 1 }]),
    });
    expect(extra).toContain('must NOT have additional properties');
    const badFormat = h.contract.check('GET', '/api/me/check-ins', {
      status: 200,
      headers: json,
      text: JSON.stringify([
        {
          id: 'not-a-uuid',
          kind: 'mood',
          status: 'sent',
          dueAt: '2026-12-01T17:00:00Z',
          answeredAt: null,
          mood: null,
          who5: null,
          note: null,
        },
      ]),
    });
    expect(badFormat).toContain('body/0/id must match format "uuid"');
    const badProblem = h.contract.check('GET', '/api/me', {
      status: 401,
      headers: { 'content-type': 'application/problem+json' },
      text: JSON.stringify({ title: 'Not signed in', status: 401 }),
    });
    expect(badProblem).toContain("must have required property 'type'");
  });

  it('accepts null where the document says nullable, and nowhere else', () => {
    const checkIn = {
      id: '00000000-0000-4000-8000-000000000000',
      kind: 'who5',
      status: 'scheduled',
      dueAt: '2026-12-01T17:00:00Z',
      answeredAt: null,
      mood: null,
      who5: null,
      note: null,
    };
    expect(
      h.contract.check('GET', '/api/me/check-ins', { status: 200, headers: json, text: JSON.stringify([checkIn]) }),
    ).toBeNull();
    expect(
      h.contract.check('GET', '/api/me/check-ins', {
        status: 200,
        headers: json,
        text: JSON.stringify([{ ...checkIn, kind: null }]),
      }),
    ).toContain('body/0/kind');
  });

  it('fails an undocumented status, content type or route', () => {
    expect(h.contract.check('GET', '/api/skills', { status: 418, headers: json, text: '[]' })).toMatch(
      /status 418 is not documented/,
    );
    expect(
      h.contract.check('GET', '/api/skills', {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        text: 'cooking',
      }),
    ).toMatch(/content type "text\/plain" is not documented/);
    expect(h.contract.check('GET', '/api/not-a-route', { status: 200, headers: json, text: '{}' })).toMatch(
      /no operation in the OpenAPI document matches/,
    );
    expect(h.contract.check('PUT', '/api/skills', { status: 200, headers: json, text: '[]' })).toMatch(
      /no PUT operation for this path/,
    );
    expect(h.contract.check('DELETE', '/api/auth/sign-out', { status: 204, headers: {}, text: '' })).toMatch(
      /no DELETE operation/,
    );
    // A path or method that does not exist may only answer as a problem.
    expect(
      h.contract.check('GET', '/api/not-a-route', {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
        text: JSON.stringify({
          type: 'https://kindshift.org/problems/http-404',
          title: 'Not Found',
          status: 404,
          detail: 'x',
        }),
      }),
    ).toBeNull();
    expect(h.contract.check('GET', '/api/not-a-route', { status: 404, headers: json, text: '{}' })).toMatch(
      /expected application\/problem\+json/,
    );
  });

  it('matches the route the router resolves dot segments to, as light-my-request does', async () => {
    // `/api/skills/%2e%2e/skills` reaches GET /api/skills: the check must look up that operation.
    const resolved = await h.request('GET', '/api/me/%2e%2e/skills');
    expect(resolved.status).toBe(200);
    expect(h.contract.check('GET', '/api/me/%2e%2e/skills', { status: 200, headers: json, text: '[]' })).toBeNull();
    expect(h.contract.check('GET', '/api/me/%2e%2e/skills', { status: 418, headers: json, text: '[]' })).toMatch(
      /status 418 is not documented/,
    );
  });

  it('fails a real response once the document stops describing it', async () => {
    const document = structuredClone(h.contract.document);
    document.components.schemas.SkillDto.required.push('icon');
    const drifted = new OpenApiContract(document);
    const skills = await h.request('GET', '/api/skills');
    expect(
      drifted.check('GET', '/api/skills', { status: skills.status, headers: skills.headers, text: skills.text }),
    ).toContain("body/0 must have required property 'icon'");
    // …and the harness's request fails the test that received it.
    const contract = h.contract;
    h.contract = drifted;
    try {
      await expect(h.request('GET', '/api/skills')).rejects.toThrow(
        /OpenAPI contract: GET \/api\/skills → 200 \(VolunteersController_skills\): the body does not match/,
      );
    } finally {
      h.contract = contract;
    }
  });

  it('leaves the pages hidden from the document alone and checks only content types of HTML answers', async () => {
    const page = await h.request('GET', '/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toContain('text/html');
  });

  it('turns OpenAPI nullable into a JSON Schema null type (property)', () => {
    const ajv = new Ajv({ strict: false });
    fc.assert(
      fc.property(
        fc.constantFrom('string', 'integer', 'number', 'boolean', 'object', 'array'),
        fc.boolean(),
        fc.boolean(),
        (type, nullable, viaRef) => {
          const inner = { type, nullable };
          const schema = viaRef ? { allOf: [{ type }], nullable } : inner;
          expect(ajv.validate(toJsonSchema(schema), null)).toBe(nullable);
        },
      ),
    );
  });
});
