import { EntityManager } from '@mikro-orm/postgresql';
import { ProblemDetailsFilter } from '../../libs/platform/http/problem-details.filter.js';
import { organisationWithCoordinator } from '../support/actors.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * The exception filter's safety net behind validation, with the errors the real driver raises: a
 * constraint PostgreSQL enforces becomes 409/422 naming the column, never a 500 and never the
 * SQL or the values. (Validation normally stops these first; here the statements go straight to
 * the database through MikroORM, so the net itself is what is tested.)
 */
describe('database constraint violations map to 409/422', () => {
  let h: Harness;
  let em: EntityManager;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  const filter = new ProblemDetailsFilter();
  beforeAll(async () => {
    h = await startHarness('constraint_errors');
    em = h.api.get(EntityManager).fork();
    org = await organisationWithCoordinator(h, 'constraints');
  });
  afterAll(async () => {
    await h.close();
  });

  /** The problem the filter makes of what this statement throws. */
  const problemOf = async (sql: string, params: unknown[] = []) => {
    const error = await em.execute(sql, params).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    const problem = filter.toProblem(error);
    expect(JSON.stringify(problem)).not.toMatch(/insert|update|select|secret-value|violates/i);
    return problem;
  };

  it('a duplicate email → 409 naming email', async () => {
    const problem = await problemOf(`insert into accounts (email, role) values (?, 'volunteer'), (?, 'volunteer')`, [
      'secret-value@example.org',
      'secret-value@example.org',
    ]);
    expect(problem).toMatchObject({
      status: 409,
      type: 'https://kindshift.org/problems/already-exists',
      errors: [{ field: 'email', message: 'is already taken' }],
    });
  });

  it('a null where the column is not null → 422 naming it', async () => {
    const problem = await problemOf(
      `insert into organisations (name, kind, time_zone) values (null, 'soup_kitchen', 'Europe/London')`,
    );
    expect(problem).toMatchObject({ status: 422, errors: [{ field: 'name', message: 'is required' }] });
  });

  it('a check constraint → 422 naming the column', async () => {
    const [address] = await em.execute(`select id from organisation_addresses where organisation_id = ?::uuid`, [
      org.organisationId,
    ]);
    const created = await problemOf(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, required_skills, status)
       values (?::uuid, ?::uuid, 'x', now() + interval '1 day', now() + interval '1 day 2 hours', 53.4, -2.2, 0, '{}', 'draft')`,
      [org.organisationId, address.id],
    );
    expect(created).toMatchObject({ status: 422, errors: [{ field: 'capacity', message: 'is not allowed' }] });
  });

  it('a reference to a row that does not exist → 422 naming it', async () => {
    const problem = await problemOf(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, required_skills, status)
       values (?::uuid, gen_random_uuid(), 'x', now() + interval '1 day', now() + interval '1 day 2 hours', 53.4, -2.2, 2, '{}', 'draft')`,
      [org.organisationId],
    );
    expect(problem).toMatchObject({
      status: 422,
      errors: [{ field: 'addressId', message: 'refers to something that does not exist' }],
    });
  });

  it('a weekly series whose start equals its end is refused with 422 over HTTP, not 500', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const res = await h.request('POST', `/api/organisations/${org.organisationId}/series`, {
      token: org.token,
      body: {
        title: 'Zero-length',
        weekday: 2,
        start: '17:00',
        end: '17:00',
        startsOn: `${year}-03-01`,
        until: `${year}-04-20`,
        capacity: 3,
      },
    });
    expect({ status: res.status, type: String(res.headers['content-type']).split(';')[0] }).toEqual({
      status: 422,
      type: 'application/problem+json',
    });
    expect(res.body.errors?.[0]?.field).toEqual(expect.any(String));
  });
});
