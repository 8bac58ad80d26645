import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, InvalidInputError, NotFoundError, JobName, OutboxService } from '../platform/index.js';
import { firstBelowBookings } from './core/shift-roles.js';
import { rolesToWrite, shiftCapacity } from './role-input.js';
import { assertKnownSkills } from '../common/index.js';
import { diff, NOTIFIABLE, validInterval } from './core/shift-rules.js';
import type { CreateShiftDto, ListShiftsQueryDto, ShiftResponseDto, UpdateShiftDto } from './organisation.dto.js';
import type { Shift } from './organisation.entities.js';
import { OrganisationsRepository, type RoleWrite } from './organisations.repository.js';
import { OrganisationsService } from './organisations.service.js';
import { ShiftChangesService } from './shift-changes.service.js';
import { toShiftDto } from './shift-response.js';

/** One-off shifts: posting, editing, publishing and cancelling (series are SeriesService's). */
@Injectable()
export class ShiftsService {
  constructor(
    private readonly repo: OrganisationsRepository,
    private readonly organisations: OrganisationsService,
    private readonly changes: ShiftChangesService,
    private readonly outbox: OutboxService,
  ) {}

  async create(organisationId: string, dto: CreateShiftDto, actor: string | null): Promise<ShiftResponseDto> {
    const { startsAt, endsAt } = validInterval(dto.startsAt, dto.endsAt);
    assertKnownSkills('requiredSkills', dto.requiredSkills ?? []);
    assertKnownSkills('niceSkills', dto.niceSkills ?? []);
    const roles = dto.roles ? rolesToWrite(dto.roles) : null;
    const capacity = shiftCapacity(dto.capacity, roles);
    const shift = await this.repo.transaction(async (tx) => {
      const address = await this.organisations.shiftAddress(tx, organisationId, dto.addressId);
      const shift = this.repo.newShift(tx, {
        organisationId,
        addressId: address.id,
        lat: address.lat,
        lon: address.lon,
        title: dto.title.trim(),
        description: dto.description ?? '',
        startsAt,
        endsAt,
        capacity,
        requiredSkills: dto.requiredSkills ?? [],
        niceSkills: dto.niceSkills ?? [],
        status: dto.publish ? 'open' : 'draft',
        publishedAt: dto.publish ? new Date() : null,
      });
      this.changes.record(tx, shift.id, 'created', {}, actor);
      if (dto.publish) this.changes.opened(tx, shift.id, actor);
      if (roles) {
        // The insert gave it the one default role; named roles replace it before anyone can book.
        await this.repo.flush(tx);
        const [defaultRole] = await this.repo.lockRoles(tx, shift.id);
        await this.repo.writeRoles(tx, shift.id, roles, [defaultRole.id]);
      }
      return shift;
    });
    return this.respond(organisationId, shift);
  }

  private async respond(organisationId: string, shift: Shift): Promise<ShiftResponseDto> {
    const roles = await this.repo.rolesOf([shift.id]);
    return toShiftDto(shift, await this.organisations.timeZoneOf(organisationId), roles.get(shift.id) ?? []);
  }

  async list(organisationId: string, query: ListShiftsQueryDto): Promise<ShiftResponseDto[]> {
    const shifts = await this.repo.listShifts(organisationId, query);
    const zone = await this.organisations.timeZoneOf(organisationId);
    const roles = await this.repo.rolesOf(shifts.map((shift) => shift.id));
    return shifts.map((shift) => toShiftDto(shift, zone, roles.get(shift.id) ?? []));
  }

  async get(organisationId: string, shiftId: string): Promise<ShiftResponseDto> {
    const shift = await this.repo.findShift(organisationId, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    return this.respond(organisationId, shift);
  }

  /** Titles and organisation names of shifts, keyed by shift id (for lists other areas compute). */
  titles(shiftIds: string[]): Promise<Map<string, { title: string; organisationName: string }>> {
    return this.repo.shiftTitles(shiftIds);
  }

  /** Edits a shift that has not ended or been cancelled; what changed is recorded for notification. */
  async update(
    organisationId: string,
    shiftId: string,
    dto: UpdateShiftDto,
    actor: string | null,
  ): Promise<ShiftResponseDto> {
    if (dto.requiredSkills) assertKnownSkills('requiredSkills', dto.requiredSkills);
    if (dto.niceSkills) assertKnownSkills('niceSkills', dto.niceSkills);
    const shift = await this.repo.transaction(async (tx) => {
      const shift = await this.editable(tx, organisationId, shiftId);
      const before = {
        title: shift.title,
        description: shift.description,
        startsAt: shift.startsAt.toISOString(),
        endsAt: shift.endsAt.toISOString(),
        addressId: shift.addressId,
        capacity: shift.capacity,
        requiredSkills: shift.requiredSkills,
        niceSkills: shift.niceSkills,
      };
      if (dto.startsAt || dto.endsAt) {
        const interval = validInterval(
          dto.startsAt ?? shift.startsAt.toISOString(),
          dto.endsAt ?? shift.endsAt.toISOString(),
        );
        Object.assign(shift, interval);
      }
      if (dto.addressId) {
        const address = await this.organisations.shiftAddress(tx, organisationId, dto.addressId);
        Object.assign(shift, { addressId: address.id, lat: address.lat, lon: address.lon });
      }
      if (dto.roles) await this.replaceRoles(tx, shift, rolesToWrite(dto.roles), dto.capacity);
      else if (dto.capacity !== undefined) await this.oneRoleOnly(tx, shift.id);
      if (dto.roles) {
        if (shift.status === 'full' && shift.filled < shift.capacity) shift.status = 'open';
        if (shift.status === 'open' && shift.filled === shift.capacity) shift.status = 'full';
      } else if (dto.capacity !== undefined) {
        if (dto.capacity < shift.filled)
          throw InvalidInputError.field('capacity', `cannot be below the ${shift.filled} volunteers already booked`);
        shift.capacity = dto.capacity;
        if (shift.status === 'full' && shift.filled < shift.capacity) shift.status = 'open';
        if (shift.status === 'open' && shift.filled === shift.capacity) shift.status = 'full';
      }
      if (dto.title !== undefined) shift.title = dto.title.trim();
      if (dto.description !== undefined) shift.description = dto.description;
      if (dto.requiredSkills) shift.requiredSkills = dto.requiredSkills;
      if (dto.niceSkills) shift.niceSkills = dto.niceSkills;
      const after = {
        ...before,
        title: shift.title,
        description: shift.description,
        startsAt: shift.startsAt.toISOString(),
        endsAt: shift.endsAt.toISOString(),
        addressId: shift.addressId,
        capacity: shift.capacity,
        requiredSkills: shift.requiredSkills,
        niceSkills: shift.niceSkills,
      };
      const changes = diff(before, after);
      if (Object.keys(changes).length === 0) return shift;
      const notify = Object.keys(changes).some((field) => NOTIFIABLE.has(field));
      if (notify) shift.sequence += 1;
      shift.updatedAt = new Date();
      const change = this.changes.record(tx, shift.id, 'updated', changes, actor);
      if (notify) await this.changes.tellBooked(tx, shift.id, change);
      // More capacity means more offers.
      if (changes.capacity && shift.status === 'open')
        this.outbox.add(
          tx,
          JobName.OfferWave,
          { shiftId: shift.id },
          `${JobName.OfferWave}-${shift.id}-capacity-${shift.capacity}-${Date.now()}`,
        );
      return shift;
    });
    return this.respond(organisationId, shift);
  }

  async publish(organisationId: string, shiftId: string, actor: string | null): Promise<ShiftResponseDto> {
    const shift = await this.repo.transaction(async (tx) => {
      const shift = await this.editable(tx, organisationId, shiftId);
      if (shift.status !== 'draft') return shift; // publishing twice is harmless
      if (shift.startsAt.getTime() <= Date.now())
        throw new ConflictError('shift-started', 'This shift has already started.');
      Object.assign(shift, { status: 'open', publishedAt: new Date(), updatedAt: new Date() });
      this.changes.opened(tx, shift.id, actor);
      return shift;
    });
    return this.respond(organisationId, shift);
  }

  async cancel(
    organisationId: string,
    shiftId: string,
    actor: string | null,
    reason?: string,
  ): Promise<ShiftResponseDto> {
    const shift = await this.repo.transaction(async (tx) => {
      const shift = await this.repo.findShift(organisationId, shiftId, tx);
      if (!shift) throw new NotFoundError('Shift');
      if (shift.status === 'cancelled') return shift;
      if (shift.status === 'completed')
        throw new ConflictError('shift-completed', 'A completed shift cannot be cancelled.');
      await this.changes.markCancelled(tx, shift, actor, reason?.trim() || undefined);
      return shift;
    });
    return this.respond(organisationId, shift);
  }

  /**
   * PATCH `roles`: replaces the shift's roles by id (changed, added, and those not named removed).
   * A role with bookings cannot be removed, nor made smaller than the places taken in it; the
   * shift's capacity becomes their sum.
   */
  private async replaceRoles(tx: EntityManager, shift: Shift, roles: RoleWrite[], capacity?: number): Promise<void> {
    const current = await this.repo.lockRoles(tx, shift.id);
    const byId = new Map(current.map((role) => [role.id, role]));
    const unknown = roles.findIndex((role) => role.id && !byId.has(role.id));
    if (unknown >= 0) throw InvalidInputError.field(`roles.${unknown}.id`, 'is not a role of this shift');
    const kept = new Set(roles.map((role) => role.id).filter(Boolean));
    const removed = current.filter((role) => !kept.has(role.id));
    const booked = removed.find((role) => role.has_bookings || role.filled > 0);
    if (booked)
      throw new ConflictError('role-has-bookings', 'A role with bookings cannot be removed; make it smaller instead.');
    const below = firstBelowBookings(
      roles.flatMap((role) => {
        const now = role.id ? byId.get(role.id) : undefined;
        return now ? [{ ...now, name: role.name, nextCapacity: role.capacity }] : [];
      }),
    );
    if (below) throw capacityBelowBookings(below.filled, below.name);
    shift.capacity = shiftCapacity(capacity, roles);
    await this.repo.writeRoles(
      tx,
      shift.id,
      roles,
      removed.map((role) => role.id),
    );
  }

  /** `capacity` alone changes the only role; a shift with several is resized through `roles`. */
  private async oneRoleOnly(tx: EntityManager, shiftId: string): Promise<void> {
    if ((await this.repo.lockRoles(tx, shiftId)).length > 1)
      throw InvalidInputError.field('capacity', 'is the sum of this shift’s roles: change a role’s capacity in roles');
  }

  private async editable(tx: EntityManager, organisationId: string, shiftId: string): Promise<Shift> {
    const shift = await this.repo.findShift(organisationId, shiftId, tx);
    if (!shift) throw new NotFoundError('Shift');
    if (shift.status === 'cancelled' || shift.status === 'completed')
      throw new ConflictError(`shift-${shift.status}`, `A ${shift.status} shift cannot be changed.`);
    return shift;
  }
}

function capacityBelowBookings(booked: number, role: string): ConflictError {
  const error = new ConflictError(
    'capacity-below-bookings',
    `${role} already has ${booked} ${booked === 1 ? 'place' : 'places'} booked; its capacity cannot go below that.`,
  );
  error.extensions.booked = booked;
  return error;
}
