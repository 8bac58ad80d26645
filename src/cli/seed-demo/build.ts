// The demo rows in memory, built from data.ts with the seeded PRNG: pure and deterministic apart
// from ids, so the same "now" always gives the same demo.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { expandWeeklySeries } from '../../../libs/organisations/core/recurrence.js';
import type { OrganisationKind } from '../../../libs/organisations/organisation.entities.js';
import {
  DEMO_DAYS_AHEAD,
  DEMO_ORGANISATIONS,
  DEMO_SEED,
  DEMO_TIME_ZONE,
  FIRST_NAMES,
  LAST_NAMES,
  NEIGHBOURHOODS,
} from './data.js';
import { coordinatorEmail, volunteerEmail } from './emails.js';
import { Prng } from './prng.js';
import type {
  AccountRow,
  AddressRow,
  CoordinatorRow,
  DemoData,
  ExceptionRow,
  OrganisationRow,
  SeriesRow,
  ShiftRow,
  VolunteerRow,
  WindowRow,
} from './rows.js';
import { CAUSE_WEIGHTS, TRAVEL_KM, volunteerSkills, volunteerWindows } from './volunteer-habits.js';

export function buildDemoData(now: Date, volunteerCount: number): DemoData {
  const random = new Prng(DEMO_SEED);
  const nowIso = now.toISOString();
  const today = DateTime.fromJSDate(now, { zone: DEMO_TIME_ZONE }).startOf('day');
  const accounts: AccountRow[] = [];
  const organisations: OrganisationRow[] = [];
  const addresses: AddressRow[] = [];
  const coordinators: CoordinatorRow[] = [];
  const series: SeriesRow[] = [];
  const shifts: ShiftRow[] = [];

  for (const demo of DEMO_ORGANISATIONS) {
    const organisationId = randomUUID();
    const coordinatorId = randomUUID();
    organisations.push({ id: organisationId, name: demo.name, kind: demo.kind, time_zone: DEMO_TIME_ZONE });
    const orgAddresses = demo.addresses.map((address, index): AddressRow => ({
      id: randomUUID(),
      organisation_id: organisationId,
      label: address.label,
      street: address.street,
      lat: address.lat,
      lon: address.lon,
      is_default: index === 0,
    }));
    addresses.push(...orgAddresses);
    accounts.push({ id: coordinatorId, email: coordinatorEmail(demo), role: 'coordinator', email_verified_at: nowIso });
    coordinators.push({ account_id: coordinatorId, organisation_id: organisationId, name: demo.coordinator });

    // One-off shifts on every date from today for DEMO_DAYS_AHEAD days, in the organisation's wall-clock time.
    for (let offset = 0; offset < DEMO_DAYS_AHEAD; offset += 1) {
      const date = today.plus({ days: offset });
      for (const template of demo.shifts) {
        if (!template.weekdays.includes(date.weekday)) continue;
        if (template.chance !== undefined && !random.chance(template.chance)) continue;
        const { startsAt, endsAt } = localInterval(date, template.start, template.end);
        if (startsAt.getTime() <= now.getTime() + 3600_000) continue; // too late to staff today
        const address = orgAddresses[template.address ?? 0];
        const open = random.chance(0.85);
        shifts.push({
          id: randomUUID(),
          organisation_id: organisationId,
          series_id: null,
          address_id: address.id,
          title: template.title,
          description: template.description,
          starts_at: startsAt.toISOString(),
          ends_at: endsAt.toISOString(),
          lat: address.lat,
          lon: address.lon,
          capacity: random.int(template.capacity[0], template.capacity[1]),
          required_skills: [...template.required],
          nice_skills: [...template.nice],
          status: open ? 'open' : 'draft',
          published_at: open ? nowIso : null,
          changed_by: coordinatorId,
        });
      }
    }

    // A weekly series, generated the same way the worker extends series (so it never duplicates them).
    if (demo.series) {
      const template = demo.series;
      const address = orgAddresses[template.address ?? 0];
      const startsOn = today.toISODate() as string;
      const until = today.plus({ weeks: 26 }).toISODate() as string;
      const generatedUntil = today.plus({ days: DEMO_DAYS_AHEAD - 1 }).toISODate() as string;
      const seriesId = randomUUID();
      series.push({
        id: seriesId,
        organisation_id: organisationId,
        address_id: address.id,
        title: template.title,
        description: template.description,
        weekday: template.weekday,
        start_local: template.start,
        end_local: template.end,
        starts_on: startsOn,
        until,
        capacity: template.capacity,
        required_skills: [...template.required],
        nice_skills: [...template.nice],
        generated_until: generatedUntil,
      });
      const occurrences = expandWeeklySeries(
        {
          weekday: template.weekday,
          startLocal: template.start,
          endLocal: template.end,
          startsOn,
          until,
          zone: DEMO_TIME_ZONE,
        },
        startsOn,
        generatedUntil,
      ).filter((occurrence) => occurrence.startsAt.getTime() > now.getTime());
      for (const occurrence of occurrences) {
        shifts.push({
          id: randomUUID(),
          organisation_id: organisationId,
          series_id: seriesId,
          address_id: address.id,
          title: template.title,
          description: template.description,
          starts_at: occurrence.startsAt.toISOString(),
          ends_at: occurrence.endsAt.toISOString(),
          lat: address.lat,
          lon: address.lon,
          capacity: template.capacity,
          required_skills: [...template.required],
          nice_skills: [...template.nice],
          status: 'open',
          published_at: nowIso,
          changed_by: coordinatorId,
        });
      }
    }
  }

  const volunteers: VolunteerRow[] = [];
  const windows: WindowRow[] = [];
  const exceptions: ExceptionRow[] = [];
  let verifiedVolunteers = 0;
  for (let index = 1; index <= volunteerCount; index += 1) {
    const id = randomUUID();
    const verified = random.chance(0.9);
    if (verified) verifiedVolunteers += 1;
    accounts.push({ id, email: volunteerEmail(index), role: 'volunteer', email_verified_at: verified ? nowIso : null });
    const home = random.weighted(NEIGHBOURHOODS, (n) => n.weight);
    volunteers.push({
      account_id: id,
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      time_zone: DEMO_TIME_ZONE,
      home_label: home.name,
      // Only an approximate home is stored: the area centre, jittered by about a kilometre, to 2 decimals.
      home_lat: round2(home.lat + random.between(-0.012, 0.012)),
      home_lon: round2(home.lon + random.between(-0.02, 0.02)),
      travel_km: random.pick(TRAVEL_KM),
      skills: volunteerSkills(random),
      causes: random.chance(0.55)
        ? []
        : random.weightedSample(
            Object.keys(CAUSE_WEIGHTS) as OrganisationKind[],
            random.int(1, 2),
            (k) => CAUSE_WEIGHTS[k],
          ),
      weekly_shift_cap: random.weighted([1, 2, 3], (cap) => (cap === 3 ? 2 : 4)),
      status: random.chance(0.93) ? 'active' : 'paused',
      offers_consent_at: nowIso,
      check_in_consent_at: random.chance(0.4) ? nowIso : null,
      country: 'GB',
    });
    for (const window of volunteerWindows(random)) windows.push({ volunteer_id: id, ...window });
    if (random.chance(0.1)) {
      const startsOn = today.plus({ days: random.int(0, 20) });
      exceptions.push({
        volunteer_id: id,
        starts_on: startsOn.toISODate() as string,
        ends_on: startsOn.plus({ days: random.int(1, 9) }).toISODate() as string,
      });
    }
  }

  const openShifts = shifts.filter((s) => s.status === 'open').length;
  return {
    accounts,
    organisations,
    addresses,
    coordinators,
    volunteers,
    windows,
    exceptions,
    series,
    shifts,
    counts: {
      organisations: organisations.length,
      addresses: addresses.length,
      coordinators: coordinators.length,
      volunteers: volunteers.length,
      verifiedVolunteers,
      availabilityWindows: windows.length,
      availabilityExceptions: exceptions.length,
      series: series.length,
      shifts: shifts.length,
      openShifts,
      draftShifts: shifts.length - openShifts,
    },
  };
}

/** [start, end) of a 'HH:MM'–'HH:MM' local shift on `date`; an end at or before the start is on the next day. */
function localInterval(date: DateTime, start: string, end: string): { startsAt: Date; endsAt: Date } {
  const day = date.toISODate() as string;
  const endDay = end <= start ? (date.plus({ days: 1 }).toISODate() as string) : day;
  const startsAt = DateTime.fromISO(`${day}T${start}`, { zone: DEMO_TIME_ZONE });
  const endsAt = DateTime.fromISO(`${endDay}T${end}`, { zone: DEMO_TIME_ZONE });
  if (!startsAt.isValid || !endsAt.isValid) throw new RangeError(`bad local shift time ${day} ${start}–${end}`);
  return { startsAt: startsAt.toJSDate(), endsAt: endsAt.toJSDate() };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
