import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
import { createTestDatabase } from '../support/test-database.js';
import { Hours20261206 } from '../../libs/platform/database/migrations/20261206-hours.migration.js';
import { confirmedVolunteer, organisationWithCoordinator } from '../support/actors.js';

type Org = Awaited<ReturnType<typeof organisationWithCoordinator>>;
type Vol = Awaited<ReturnType<typeof confirmedVolunteer>>;

/** RFC 4180 rows (quoted fields, doubled quotes), enough to read back what @fast-csv/format wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\ufeff/, '');
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted && c === '"' && body[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endField();
    } else if (!quoted && (c === '\n' || c === '\r')) {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

const londonDate = (at: DateTime) => at.setZone('Europe/London').toISODate()!;

describe('hours ledger and statements', () => {
  let h: Harness;
  let db: pg.Client;
  let org: Org;
  let otherOrg: Org;
  /** A volunteer for the bad-input table: every request there is refused, so nothing is shared. */
  let refused: Vol;
  const base = DateTime.utc().minus({ days: 20 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  let serial = 0;

  beforeAll(async () => {
    h = await startHarness('hours');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'hours-main', { name: 'Riverside Soup Kitchen' });
    otherOrg = await organisationWithCoordinator(h, 'hours-other', { name: 'Other Shelter' });
    refused = await volunteer('refused');
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** A volunteer of its own for each test, so no test depends on what another left behind. */
  function volunteer(slug: string, name = 'Robin Hours') {
    return confirmedVolunteer(h, `hours-${slug}-${++serial}@example.org`, { name });
  }

  /** A shift of `o` in the past with the volunteer booked (confirmed) on it. */
  async function pastBooking(o: Org, v: Vol, title: string, start: DateTime, hours: number) {
    const end = start.plus({ hours });
    const shift = await db.query(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
       select $1, id, $2, $3, $4, lat, lon, 5, 1, 'open' from organisation_addresses where organisation_id = $1 returning id`,
      [o.organisationId, title, start.toISO(), end.toISO()],
    );
    const booking = await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) values ($1, $2, 'confirmed', tstzrange($3, $4)) returning id`,
      [shift.rows[0].id, v.accountId, start.toISO(), end.toISO()],
    );
    return { shiftId: shift.rows[0].id as string, bookingId: booking.rows[0].id as string };
  }

  const mark = (o: Org, b: { shiftId: string; bookingId: string }, status: 'attended' | 'no_show') =>
    h.request('POST', `/api/organisations/${o.organisationId}/shifts/${b.shiftId}/bookings/${b.bookingId}/attendance`, {
      token: o.token,
      body: { status },
    });
  async function attended(o: Org, v: Vol, title: string, start: DateTime, hours: number) {
    const b = await pastBooking(o, v, title, start, hours);
    expect((await mark(o, b, 'attended')).status).toBe(204);
    return b;
  }
  const mine = async (v: Vol) => {
    const res = await h.request('GET', '/api/me/hours', { token: v.token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const entryOf = async (bookingId: string) => {
    const row = await db.query(`select id from hours_entries where booking_id = $1`, [bookingId]);
    return row.rows[0]?.id as string | undefined;
  };
  /** The entry of that title (undefined when there is none); the body is the API's JSON. */
  const titled = (hours: { entries: Array<{ title: string }> }, title: string) =>
    hours.entries.find((e) => e.title === title) as unknown as Record<string, unknown> & {
      id: string;
      minutes: number;
    };
  const logHours = (v: Vol, body: Record<string, unknown>, o: Org = org) =>
    h.request('POST', '/api/me/hours', { token: v.token, body: { organisationId: o.organisationId, ...body } });
  const decide = (o: Org, entryId: string, body: Record<string, unknown>, as: Org = o) =>
    h.request('POST', `/api/organisations/${o.organisationId}/hours/${entryId}/decision`, { token: as.token, body });
  const adjust = (o: Org, entryId: string, body: Record<string, unknown>) =>
    h.request('POST', `/api/organisations/${o.organisationId}/hours/${entryId}/adjustment`, { token: o.token, body });

  it('an attended booking credits its scheduled hours; arrival times win where recorded', async () => {
    const vol = await volunteer('credit');
    const scheduled = await pastBooking(org, vol, 'Breakfast service', base, 3);
    expect(await entryOf(scheduled.bookingId)).toBeUndefined(); // confirmed, within the grace period: not yet
    expect((await mark(org, scheduled, 'attended')).status).toBe(204);
    const byArrival = await attended(org, vol, 'Lunch service', base.plus({ hours: 5 }), 2);
    // The door record: 15 minutes late, left 30 minutes early → 75 minutes.
    await db.query(
      `insert into arrivals (booking_id, shift_id, arrived_at, arrived_via, left_at, left_via) values ($1, $2, $3, 'qr', $4, 'kiosk')`,
      [
        byArrival.bookingId,
        byArrival.shiftId,
        base.plus({ hours: 5, minutes: 15 }).toISO(),
        base.plus({ hours: 6, minutes: 30 }).toISO(),
      ],
    );
    const hours = await mine(vol);
    expect(titled(hours, 'Breakfast service')).toMatchObject({
      kind: 'shift',
      status: 'credited',
      minutes: 180,
      source: 'scheduled',
      counts: true,
      date: londonDate(base),
    });
    expect(titled(hours, 'Lunch service')).toMatchObject({ minutes: 75, source: 'arrival', hours: '1.25' });
    expect(hours.totalMinutes).toBe(255);
    expect(hours.organisations).toEqual([
      { organisationId: org.organisationId, organisationName: 'Riverside Soup Kitchen', minutes: 255, entries: 2 },
    ]);
    // A departure recorded later is reflected at once (credits are computed on read).
    await db.query(`update arrivals set left_at = $2 where booking_id = $1`, [
      byArrival.bookingId,
      base.plus({ hours: 7 }).toISO(),
    ]);
    const later = await mine(vol);
    expect(titled(later, 'Lunch service').minutes).toBe(105);
    expect(later.totalMinutes).toBe(285);
  });

  it('a confirmed booking past the grace period counts as attended, as check-ins count it', async () => {
    const vol = await volunteer('grace');
    const unmarked = await pastBooking(org, vol, 'Unmarked evening', base, 2);
    const recent = await pastBooking(org, vol, 'Ended an hour ago', DateTime.utc().minus({ hours: 3 }), 2);
    const hours = await mine(vol);
    expect(titled(hours, 'Unmarked evening')).toMatchObject({ minutes: 120, source: 'scheduled', counts: true });
    expect(titled(hours, 'Ended an hour ago')).toBeUndefined(); // within CHECK_IN_GRACE_HOURS: not yet
    expect(await entryOf(unmarked.bookingId)).toBeDefined();
    expect(await entryOf(recent.bookingId)).toBeUndefined();
  });

  it('a coordinator adjusts with a reason (422 without one); no-show voids the entry', async () => {
    const vol = await volunteer('adjust');
    const b = await attended(org, vol, 'Pantry sort', base, 2);
    const entryId = (await entryOf(b.bookingId))!;
    const noReason = await adjust(org, entryId, { minutes: 150 });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const tooMany = await adjust(org, entryId, { minutes: 1441, reason: 'x' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0].field).toBe('minutes');
    const adjusted = await adjust(org, entryId, { minutes: 150, reason: 'Stayed to finish the delivery' });
    expect(adjusted.status).toBe(200);
    expect(adjusted.body).toMatchObject({
      minutes: 150,
      source: 'adjusted',
      adjustReason: 'Stayed to finish the delivery',
    });
    expect(titled(await mine(vol), 'Pantry sort')).toMatchObject({
      minutes: 150,
      adjustReason: 'Stayed to finish the delivery',
    });
    // Another organisation cannot adjust it.
    const foreign = await h.request('POST', `/api/organisations/${org.organisationId}/hours/${entryId}/adjustment`, {
      token: otherOrg.token,
      body: { minutes: 10, reason: 'no' },
    });
    expect(foreign.status).toBe(403);

    const noShow = await attended(org, vol, 'Missed shift', base.plus({ days: 1 }), 2);
    expect((await mark(org, noShow, 'no_show')).status).toBe(204);
    const hours = await mine(vol);
    const voided = titled(hours, 'Missed shift');
    expect(voided).toMatchObject({ status: 'voided', minutes: 0, counts: false });
    expect(hours.totalMinutes).toBe(150);
    expect((await adjust(org, voided.id, { minutes: 60, reason: 'try' })).status).toBe(409);
    // Marked attended again, it counts again.
    expect((await mark(org, noShow, 'attended')).status).toBe(204);
    expect(titled(await mine(vol), 'Missed shift')).toMatchObject({ status: 'credited', minutes: 120 });
  });

  it('logged hours are pending until approved; declined ones never count; only the own organisation decides', async () => {
    const own = await organisationWithCoordinator(h, 'hours-decide', { name: 'Deciding Kitchen' });
    const vol = await volunteer('decide');
    const logged = await logHours(
      vol,
      { date: londonDate(base), startTime: '10:00', endTime: '12:30', description: 'Fundraising stall' },
      own,
    );
    expect(logged.status).toBe(201);
    expect(logged.body).toMatchObject({
      kind: 'logged',
      status: 'pending',
      minutes: 0,
      loggedMinutes: 150,
      counts: false,
    });
    expect((await mine(vol)).totalMinutes).toBe(0);
    const pending = await h.request('GET', `/api/organisations/${own.organisationId}/hours?status=pending`, {
      token: own.token,
    });
    expect(pending.body.map((e: { id: string }) => e.id)).toEqual([logged.body.id]);

    // Another organisation's coordinator: refused on this organisation's path, not found on their own.
    expect((await decide(own, logged.body.id, { decision: 'approve' }, otherOrg)).status).toBe(403);
    expect((await decide(otherOrg, logged.body.id, { decision: 'approve' })).status).toBe(404);
    expect((await decide(own, logged.body.id, { decision: 'maybe' })).body.errors[0].field).toBe('decision');

    const approved = await decide(own, logged.body.id, { decision: 'approve', note: 'Thank you!' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', minutes: 150, counts: true, decisionNote: 'Thank you!' });
    expect((await mine(vol)).totalMinutes).toBe(150);
    expect((await decide(own, logged.body.id, { decision: 'decline' })).status).toBe(409);

    const declined = await logHours(
      vol,
      { date: londonDate(base.plus({ days: 1 })), minutes: 90, description: 'Leaflets' },
      own,
    );
    expect(declined.status).toBe(201);
    expect((await decide(own, declined.body.id, { decision: 'decline' })).body).toMatchObject({
      status: 'declined',
      counts: false,
    });
    const after = await mine(vol);
    expect(after.totalMinutes).toBe(150);
    expect(after.entries.map((e: { status: string }) => e.status)).toEqual(['approved', 'declined']);
  });

  it.each([
    ['negative minutes', { minutes: -30 }, 'minutes'],
    ['zero minutes', { minutes: 0 }, 'minutes'],
    ['over 24 hours', { minutes: 1441 }, 'minutes'],
    [
      'a future date',
      { date: DateTime.now().setZone('Europe/London').plus({ days: 2 }).toISODate(), minutes: 60 },
      'date',
    ],
    ['an end before the start', { startTime: '14:00', endTime: '13:00' }, 'endTime'],
    ['a start without an end', { startTime: '14:00' }, 'endTime'],
    ['neither times nor minutes', {}, 'minutes'],
    [
      'an unknown organisation',
      { organisationId: '00000000-0000-4000-8000-000000000000', minutes: 60 },
      'organisationId',
    ],
    ['a malformed date', { date: '28/11/2026', minutes: 60 }, 'date'],
    ['an impossible date', { date: '2026-02-30', minutes: 60 }, 'date'],
    ['a malformed time', { startTime: '9.30', endTime: '10:00' }, 'startTime'],
    ['no description', { minutes: 60, description: '' }, 'description'],
  ])('logging %s → 422 naming %s', async (_what, input, field) => {
    const res = await logHours(refused, { date: londonDate(base), description: 'Work', ...input });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBe(field);
  });

  it('logging hours that overlap a shift entry or another logged entry → 422 naming the field', async () => {
    const vol = await volunteer('overlap');
    await attended(org, vol, 'Breakfast service', base, 3);
    const local = base.setZone('Europe/London');
    const overlapShift = await logHours(vol, {
      date: londonDate(base),
      startTime: local.plus({ hours: 1 }).toFormat('HH:mm'),
      endTime: local.plus({ hours: 4 }).toFormat('HH:mm'),
      description: 'Same time as breakfast',
    });
    expect(overlapShift.status).toBe(422);
    expect(overlapShift.body.errors[0].field).toBe('startTime');
    const afterShift = await logHours(vol, {
      date: londonDate(base),
      startTime: local.plus({ hours: 3 }).toFormat('HH:mm'),
      endTime: local.plus({ hours: 4 }).toFormat('HH:mm'),
      description: 'Right after breakfast',
    });
    expect(afterShift.status).toBe(201); // touching is not overlapping
    const day = londonDate(base.plus({ days: 1 }));
    expect(
      (await logHours(vol, { date: day, startTime: '10:00', endTime: '12:30', description: 'Stall' })).status,
    ).toBe(201);
    const clash = await logHours(vol, { date: day, startTime: '12:00', endTime: '13:00', description: 'Clash' });
    expect(clash.status).toBe(422);
    expect(clash.body.errors[0].field).toBe('startTime');
    const dayFull = await logHours(vol, { date: day, minutes: 1440 - 150 + 1, description: 'Too much' });
    expect(dayFull.status).toBe(422);
    expect(dayFull.body.errors[0].field).toBe('minutes');
    expect((await logHours(vol, { date: day, minutes: 1440 - 150, description: 'The rest of the day' })).status).toBe(
      201,
    );

    // An unmarked shift past the grace period is an entry too, even before anyone read the ledger.
    const other = await volunteer('overlap-unmarked');
    await pastBooking(org, other, 'Unmarked lunch', base, 2);
    const overUnmarked = await logHours(other, {
      date: londonDate(base),
      startTime: local.plus({ minutes: 30 }).toFormat('HH:mm'),
      endTime: local.plus({ hours: 1 }).toFormat('HH:mm'),
      description: 'During lunch',
    });
    expect(overUnmarked.status).toBe(422);
    expect(overUnmarked.body.errors[0].field).toBe('startTime');

    // Two overlapping entries sent at once: one is logged, the other refused.
    const race = londonDate(base.plus({ days: 5 }));
    const both = await Promise.all(
      ['Twice', 'At once'].map((description) =>
        logHours(other, { date: race, startTime: '14:00', endTime: '15:00', description }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
  });

  it('the statement CSV and PDF carry the ledger figures, and the verification link shows the same', async () => {
    const vol = await volunteer('statement');
    const breakfast = await attended(org, vol, 'Breakfast service', base, 3);
    const lunch = await attended(org, vol, 'Lunch service', base.plus({ days: 1 }), 2);
    await db.query(
      `insert into arrivals (booking_id, shift_id, arrived_at, arrived_via) values ($1, $2, $3, 'kiosk')`,
      [lunch.bookingId, lunch.shiftId, base.plus({ days: 1, minutes: 20 }).toISO()],
    );
    const logged = await logHours(vol, {
      date: londonDate(base.plus({ days: 2 })),
      minutes: 45,
      description: 'Rota calls',
    });
    await decide(org, logged.body.id, { decision: 'approve' });
    await logHours(vol, { date: londonDate(base.plus({ days: 3 })), minutes: 30, description: 'Still pending' });
    await attended(otherOrg, vol, 'Shelter night', base.plus({ days: 4 }), 4);

    const ledger = await mine(vol);
    const ledgerOrg = ledger.organisations.find(
      (o: { organisationId: string }) => o.organisationId === org.organisationId,
    );
    expect(ledgerOrg).toMatchObject({ minutes: 180 + 100 + 45, entries: 3 });
    const csv = await h.request('GET', `/me/hours/statement.csv?organisation=${org.organisationId}`, {
      token: vol.token,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([
      'Reference',
      'Verify at',
      'Volunteer',
      'Organisation',
      'Date',
      'Activity',
      'Source',
      'Minutes',
      'Hours',
    ]);
    expect(rows.map((r) => [r[4], r[5], Number(r[7])])).toEqual([
      [londonDate(base), 'Breakfast service', 180],
      [londonDate(base.plus({ days: 1 })), 'Lunch service', 100],
      [londonDate(base.plus({ days: 2 })), 'Rota calls', 45],
    ]);
    expect(rows.reduce((sum, r) => sum + Number(r[7]), 0)).toBe(ledgerOrg.minutes);
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(['Riverside Soup Kitchen']));
    // The statement form sends its fields even when left empty: blank means "all" and "today".
    const blank = await h.request('GET', '/me/hours/statement.csv?organisation=&from=&to=', { token: vol.token });
    expect(blank.status).toBe(200);
    const all = parseCsv(blank.text).slice(1);
    expect(all.reduce((sum, r) => sum + Number(r[7]), 0)).toBe(ledger.totalMinutes);
    expect(ledger.totalMinutes).toBe(325 + 240);

    const raw = (
      await h.api
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'GET',
          url: `/me/hours/statement.pdf?organisation=${org.organisationId}`,
          headers: { authorization: `Bearer ${vol.token}` },
        })
    ).rawPayload;
    const pdf = await h.request('GET', `/me/hours/statement.pdf?organisation=${org.organisationId}`, {
      token: vol.token,
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = raw.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    // The document's information dictionary is never compressed: organisation and total are readable there.
    expect(text).toContain('Riverside Soup Kitchen');
    expect(text).toContain('5.42 hours');
    const path = new URL(/\/URI \((http[^)]+\/verify\/hours\/[^)]+)\)/.exec(text)![1]).pathname;
    const page = await h.request('GET', path, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Robin Hours');
    expect(page.text).toContain('Riverside Soup Kitchen');
    expect(page.text).toContain('5.42 hours in 3 entries');
    expect(page.text).toContain('the ledger still agrees');
    expect(page.text).not.toContain('Shelter night');

    const tampered = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const forged = await h.request('GET', tampered, { headers: { accept: 'text/html' } });
    expect(forged.status).toBe(404);
    expect(forged.text).toContain('Statement not found');
    expect((await h.request('GET', '/verify/hours/nonsense', { headers: { accept: 'text/html' } })).status).toBe(404);

    // After a later adjustment the link still shows the figures as issued, and says the ledger moved.
    await adjust(org, (await entryOf(breakfast.bookingId))!, { minutes: 120, reason: 'Left early' });
    const later = await h.request('GET', new URL(rows[0][1]).pathname, { headers: { accept: 'text/html' } });
    expect(later.status).toBe(200);
    expect(later.text).toContain('5.42 hours in 3 entries');
    expect(later.text).toContain('the ledger has changed since');
    expect(later.text).toContain('4.42 hours');
  });

  it('the coordinator exports the organisation’s hours for a period as CSV, formulas neutralised', async () => {
    const own = await organisationWithCoordinator(h, 'hours-export', { name: 'Export Kitchen' });
    const vol = await volunteer('export', 'Sam Export');
    await attended(own, vol, 'In the period', base, 2);
    await attended(own, vol, 'Also in it', base.plus({ days: 1 }), 1);
    await attended(own, vol, 'After the period', base.plus({ days: 3 }), 1);
    const from = londonDate(base);
    const to = londonDate(base.plus({ days: 1 }));
    const res = await h.request('GET', `/api/organisations/${own.organisationId}/hours.csv?from=${from}&to=${to}`, {
      token: own.token,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(`kindshift-hours-${from}-to-${to}.csv`);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['Volunteer', 'Date', 'Shift or activity', 'Minutes', 'Hours', 'Source', 'Status']);
    expect(rows).toEqual([
      ['Sam Export', from, 'In the period', '120', '2', 'scheduled', 'credited'],
      ['Sam Export', to, 'Also in it', '60', '1', 'scheduled', 'credited'],
    ]);
    const page = await h.request('GET', `/org/hours.csv?from=${from}&to=${to}`, { token: own.token });
    expect(parseCsv(page.text)).toEqual(parseCsv(res.text));
    // An integration with the organisation's API key gets the same export.
    const key = await h.request('POST', `/api/organisations/${own.organisationId}/api-keys`, {
      token: own.token,
      body: { name: 'Payroll' },
    });
    expect(key.status).toBe(201);
    const viaKey = await h.request('GET', `/api/organisations/${own.organisationId}/hours.csv?from=${from}&to=${to}`, {
      token: key.body.key,
    });
    expect(viaKey.status).toBe(200);
    expect(parseCsv(viaKey.text)).toEqual(parseCsv(res.text));
    const blankPeriod = await h.request('GET', '/org/hours?from=&to=', {
      token: own.token,
      headers: { accept: 'text/html' },
    });
    expect(blankPeriod.status).toBe(200);
    expect(blankPeriod.text).toContain('After the period');
    expect((await h.request('GET', '/org/hours.csv?from=&to=', { token: own.token })).status).toBe(200);
    const bad = await h.request('GET', `/api/organisations/${own.organisationId}/hours.csv?from=yesterday`, {
      token: own.token,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('from');
    const impossible = await h.request('GET', `/api/organisations/${own.organisationId}/hours.csv?to=2026-02-30`, {
      token: own.token,
    });
    expect(impossible.status).toBe(422);
    expect(impossible.body.errors[0].field).toBe('to');
    const statement = await h.request('GET', '/me/hours/statement.pdf?from=2026-13-01', {
      token: vol.token,
      headers: { accept: 'text/html' },
    });
    expect(statement.status).toBe(422);
    expect(statement.text).toContain('from');
    const backwards = await h.request(
      'GET',
      `/api/organisations/${own.organisationId}/hours.csv?from=${to}&to=${from}`,
      {
        token: own.token,
      },
    );
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors[0].field).toBe('from');
    expect(
      (await h.request('GET', `/api/organisations/${own.organisationId}/hours.csv`, { token: org.token })).status,
    ).toBe(403);

    // A cell that a spreadsheet would run as a formula is exported as text.
    const sly = await volunteer('sly', '=HYPERLINK("x")');
    const slyOrg = await organisationWithCoordinator(h, 'hours-sly', { name: 'Sly Kitchen' });
    await attended(slyOrg, sly, '+SUM(A1)', base, 1);
    const exported = await h.request('GET', `/api/organisations/${slyOrg.organisationId}/hours.csv`, {
      token: slyOrg.token,
    });
    expect(parseCsv(exported.text)[1].slice(0, 3)).toEqual([`'=HYPERLINK("x")`, londonDate(base), `'+SUM(A1)`]);
  });

  it('the data export lists the hours entries, and deleting the account removes them', async () => {
    const gone = await volunteer('gone');
    const b = await attended(org, gone, 'Last shift', base, 2);
    expect(
      (await logHours(gone, { date: londonDate(base.plus({ days: 1 })), minutes: 30, description: 'Notes' })).status,
    ).toBe(201);
    expect((await h.request('GET', '/me/hours/statement.csv', { token: gone.token })).status).toBe(200);
    const exported = await h.request('GET', '/api/me/export', { token: gone.token });
    expect(exported.body.hoursEntries.map((e: { kind: string }) => e.kind).sort()).toEqual(['logged', 'shift']);
    expect(exported.body.hoursStatements).toHaveLength(1);
    expect((await h.request('DELETE', '/api/me', { token: gone.token })).status).toBe(204);
    const left = await db.query(
      `select (select count(*) from hours_entries where volunteer_id = $1)::int as entries,
              (select count(*) from hours_statements where volunteer_id = $1)::int as statements,
              (select count(*) from hours_entries where booking_id = $2)::int as by_booking,
              (select count(*) from bookings where id = $2)::int as booking_kept`,
      [gone.accountId, b.bookingId],
    );
    expect(left.rows[0]).toEqual({ entries: 0, statements: 0, by_booking: 0, booking_kept: 1 });
    // The roster keeps the booking as "Former volunteer", and the ledger does not bring it back.
    const orgHours = await h.request('GET', `/api/organisations/${org.organisationId}/hours`, { token: org.token });
    expect(orgHours.body.some((e: { title: string }) => e.title === 'Last shift')).toBe(false);
  });

  it('the migration credits bookings attended before it, on a database with data', async () => {
    const url = await createTestDatabase('hours_backfill');
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      const run = async (queries: unknown[]) => {
        for (const sql of queries) await other.query(sql as string);
      };
      const migration = new Hours20261206(null as never, null as never);
      await migration.down();
      await run(migration.getQueries());
      migration.reset();
      // Data as it was before the ledger: one attended, one no-show, one confirmed booking.
      await other.query(
        `insert into organisations (id, name, kind, time_zone) values ('00000000-0000-4000-8000-000000000001', 'Old Kitchen', 'soup_kitchen', 'Europe/London')`,
      );
      await other.query(
        `insert into organisation_addresses (organisation_id, label, lat, lon, is_default) values ('00000000-0000-4000-8000-000000000001', 'Hall', 53.4, -2.2, true)`,
      );
      await other.query(
        `insert into accounts (id, email, role) values ('00000000-0000-4000-8000-000000000002', 'old@example.org', 'volunteer')`,
      );
      await other.query(
        `insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km) values ('00000000-0000-4000-8000-000000000002', 'Old Hand', 'Europe/London', 53.4, -2.2, 5)`,
      );
      for (const [i, status] of ['attended', 'no_show', 'confirmed'].entries())
        await other.query(
          `with s as (insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
             select organisation_id, id, $1, now() - ($2 || ' days')::interval, now() - ($2 || ' days')::interval + interval '2 hours', 53.4, -2.2, 2, 1, 'open'
               from organisation_addresses returning id, starts_at, ends_at)
           insert into bookings (shift_id, volunteer_id, status, period) select id, '00000000-0000-4000-8000-000000000002', $3, tstzrange(starts_at, ends_at) from s`,
          [`Old ${status}`, String(10 + i), status],
        );
      await migration.up();
      await run(migration.getQueries());
      const entries = await other.query(
        `select s.title, e.status from hours_entries e join bookings b on b.id = e.booking_id join shifts s on s.id = b.shift_id`,
      );
      expect(entries.rows).toEqual([{ title: 'Old attended', status: 'credited' }]);
    } finally {
      await other.end();
    }
  });
});
