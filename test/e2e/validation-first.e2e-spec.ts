import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator } from '../support/actors.js';

function nextTuesdayEvening(weeksAhead: number) {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: weeksAhead })
    .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
  return { startsAt: start.toISO() as string, endsAt: start.plus({ hours: 3 }).toISO() as string };
}

describe('validation first: 422 naming the field before any database constraint', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Awaited<ReturnType<typeof organisationWithCoordinator>>;
  beforeAll(async () => {
    h = await startHarness('validation_first');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'validationfirst');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  describe('validation answers before a database constraint does', () => {
    const series = (over: Record<string, unknown>) => ({
      title: 'Weekly',
      weekday: 2,
      start: '17:00',
      end: '20:00',
      startsOn: DateTime.now().plus({ days: 1 }).toISODate(),
      until: DateTime.now().plus({ weeks: 4 }).toISODate(),
      capacity: 2,
      ...over,
    });

    it('refuses a series whose end equals its start with 422 naming end; an overnight series is fine', async () => {
      for (const [start, end] of [
        ['17:00', '17:00'],
        ['00:00', '00:00'],
      ]) {
        const res = await h.request('POST', `/api/organisations/${org.organisationId}/series`, {
          token: org.token,
          body: series({ start, end }),
        });
        expect([start, res.status]).toEqual([start, 422]);
        expect(res.body.errors).toEqual([{ field: 'end', message: expect.stringMatching(/differ/) }]);
      }
      const overnight = await h.request('POST', `/api/organisations/${org.organisationId}/series`, {
        token: org.token,
        body: series({ start: '22:00', end: '06:00' }),
      });
      expect(overnight.status).toBe(201);
      const [first] = overnight.body.shifts;
      expect(new Date(first.endsAt).getTime() - new Date(first.startsAt).getTime()).toBe(8 * 3600_000);
    });

    it('refuses a time zone the clock library knows but the database does not (its CHECK), naming timeZone', async () => {
      // Which zones differ depends on the two tzdata copies; US/Pacific-New left tzdata in 2020, ICU still has it.
      const zone = 'US/Pacific-New';
      const databaseKnows = await db.query(`select timezone($1, now())`, [zone]).then(
        () => true,
        () => false,
      );
      const registration = {
        email: 'zone@hardening.example.org',
        name: 'Zone',
        timeZone: zone,
        home: { lat: 53.48, lon: -2.24 },
        travelKm: 5,
        skills: [],
        availability: [],
      };
      const registered = await h.request('POST', '/api/volunteers', { body: registration });
      const vol = await confirmedVolunteer(h, 'zone2@hardening.example.org');
      const updated = await h.request('PATCH', '/api/me', { token: vol.token, body: { timeZone: zone } });
      const created = await h.request('POST', '/api/admin/organisations', {
        token: 'test-admin-token-0123456789',
        body: {
          name: 'Zone kitchen',
          kind: 'other',
          timeZone: zone,
          address: { label: 'Hall', lat: 53.48, lon: -2.24 },
          coordinator: { email: 'zone@org.example.org', name: 'Z' },
        },
      });
      if (databaseKnows) {
        expect([registered.status, updated.status, created.status]).toEqual([202, 200, 201]);
      } else {
        for (const res of [registered, updated, created]) {
          expect(res.status).toBe(422);
          expect(res.body.errors).toEqual([{ field: 'timeZone', message: expect.stringMatching(/time zone/) }]);
        }
      }
    });

    it('refuses null where the API does not declare a field nullable (422 naming it)', async () => {
      const vol = await confirmedVolunteer(h, 'nulls@hardening.example.org');
      const cases: Array<[string, string, unknown, string, string?]> = [
        ['PATCH', '/api/me', { paused: null }, 'paused', vol.token],
        ['PATCH', '/api/me', { name: null }, 'name', vol.token],
        ['PUT', '/api/me/check-ins/consent', { suggestions: null }, 'suggestions', vol.token],
        ['PUT', '/api/me/check-ins/consent', { checkIns: null }, 'checkIns', vol.token],
        [
          'POST',
          `/api/organisations/${org.organisationId}/series`,
          series({ addressId: null }),
          'addressId',
          org.token,
        ],
        [
          'POST',
          `/api/organisations/${org.organisationId}/shifts`,
          { title: 'N', ...nextTuesdayEvening(5), capacity: 1, addressId: null },
          'addressId',
          org.token,
        ],
        [
          'POST',
          `/api/organisations/${org.organisationId}/addresses`,
          { label: 'N', lat: 53, lon: -2, street: null },
          'street',
          org.token,
        ],
      ];
      for (const [method, url, body, field, token] of cases) {
        const res = await h.request(method, url, { body, token });
        expect([url, field, res.status]).toEqual([url, field, 422]);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await h.request('GET', '/api/me', { token: vol.token })).body.status).toBe('active');
    });
  });
});
