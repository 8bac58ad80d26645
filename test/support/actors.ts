import { DateTime } from 'luxon';
import { linkFrom } from './smtp-sink.js';
import { ADMIN_TOKEN, type Harness } from './harness.js';

export const MANCHESTER = { lat: 53.4808, lon: -2.2426 };

/** Creates an organisation as the operator and signs its coordinator in; returns ids and a bearer token. */
export async function organisationWithCoordinator(h: Harness, slug: string, overrides: Record<string, unknown> = {}) {
  const email = `coordinator@${slug}.example.org`;
  const created = await h.request('POST', '/api/admin/organisations', {
    token: ADMIN_TOKEN,
    body: {
      name: `Kitchen ${slug}`,
      kind: 'soup_kitchen',
      timeZone: 'Europe/London',
      address: { label: 'Main hall', street: '1 Example Street', ...MANCHESTER },
      coordinator: { email, name: 'Alex' },
      ...overrides,
    },
  });
  if (created.status !== 201) throw new Error(`organisation not created: ${created.status} ${created.text}`);
  const invite = await h.smtp.waitFor((m) => m.to.includes(email));
  const session = await h.request('POST', '/links/sign-in', {
    body: { token: linkFrom(invite, '/links/sign-in').token },
    headers: { accept: 'application/json' },
  });
  if (session.status !== 200) throw new Error(`coordinator not signed in: ${session.status} ${session.text}`);
  return {
    organisationId: created.body.id as string,
    addressId: created.body.addresses[0].id as string,
    token: session.body.token as string,
    email,
  };
}

/** Registers and confirms a volunteer; returns a bearer token. */
export async function confirmedVolunteer(h: Harness, email: string, overrides: Record<string, unknown> = {}) {
  const res = await h.request('POST', '/api/volunteers', {
    body: {
      email,
      name: 'Vol',
      timeZone: 'Europe/London',
      home: MANCHESTER,
      travelKm: 10,
      skills: ['cooking'],
      availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
      ...overrides,
    },
  });
  if (res.status !== 202) throw new Error(`volunteer not registered: ${res.status} ${res.text}`);
  const mail = await h.smtp.waitFor((m) => m.to.includes(email));
  const session = await h.request('POST', '/links/verify', {
    body: { token: linkFrom(mail, '/links/verify').token },
    headers: { accept: 'application/json' },
  });
  if (session.status !== 200) throw new Error(`volunteer not confirmed: ${session.status} ${session.text}`);
  return {
    token: session.body.token as string,
    accountId: (await h.request('GET', '/api/me', { token: session.body.token })).body.id as string,
  };
}

/** An ISO instant `days` from now at the given UTC hour. */
export function inDays(days: number, hourUtc: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  date.setUTCHours(hourUtc, 0, 0, 0);
  return date.toISOString();
}

/** Quiet hours that never apply: tests that wait for offer mail must not depend on the clock's hour. */
export const NO_QUIET = { start: '00:00', end: '00:00' };

/** Tuesday 17:00–20:00 London time, `weeksAhead` from now: inside the test volunteers' Tuesday 16:00–22:00 window. */
export function tuesdayEvening(weeksAhead: number): { startsAt: string; endsAt: string } {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: weeksAhead })
    .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
  return { startsAt: start.toISO() as string, endsAt: start.plus({ hours: 3 }).toISO() as string };
}
