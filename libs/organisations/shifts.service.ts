import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, InvalidInputError, NotFoundError, JobName, OutboxService } from '../platform/index.js';
import { assertKnownSkills } from '../common/index.js';
import { diff, NOTIFIABLE, validInterval } from './core/shift-rules.js';
import type { CreateShiftDto, ListShiftsQueryDto, ShiftResponseDto, UpdateShiftDto } from './organisation.dto.js';
import type { Shift } from './organisation.entities.js';
import { OrganisationsRepository } from './organisations.repository.js';
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
        capacity: dto.capacity,
        requiredSkills: dto.requiredSkills ?? [],
        niceSkills: dto.niceSkills ?? [],
        status: dto.publish ? 'open' : 'draft',
        publishedAt: dto.publish ? new Date() : null,
      });
      this.changes.record(tx, shift.id, 'created', {}, actor);
      if (dto.publish) this.changes.opened(tx, shift.id, actor);
      return shift;
    });
    return toShiftDto(shift, await this.organisations.timeZoneOf(organisationId));
  }

  async list(organisationId: string, query: ListShiftsQueryDto): Promise<ShiftResponseDto[]> {
    const shifts = await this.repo.listShifts(organisationId, query);
    const zone = await this.organisations.timeZoneOf(organisationId);
    return shifts.map((shift) => toShiftDto(shift, zone));
  }

  async get(organisationId: string, shiftId: string): Promise<ShiftResponseDto> {
    const shift = await this.repo.findShift(organisationId, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    return toShiftDto(shift, await this.organisations.timeZoneOf(organisationId));
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
      if (dto.capacity !== undefined) {
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
    return toShiftDto(shift, await this.organisations.timeZoneOf(organisationId));
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
    return toShiftDto(shift, await this.organisations.timeZoneOf(organisationId));
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
    return toShiftDto(shift, await this.organisations.timeZoneOf(organisationId));
  }

  private async editable(tx: EntityManager, organisationId: string, shiftId: string): Promise<Shift> {
    const shift = await this.repo.findShift(organisationId, shiftId, tx);
    if (!shift) throw new NotFoundError('Shift');
    if (shift.status === 'cancelled' || shift.status === 'completed')
      throw new ConflictError(`shift-${shift.status}`, `A ${shift.status} shift cannot be changed.`);
    return shift;
  }
}
