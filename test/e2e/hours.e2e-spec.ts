import pg from 'pg';
import { DateTime } from 'luxon';
import { startHarness, type Harness } from '../support/harness.js';
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
  let vol: Vol;
  const base = DateTime.utc().minus({ days: 20 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });

  beforeAll(async () => {
    h = await startHarness('hours');
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    org = await organisationWithCoordinator(h, 'hours-main', { name: 'Riverside Soup Kitchen' });
    otherOrg = await organisationWithCoordinator(h, 'hours-other', { name: '=Other Shelter' });
    vol = await confirmedVolunteer(h, 'hours-vol@example.org', { name: 'Robin Hours' });
  });
  afterAll(async () => {
    await db.end();
    await h.close();
  });

  /** A shift of `org` in the past with the volunteer booked (confirmed) on it. */
  async function pastBooking(o: Org, title: string, start: DateTime, hours: number, volunteerId = vol.accountId) {
    const end = start.plus({ hours });
    const shift = await db.query(
      `insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity, filled, status)
       select $1, id, $2, $3, $4, lat, lon, 5, 1, 'open' from organisation_addresses where organisation_id = $1 returning id`,
      [o.organisationId, title, start.toISO(), end.toISO()],
    );
    const booking = await db.query(
      `insert into bookings (shift_id, volunteer_id, status, period) values ($1, $2, 'confirmed', tstzrange($3, $4)) returning id`,
      [shift.rows[0].id, volunteerId, start.toISO(), end.toISO()],
    );
    return { shiftId: shift.rows[0].id as string, bookingId: booking.rows[0].id as string };
  }

  const mark = (o: Org, b: { shiftId: string; bookingId: string }, status: 'attended' | 'no_show') =>
    h.request('POST', `/api/organisations/${o.organisationId}/shifts/${b.shiftId}/bookings/${b.bookingId}/attendance`, {
      token: o.token,
      body: { status },
    });
  const mine = async (token = vol.token) => {
    const res = await h.request('GET', '/api/me/hours', { token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const entryOf = async (bookingIdOrEntry: string) => {
    const row = await db.query(`select id from hours_entries where booking_id = $1`, [bookingIdOrEntry]);
    return row.rows[0]?.id as string | undefined;
  };
  const logHours = (body: Record<string, unknown>, token = vol.token) =>
    h.request('POST', '/api/me/hours', { token, body: { organisationId: org.organisationId, ...body } });

  it('an attended booking credits its scheduled hours; arrival times win where recorded', async () => {
    const scheduled = await pastBooking(org, 'Breakfast service', base, 3);
    expect(await entryOf(scheduled.bookingId)).toBeUndefined(); // confirmed, within the grace period: not yet
    expect((await mark(org, scheduled, 'attended')).status).toBe(204);
    const byArrival = await pastBooking(org, 'Lunch service', base.plus({ hours: 5 }), 2);
    expect((await mark(org, byArrival, 'attended')).status).toBe(204);
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
    const hours = await mine();
    const breakfast = hours.entries.find((e: { title: string }) => e.title === 'Breakfast service');
    const lunch = hours.entries.find((e: { title: string }) => e.title === 'Lunch service');
    expect(breakfast).toMatchObject({
      kind: 'shift',
      status: 'credited',
      minutes: 180,
      source: 'scheduled',
      counts: true,
    });
    expect(breakfast.date).toBe(londonDate(base));
    expect(lunch).toMatchObject({ minutes: 75, source: 'arrival', hours: '1.25' });
    // A departure recorded later is reflected at once (credits are computed on read).
    await db.query(`update arrivals set left_at = $2, left_via = 'kiosk' where booking_id = $1`, [
      byArrival.bookingId,
      base.plus({ hours: 7 }).toISO(),
    ]);
    expect((await mine()).entries.find((e: { title: string }) => e.title === 'Lunch service').minutes).toBe(105);
    expect((await mine()).totalMinutes).toBe(285);
  });

  it('a confirmed booking past the grace period counts as attended, as check-ins count it', async () => {
    const unmarked = await pastBooking(org, 'Unmarked evening', base.plus({ days: 1 }), 2);
    const hours = await mine();
    expect(hours.entries.find((e: { title: string }) => e.title === 'Unmarked evening')).toMatchObject({
      minutes: 120,
      source: 'scheduled',
    });
    expect(await entryOf(unmarked.bookingId)).toBeDefined();
  });

  it('a coordinator adjusts with a reason (422 without one); no-show voids the entry', async () => {
    const b = await pastBooking(org, 'Pantry sort', base.plus({ days: 2 }), 2);
    expect((await mark(org, b, 'attended')).status).toBe(204);
    const entryId = (await entryOf(b.bookingId))!;
    const url = `/api/organisations/${org.organisationId}/hours/${entryId}/adjustment`;
    const noReason = await h.request('POST', url, { token: org.token, body: { minutes: 150 } });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const tooMany = await h.request('POST', url, { token: org.token, body: { minutes: 1441, reason: 'x' } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0].field).toBe('minutes');
    const adjusted = await h.request('POST', url, {
      token: org.token,
      body: { minutes: 150, reason: 'Stayed to finish the delivery' },
    });
    expect(adjusted.status).toBe(200);
    expect(adjusted.body).toMatchObject({
      minutes: 150,
      source: 'adjusted',
      adjustReason: 'Stayed to finish the delivery',
    });
    expect((await mine()).entries.find((e: { id: string }) => e.id === entryId)).toMatchObject({ minutes: 150 });

    const noShow = await pastBooking(org, 'Missed shift', base.plus({ days: 3 }), 2);
    expect((await mark(org, noShow, 'attended')).status).toBe(204);
    expect((await mark(org, noShow, 'no_show')).status).toBe(204);
    const voided = (await mine()).entries.find((e: { title: string }) => e.title === 'Missed shift');
    expect(voided).toMatchObject({ status: 'voided', minutes: 0, counts: false });
    const cannot = await h.request('POST', `/api/organisations/${org.organisationId}/hours/${voided.id}/adjustment`, {
      token: org.token,
      body: { minutes: 60, reason: 'try' },
    });
    expect(cannot.status).toBe(409);
  });

  it('logged hours are pending until approved; declined ones never count; only the own organisation decides', async () => {
    const before = (await mine()).totalMinutes;
    const day = londonDate(base.plus({ days: 4 }));
    const logged = await logHours({
      date: day,
      startTime: '10:00',
      endTime: '12:30',
      description: 'Fundraising stall',
    });
    expect(logged.status).toBe(201);
    expect(logged.body).toMatchObject({ kind: 'logged', status: 'pending', minutes: 0, counts: false });
    expect((await mine()).totalMinutes).toBe(before);

    const pending = await h.request('GET', `/api/organisations/${org.organisationId}/hours?status=pending`, {
      token: org.token,
    });
    expect(pending.body.map((e: { id: string }) => e.id)).toEqual([logged.body.id]);

    // Another organisation's coordinator: refused on their path and not found on their own.
    const foreign = await h.request(
      'POST',
      `/api/organisations/${org.organisationId}/hours/${logged.body.id}/decision`,
      {
        token: otherOrg.token,
        body: { decision: 'approve' },
      },
    );
    expect(foreign.status).toBe(403);
    const elsewhere = await h.request(
      'POST',
      `/api/organisations/${otherOrg.organisationId}/hours/${logged.body.id}/decision`,
      { token: otherOrg.token, body: { decision: 'approve' } },
    );
    expect(elsewhere.status).toBe(404);

    const approved = await h.request(
      'POST',
      `/api/organisations/${org.organisationId}/hours/${logged.body.id}/decision`,
      {
        token: org.token,
        body: { decision: 'approve', note: 'Thank you!' },
      },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', minutes: 150, counts: true, decisionNote: 'Thank you!' });
    expect((await mine()).totalMinutes).toBe(before + 150);
    const again = await h.request('POST', `/api/organisations/${org.organisationId}/hours/${logged.body.id}/decision`, {
      token: org.token,
      body: { decision: 'decline' },
    });
    expect(again.status).toBe(409);

    const declined = await logHours({ date: londonDate(base.plus({ days: 5 })), minutes: 90, description: 'Leaflets' });
    expect(declined.status).toBe(201);
    const decline = await h.request(
      'POST',
      `/api/organisations/${org.organisationId}/hours/${declined.body.id}/decision`,
      {
        token: org.token,
        body: { decision: 'decline' },
      },
    );
    expect(decline.body).toMatchObject({ status: 'declined', counts: false });
    expect((await mine()).totalMinutes).toBe(before + 150);
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
  ])('logging %s → 422 naming %s', async (_what, input, field) => {
    const res = await logHours({ date: londonDate(base.plus({ days: 6 })), description: 'Work', ...input });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBe(field);
  });

  it('logging hours that overlap a shift entry or another logged entry → 422 naming the field', async () => {
    const shiftDay = londonDate(base);
    const local = base.setZone('Europe/London');
    const overlapShift = await logHours({
      date: shiftDay,
      startTime: local.plus({ hours: 1 }).toFormat('HH:mm'),
      endTime: local.plus({ hours: 2 }).toFormat('HH:mm'),
      description: 'Same time as breakfast',
    });
    expect(overlapShift.status).toBe(422);
    expect(overlapShift.body.errors[0].field).toBe('startTime');
    const logDay = londonDate(base.plus({ days: 4 })); // the approved 10:00–12:30 entry
    const overlapLogged = await logHours({ date: logDay, startTime: '12:00', endTime: '13:00', description: 'Clash' });
    expect(overlapLogged.body.errors[0].field).toBe('startTime');
    const dayFull = await logHours({ date: logDay, minutes: 1440 - 60, description: 'Too much' });
    expect(dayFull.status).toBe(422);
    expect(dayFull.body.errors[0].field).toBe('minutes');
  });

  it('the statement CSV and PDF carry the ledger figures, and the verification link shows the same', async () => {
    const ledger = await mine();
    const counted = ledger.entries.filter((e: { counts: boolean; minutes: number }) => e.counts && e.minutes > 0);
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
    const minutes = rows.reduce((sum, r) => sum + Number(r[7]), 0);
    const ledgerOrg = ledger.organisations.find(
      (o: { organisationId: string }) => o.organisationId === org.organisationId,
    );
    expect(minutes).toBe(ledgerOrg.minutes);
    expect(minutes).toBe(ledger.totalMinutes); // every counted entry is with this organisation
    expect(rows).toHaveLength(counted.length);
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(['Riverside Soup Kitchen']));

    const pdf = await h.request('GET', `/me/hours/statement.pdf?organisation=${org.organisationId}`, {
      token: vol.token,
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const raw = (
      await h.api
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'GET',
          url: `/me/hours/statement.pdf?organisation=${org.organisationId}`,
          headers: { authorization: `Bearer ${vol.token}` },
        })
    ).rawPayload.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    const total = String(Math.round((ledger.totalMinutes / 60) * 100) / 100);
    // The document's information dictionary is never compressed: organisation and total are readable there.
    expect(raw).toContain(`Riverside Soup Kitchen`);
    expect(raw).toContain(`${total} hours`);
    const link = /\/URI \((http[^)]+\/verify\/hours\/[^)]+)\)/.exec(raw)![1];
    const path = new URL(link).pathname;
    const page = await h.request('GET', path, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Robin Hours');
    expect(page.text).toContain('Riverside Soup Kitchen');
    expect(page.text).toContain(`${total} hours in ${counted.length} entries`);
    expect(page.text).toContain('the ledger still agrees');

    const tampered = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const forged = await h.request('GET', tampered, { headers: { accept: 'text/html' } });
    expect(forged.status).toBe(404);
    expect(forged.text).toContain('Statement not found');
    expect((await h.request('GET', '/verify/hours/nonsense', { headers: { accept: 'text/html' } })).status).toBe(404);

    // After a later adjustment the link still shows the figures as issued, and says the ledger moved.
    const csvRef = rows[0][1];
    const breakfast = ledger.entries.find((e: { title: string }) => e.title === 'Breakfast service');
    await h.request('POST', `/api/organisations/${org.organisationId}/hours/${breakfast.id}/adjustment`, {
      token: org.token,
      body: { minutes: 120, reason: 'Left early' },
    });
    const later = await h.request('GET', new URL(csvRef).pathname, { headers: { accept: 'text/html' } });
    expect(later.status).toBe(200);
    expect(later.text).toContain(`${total} hours in ${counted.length} entries`);
    expect(later.text).toContain('the ledger has changed since');
  });

  it('the coordinator exports the organisation’s hours for a period as CSV, formulas neutralised', async () => {
    const day = londonDate(base);
    const res = await h.request('GET', `/api/organisations/${org.organisationId}/hours.csv?from=${day}&to=${day}`, {
      token: org.token,
    });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['Volunteer', 'Date', 'Shift or activity', 'Minutes', 'Hours', 'Source', 'Status']);
    expect(rows.map((r) => r[2]).sort()).toEqual(['Breakfast service', 'Lunch service']);
    expect(rows.every((r) => r[1] === day && r[0] === 'Robin Hours')).toBe(true);
    const page = await h.request('GET', `/org/hours.csv?from=${day}&to=${day}`, { token: org.token });
    expect(parseCsv(page.text)).toEqual(parseCsv(res.text));
    const bad = await h.request('GET', `/api/organisations/${org.organisationId}/hours.csv?from=yesterday`, {
      token: org.token,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('from');
    expect(
      (await h.request('GET', `/api/organisations/${org.organisationId}/hours.csv`, { token: otherOrg.token })).status,
    ).toBe(403);

    // A cell that a spreadsheet would run as a formula is exported as text.
    const sly = await confirmedVolunteer(h, 'hours-sly@example.org', { name: '=HYPERLINK("x")' });
    await pastBooking(otherOrg, '+SUM(A1)', base.plus({ days: 8 }), 1, sly.accountId);
    await mine(sly.token); // credits the unmarked booking
    const exported = await h.request('GET', `/api/organisations/${otherOrg.organisationId}/hours.csv`, {
      token: otherOrg.token,
    });
    const [, first] = parseCsv(exported.text);
    expect(first.slice(0, 3)).toEqual([`'=HYPERLINK("x")`, londonDate(base.plus({ days: 8 })), `'+SUM(A1)`]);
  });

  it('the data export lists the hours entries, and deleting the account removes them', async () => {
    const gone = await confirmedVolunteer(h, 'hours-gone@example.org');
    const b = await pastBooking(org, 'Last shift', base.plus({ days: 9 }), 2, gone.accountId);
    expect((await mark(org, b, 'attended')).status).toBe(204);
    expect(
      (await logHours({ date: londonDate(base.plus({ days: 9 })), minutes: 30, description: 'Notes' }, gone.token))
        .status,
    ).toBe(201);
    expect((await h.request('GET', '/me/hours/statement.csv', { token: gone.token })).status).toBe(200);
    const exported = await h.request('GET', '/api/me/export', { token: gone.token });
    expect(exported.body.hoursEntries.map((e: { kind: string }) => e.kind).sort()).toEqual(['logged', 'shift']);
    expect(exported.body.hoursStatements).toHaveLength(1);
    expect((await h.request('DELETE', '/api/me', { token: gone.token })).status).toBe(204);
    const left = await db.query(
      `select (select count(*) from hours_entries where volunteer_id = $1)::int as entries,
              (select count(*) from hours_statements where volunteer_id = $1)::int as statements,
              (select count(*) from hours_entries where booking_id = $2)::int as by_booking`,
      [gone.accountId, b.bookingId],
    );
    expect(left.rows[0]).toEqual({ entries: 0, statements: 0, by_booking: 0 });
  });
});
