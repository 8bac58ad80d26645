import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { databaseKnowsZone, pgArray } from '../platform/index.js';
import { Coordinator } from '../identity/index.js';
import type { Occurrence } from './core/recurrence.js';
import type { ListShiftsQueryDto } from './organisation.dto.js';
import { Organisation, OrganisationAddress, Shift, ShiftChange, ShiftSeries } from './organisation.entities.js';
import {
  CANCEL_BOOKINGS_SQL,
  DELETE_ROLE_SQL,
  INSERT_OCCURRENCE_SQL,
  INSERT_ROLE_SQL,
  LOCK_ROLES_SQL,
  PARK_ROLE_POSITIONS_SQL,
  ROLES_OF_SHIFTS_SQL,
  SERIES_OF_ORGANISATION_SQL,
  SHIFT_TITLES_SQL,
  UPDATE_ROLE_SQL,
  WITHDRAW_OFFERS_SQL,
} from './sql/shifts.sql.js';

/** A role of a shift as stored (ADR 0029). */
export interface RoleRow {
  id: string;
  shift_id: string;
  name: string;
  capacity: number;
  filled: number;
  required_skills: string[];
  nice_skills: string[];
  notes: string;
}

/** A role as written: `id` set to change an existing one. */
export interface RoleWrite {
  id?: string;
  name: string;
  capacity: number;
  requiredSkills: string[];
  niceSkills: string[];
  notes: string;
}

export interface SeriesRow {
  id: string;
  title: string;
  weekday: number;
  start_local: string;
  end_local: string;
  starts_on: string;
  until: string;
  status: string;
}

/**
 * Every query of the organisations area: organisations, addresses, shifts, series and their change log.
 * Methods that take `tx` run inside the caller's transaction (opened with `transaction`); the others
 * read on a fresh fork, or in `tx` when one is given.
 */
@Injectable()
export class OrganisationsRepository {
  constructor(private readonly em: EntityManager) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  /** Writes what the unit of work holds so far (assigns ids the next statements need). */
  flush(tx: EntityManager): Promise<void> {
    return tx.flush();
  }

  // ---- organisations and addresses --------------------------------------------------------------

  knowsZone(zone: string): Promise<boolean> {
    return databaseKnowsZone(this.em.fork(), zone);
  }

  findOrganisation(organisationId: string): Promise<Organisation | null> {
    return this.em.fork().findOne(Organisation, { id: organisationId });
  }

  addressesOf(organisationId: string): Promise<OrganisationAddress[]> {
    return this.em.fork().find(OrganisationAddress, { organisationId }, { orderBy: { createdAt: 'asc' } });
  }

  newOrganisation(tx: EntityManager, data: Pick<Organisation, 'name' | 'kind' | 'timeZone'>): Organisation {
    const organisation = tx.create(Organisation, data as Organisation);
    tx.persist(organisation);
    return organisation;
  }

  newAddress(tx: EntityManager, data: Omit<OrganisationAddress, 'id' | 'createdAt'>): void {
    tx.persist(tx.create(OrganisationAddress, data as OrganisationAddress));
  }

  newCoordinator(tx: EntityManager, data: Pick<Coordinator, 'accountId' | 'organisationId' | 'name'>): void {
    tx.persist(tx.create(Coordinator, data as Coordinator));
  }

  async clearDefaultAddress(tx: EntityManager, organisationId: string): Promise<void> {
    await tx.nativeUpdate(OrganisationAddress, { organisationId }, { isDefault: false });
  }

  /** The given address of the organisation, or its default one when none is given. */
  findAddress(tx: EntityManager, organisationId: string, addressId?: string): Promise<OrganisationAddress | null> {
    return addressId
      ? tx.findOne(OrganisationAddress, { id: addressId, organisationId })
      : tx.findOne(OrganisationAddress, { organisationId, isDefault: true });
  }

  addressById(tx: EntityManager, addressId: string): Promise<OrganisationAddress> {
    return tx.findOneOrFail(OrganisationAddress, { id: addressId });
  }

  // ---- shifts -----------------------------------------------------------------------------------

  newShift(tx: EntityManager, data: Partial<Shift>): Shift {
    const shift = tx.create(Shift, data as Shift);
    tx.persist(shift);
    return shift;
  }

  findShift(organisationId: string, shiftId: string, tx?: EntityManager): Promise<Shift | null> {
    return (tx ?? this.em.fork()).findOne(Shift, { id: shiftId, organisationId });
  }

  listShifts(organisationId: string, query: ListShiftsQueryDto): Promise<Shift[]> {
    const where: Record<string, unknown> = { organisationId };
    if (query.status) where.status = query.status;
    if (query.from || query.to)
      where.startsAt = {
        ...(query.from ? { $gte: new Date(query.from) } : {}),
        ...(query.to ? { $lt: new Date(query.to) } : {}),
      };
    return this.em
      .fork()
      .find(Shift, where, { orderBy: { startsAt: 'asc' }, limit: query.limit ?? 50, offset: query.offset ?? 0 });
  }

  // ---- roles (ADR 0029) ------------------------------------------------------------------------

  /** The roles of each shift, in order. */
  async rolesOf(shiftIds: string[], em?: EntityManager): Promise<Map<string, RoleRow[]>> {
    const byShift = new Map<string, RoleRow[]>(shiftIds.map((id) => [id, []]));
    if (shiftIds.length === 0) return byShift;
    const rows = await (em ?? this.em.fork()).execute<RoleRow[]>(ROLES_OF_SHIFTS_SQL, [pgArray(shiftIds)]);
    for (const row of rows) byShift.get(row.shift_id)?.push(row);
    return byShift;
  }

  lockRoles(tx: EntityManager, shiftId: string) {
    return tx.execute<Array<{ id: string; filled: number; capacity: number; has_bookings: boolean }>>(LOCK_ROLES_SQL, [
      shiftId,
    ]);
  }

  /** Writes the shift's roles in the order given: updates those with an id, adds the others, deletes `removed`. */
  async writeRoles(tx: EntityManager, shiftId: string, roles: RoleWrite[], removed: string[]): Promise<void> {
    for (const id of removed) await tx.execute(DELETE_ROLE_SQL, [id, shiftId]);
    await tx.execute(PARK_ROLE_POSITIONS_SQL, [shiftId]);
    for (const [position, role] of roles.entries()) {
      const values = [role.name, role.capacity, pgArray(role.requiredSkills), pgArray(role.niceSkills), role.notes];
      if (role.id) await tx.execute(UPDATE_ROLE_SQL, [position, ...values, role.id, shiftId]);
      else await tx.execute(INSERT_ROLE_SQL, [shiftId, position, ...values]);
    }
  }

  /** Titles and organisation names of shifts, for display beside other areas' lists. */
  async shiftTitles(shiftIds: string[]): Promise<Map<string, { title: string; organisationName: string }>> {
    if (shiftIds.length === 0) return new Map();
    const rows: Array<{ id: string; title: string; organisation_name: string }> = await this.em
      .fork()
      .execute(SHIFT_TITLES_SQL, [pgArray(shiftIds)]);
    return new Map(rows.map((row) => [row.id, { title: row.title, organisationName: row.organisation_name }]));
  }

  /** Cancels the shift's confirmed bookings; returns their ids. */
  async cancelBookings(tx: EntityManager, shiftId: string): Promise<string[]> {
    const bookings = await tx.execute(CANCEL_BOOKINGS_SQL, [shiftId]);
    return bookings.map((b) => String(b.id));
  }

  async withdrawPendingOffers(tx: EntityManager, shiftId: string): Promise<void> {
    await tx.execute(WITHDRAW_OFFERS_SQL, [shiftId]);
  }

  newChange(tx: EntityManager, data: Pick<ShiftChange, 'shiftId' | 'kind' | 'changes' | 'changedBy'>): ShiftChange {
    const change = tx.create(ShiftChange, data as ShiftChange);
    tx.persist(change);
    return change;
  }

  // ---- series -----------------------------------------------------------------------------------

  newSeries(tx: EntityManager, data: Partial<ShiftSeries>): ShiftSeries {
    const series = tx.create(ShiftSeries, data as ShiftSeries);
    tx.persist(series);
    return series;
  }

  findSeries(organisationId: string, seriesId: string, tx?: EntityManager): Promise<ShiftSeries | null> {
    return (tx ?? this.em.fork()).findOne(ShiftSeries, { id: seriesId, organisationId });
  }

  findActiveSeries(tx: EntityManager, seriesId: string): Promise<ShiftSeries | null> {
    return tx.findOne(ShiftSeries, { id: seriesId, status: 'active' });
  }

  seriesById(tx: EntityManager, seriesId: string): Promise<ShiftSeries> {
    return tx.findOneOrFail(ShiftSeries, { id: seriesId });
  }

  activeSeries(): Promise<ShiftSeries[]> {
    return this.em.fork().find(ShiftSeries, { status: 'active' });
  }

  seriesShifts(seriesId: string): Promise<Shift[]> {
    return this.em.fork().find(Shift, { seriesId }, { orderBy: { startsAt: 'asc' } });
  }

  /** The series' shifts still to come that can be cancelled. */
  upcomingSeriesShifts(tx: EntityManager, seriesId: string): Promise<Shift[]> {
    return tx.find(Shift, {
      seriesId,
      startsAt: { $gt: new Date() },
      status: { $in: ['draft', 'open', 'full'] },
    });
  }

  seriesOfOrganisation(organisationId: string): Promise<SeriesRow[]> {
    return this.em.fork().execute(SERIES_OF_ORGANISATION_SQL, [organisationId]);
  }

  /** Inserts one occurrence of the series; null when it already existed. */
  async insertOccurrence(
    tx: EntityManager,
    series: ShiftSeries,
    address: OrganisationAddress,
    occurrence: Occurrence,
    publish: boolean,
  ): Promise<string | null> {
    const [row] = await tx.execute(INSERT_OCCURRENCE_SQL, [
      series.organisationId,
      series.id,
      address.id,
      series.title,
      series.description,
      occurrence.startsAt,
      occurrence.endsAt,
      address.lat,
      address.lon,
      series.capacity,
      pgArray(series.requiredSkills),
      pgArray(series.niceSkills),
      publish ? 'open' : 'draft',
      publish ? new Date() : null,
    ]);
    return row ? row.id : null;
  }
}
