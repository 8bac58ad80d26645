import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { confirmedVolunteer, organisationWithCoordinator, NO_QUIET } from '../support/actors.js';

// The test waits for an offer email: without this, at night in London the offer waits for the morning.
describe('matching API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('matching_api');
  });
  afterAll(async () => {
    await h.close();
  });

  it('ranks, explains and counts exclusions for a coordinator; lists fitting shifts for a volunteer', async () => {
    const org = await organisationWithCoordinator(h, 'matchapi');
    const fits = await confirmedVolunteer(h, 'fits@example.org', { name: 'Fits', quietHours: NO_QUIET });
    await confirmedVolunteer(h, 'noskill@example.org', { skills: ['dog-walking'], quietHours: NO_QUIET });
    const other = await organisationWithCoordinator(h, 'matchother');

    // Next Tuesday 17:00–20:00 in London: inside both volunteers' Tuesday 16:00–22:00 window.
    const tuesday = DateTime.now()
      .setZone('Europe/London')
      .plus({ weeks: 1 })
      .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });

    // A volunteer's own list leaves out shifts they already have an offer for (they answer those
    // on /me), and the worker's wave would offer them the shift under test at some moment. Having
    // just declined another offer, they are in the decline cool-down: no wave offers them anything,
    // so the list below does not depend on when the wave runs.
    const earlier = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: 'Prep',
        startsAt: tuesday.minus({ hours: 1 }).toISO(),
        endsAt: tuesday.toISO(),
        capacity: 1,
        requiredSkills: ['cooking'],
        publish: true,
      },
    });
    expect(earlier.status).toBe(201);
    await h.smtp.waitFor((m) => m.to.includes('fits@example.org') && m.text.includes('Prep'));
    const offered = (await h.request('GET', '/api/me/offers', { token: fits.token })).body.find(
      (o: { shiftId: string }) => o.shiftId === earlier.body.id,
    );
    const declined = await h.request('POST', `/api/me/offers/${offered.offerId}/answer`, {
      token: fits.token,
      body: { action: 'decline' },
    });
    expect(declined.status).toBe(200);
    const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: {
        title: 'Dinner',
        startsAt: tuesday.toISO(),
        endsAt: tuesday.plus({ hours: 3 }).toISO(),
        capacity: 2,
        requiredSkills: ['cooking'],
        publish: true,
      },
    });
    expect(shift.status).toBe(201);

    const res = await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shift.body.id}/matches`, {
      token: org.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.matches.map((m: { volunteerId: string }) => m.volunteerId)).toEqual([fits.accountId]);
    expect(res.body.matches[0].name).toBe('Fits');
    expect(res.body.matches[0].explanation).toMatch(/km away · .*cooking.* · fits your Tuesday 16:00–22:00/);
    expect(res.body.excluded.skills).toBe(1);
    expect(res.body.totalCandidates).toBe(2);

    const mine = await h.request('GET', '/api/me/shifts', { token: fits.token });
    expect(mine.status).toBe(200);
    expect(mine.body.map((s: { shiftId: string }) => s.shiftId)).toContain(shift.body.id);
    expect(mine.body[0].localTime).toMatch(/17:00–20:00 \(Europe\/London\)/);

    const denied = await h.request(
      'GET',
      `/api/organisations/${other.organisationId}/shifts/${shift.body.id}/matches`,
      { token: other.token },
    );
    expect(denied.status).toBe(404);
    expect(
      (
        await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shift.body.id}/matches`, {
          token: fits.token,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await h.request('GET', `/api/organisations/${org.organisationId}/shifts/${shift.body.id}/matches?limit=1000`, {
          token: org.token,
        })
      ).body.errors[0].field,
    ).toBe('limit');
  });
});
