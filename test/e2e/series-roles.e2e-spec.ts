import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { organisationWithCoordinator } from '../support/actors.js';
import { GenerateSeriesShiftsJob } from '../../libs/organisations/jobs/generate-series-shifts.job.js';

/** Weekly series with roles (ADR 0029): every generated shift gets the series' roles. */
describe('weekly series with roles', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  beforeAll(async () => {
    h = await startHarness('series-roles', { env: { SERIES_HORIZON_WEEKS: '4' } });
    org = await organisationWithCoordinator(h, 'series-roles');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });

  const series = () => `/api/organisations/${org.organisationId}/series`;
  const window = () => {
    const today = DateTime.now().setZone('Europe/London');
    return { startsOn: today.toISODate() as string, until: today.plus({ weeks: 8 }).toISODate() as string };
  };
  const rolesByShift = async (seriesId: string) =>
    (
      await db.query(
        `select s.id, s.capacity, json_agg(json_build_object('name', r.name, 'capacity', r.capacity,
                'requiredSkills', r.required_skills, 'notes', r.notes) order by r.position) as roles
           from shifts s join shift_roles r on r.shift_id = s.id
          where s.series_id = $1 group by s.id`,
        [seriesId],
      )
    ).rows;

  it('a series with two roles generates two-role shifts whose capacity is their sum', async () => {
    const res = await h.request('POST', series(), {
      token: org.token,
      body: {
        title: 'Thursday dinner',
        weekday: 4,
        start: '17:00',
        end: '20:00',
        ...window(),
        roles: [
          { name: 'Kitchen lead', capacity: 1, requiredSkills: ['food-safety-certificate'], notes: 'Opens up' },
          { name: 'Servers', capacity: 4 },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.shifts.length).toBeGreaterThanOrEqual(3);
    for (const shift of res.body.shifts) {
      expect(shift.capacity).toBe(5);
      expect(shift.roles).toMatchObject([
        {
          name: 'Kitchen lead',
          capacity: 1,
          filled: 0,
          requiredSkills: ['food-safety-certificate'],
          notes: 'Opens up',
        },
        { name: 'Servers', capacity: 4, filled: 0, requiredSkills: [], notes: '' },
      ]);
    }
    const rows = await rolesByShift(res.body.id);
    expect(rows).toHaveLength(res.body.shifts.length);
    for (const row of rows)
      expect(row.roles.map((role: { name: string }) => role.name)).toEqual(['Kitchen lead', 'Servers']);
    // The worker's generation job (the same path that extends series week by week) gives a newly
    // generated occurrence the series' roles too: remove the last one, and let the job put it back.
    const last = res.body.shifts[res.body.shifts.length - 1];
    await db.query(`delete from shifts where id = $1`, [last.id]);
    const job = h.worker!.get(GenerateSeriesShiftsJob);
    expect(await job.handle({ seriesId: res.body.id })).toEqual({ created: 1 });
    const regenerated = await db.query(
      `select r.name, r.capacity from shifts s join shift_roles r on r.shift_id = s.id
        where s.series_id = $1 and s.starts_at = $2 order by r.position`,
      [res.body.id, last.startsAt],
    );
    expect(regenerated.rows).toEqual([
      { name: 'Kitchen lead', capacity: 1 },
      { name: 'Servers', capacity: 4 },
    ]);
    const stored = await db.query(`select capacity, roles from shift_series where id = $1`, [res.body.id]);
    expect(stored.rows[0].capacity).toBe(5);
    expect(stored.rows[0].roles).toEqual([
      {
        name: 'Kitchen lead',
        capacity: 1,
        requiredSkills: ['food-safety-certificate'],
        niceSkills: [],
        notes: 'Opens up',
      },
      { name: 'Servers', capacity: 4, requiredSkills: [], niceSkills: [], notes: '' },
    ]);
  });

  it('a series without roles generates one-role shifts ("Volunteer") exactly as before', async () => {
    const res = await h.request('POST', series(), {
      token: org.token,
      body: { title: 'Friday breakfast', weekday: 5, start: '07:00', end: '09:00', ...window(), capacity: 3 },
    });
    expect(res.status).toBe(201);
    expect(res.body.shifts.length).toBeGreaterThanOrEqual(3);
    for (const shift of res.body.shifts)
      expect(shift.roles).toMatchObject([{ name: 'Volunteer', capacity: 3, requiredSkills: [] }]);
    const stored = await db.query(`select roles from shift_series where id = $1`, [res.body.id]);
    expect(stored.rows[0].roles).toBeNull();
  });

  it('names the row and field of a bad role, and asks for capacity without roles', async () => {
    const base = { title: 'Bad', weekday: 3, start: '10:00', end: '12:00', ...window() };
    const badRow = await h.request('POST', series(), {
      token: org.token,
      body: {
        ...base,
        roles: [
          { name: 'Cooks', capacity: 2 },
          { name: 'Servers', capacity: 0 },
        ],
      },
    });
    expect(badRow.status).toBe(422);
    expect(badRow.body.errors).toEqual([{ field: 'roles.1.capacity', message: expect.any(String) }]);
    const badSkill = await h.request('POST', series(), {
      token: org.token,
      body: { ...base, roles: [{ name: 'Cooks', capacity: 2, requiredSkills: ['juggling'] }] },
    });
    expect(badSkill.status).toBe(422);
    expect(badSkill.body.errors).toEqual([{ field: 'roles.0.requiredSkills', message: expect.any(String) }]);
    const wrongSum = await h.request('POST', series(), {
      token: org.token,
      body: { ...base, capacity: 3, roles: [{ name: 'Cooks', capacity: 2 }] },
    });
    expect(wrongSum.status).toBe(422);
    expect(wrongSum.body.errors).toEqual([{ field: 'capacity', message: expect.any(String) }]);
    const noSize = await h.request('POST', series(), { token: org.token, body: base });
    expect(noSize.status).toBe(422);
    expect(noSize.body.errors).toEqual([{ field: 'capacity', message: expect.any(String) }]);
    const none = await db.query(`select count(*)::int as n from shift_series where title = 'Bad'`);
    expect(none.rows[0].n).toBe(0);
  });
});
