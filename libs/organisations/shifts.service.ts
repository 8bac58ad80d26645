import { Injectable, Inject } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import {
  APP_CONFIG,
  type AppConfig,
  pgArray,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  JobName,
  OutboxService,
} from '../platform/index.js';
import { assertKnownSkills, remembered } from '../common/index.js';
import type {
  CreateSeriesDto,
  CreateShiftDto,
  ListShiftsQueryDto,
  SeriesResponseDto,
  ShiftResponseDto,
  UpdateShiftDto,
} from './organisation.dto.js';
import { Organisation, OrganisationAddress, Shift, ShiftChange, ShiftSeries } from './organisation.entities.js';
import { expandWeeklySeries } from './recurrence.js';

/** Shifts longer than this are almost certainly a typo (a date instead of a time). */
const MAX_SHIFT_HOURS = 16;
/** A series may be planned at most this far ahead. */
const MAX_SERIES_DAYS = 366;
/** Fields whose change a booked volunteer must hear about (and that bump the iCalendar SEQUENCE). */
const NOTIFIABLE = new Set(['startsAt', 'endsAt', 'addressId', 'title']);

@Injectable()
export class ShiftsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(organisationId: string, dto: CreateShiftDto, actor: string | null): Promise<ShiftResponseDto> {
    const { startsAt, endsAt } = validInterval(dto.startsAt, dto.endsAt);
    assertKnownSkills('requiredSkills', dto.requiredSkills ?? []);
    assertKnownSkills('niceSkills', dto.niceSkills ?? []);
    const shift = await this.em.fork().transactional(async (tx) => {
      const address = await this.address(tx, organisationId, dto.addressId);
      const shift = tx.create(Shift, {
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
      } as Shift);
      tx.persist(shift);
      this.record(tx, shift.id, 'created', {}, actor);
      if (dto.publish) this.opened(tx, shift.id, actor);
      return shift;
    });
    return this.toDto(shift, await this.zoneOf(organisationId));
  }

  async list(organisationId: string, query: ListShiftsQueryDto): Promise<ShiftResponseDto[]> {
    const where: Record<string, unknown> = { organisationId };
    if (query.status) where.status = query.status;
    if (query.from || query.to)
      where.startsAt = {
        ...(query.from ? { $gte: new Date(query.from) } : {}),
        ...(query.to ? { $lt: new Date(query.to) } : {}),
      };
    const shifts = await this.em
      .fork()
      .find(Shift, where, { orderBy: { startsAt: 'asc' }, limit: query.limit ?? 50, offset: query.offset ?? 0 });
    const zone = await this.zoneOf(organisationId);
    return shifts.map((shift) => this.toDto(shift, zone));
  }

  async get(organisationId: string, shiftId: string): Promise<ShiftResponseDto> {
    const shift = await this.em.fork().findOne(Shift, { id: shiftId, organisationId });
    if (!shift) throw new NotFoundError('Shift');
    return this.toDto(shift, await this.zoneOf(organisationId));
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
    const shift = await this.em.fork().transactional(async (tx) => {
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
        const address = await this.address(tx, organisationId, dto.addressId);
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
      const change = this.record(tx, shift.id, 'updated', changes, actor);
      if (notify) await this.tellBooked(tx, shift.id, change);
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
    return this.toDto(shift, await this.zoneOf(organisationId));
  }

  async publish(organisationId: string, shiftId: string, actor: string | null): Promise<ShiftResponseDto> {
    const shift = await this.em.fork().transactional(async (tx) => {
      const shift = await this.editable(tx, organisationId, shiftId);
      if (shift.status !== 'draft') return shift; // publishing twice is harmless
      if (shift.startsAt.getTime() <= Date.now())
        throw new ConflictError('shift-started', 'This shift has already started.');
      Object.assign(shift, { status: 'open', publishedAt: new Date(), updatedAt: new Date() });
      this.opened(tx, shift.id, actor);
      return shift;
    });
    return this.toDto(shift, await this.zoneOf(organisationId));
  }

  async cancel(
    organisationId: string,
    shiftId: string,
    actor: string | null,
    reason?: string,
  ): Promise<ShiftResponseDto> {
    const shift = await this.em.fork().transactional(async (tx) => {
      const shift = await tx.findOne(Shift, { id: shiftId, organisationId });
      if (!shift) throw new NotFoundError('Shift');
      if (shift.status === 'cancelled') return shift;
      if (shift.status === 'completed')
        throw new ConflictError('shift-completed', 'A completed shift cannot be cancelled.');
      await this.markCancelled(tx, shift, actor, reason?.trim() || undefined);
      return shift;
    });
    return this.toDto(shift, await this.zoneOf(organisationId));
  }

  /** Creates a weekly series and generates its first weeks of concrete shifts in the same transaction. */
  async createSeries(organisationId: string, dto: CreateSeriesDto, actor: string | null): Promise<SeriesResponseDto> {
    // An end before the start crosses midnight; an equal one is no shift at all (CHECK end_local <> start_local).
    if (dto.start === dto.end)
      throw InvalidInputError.field(
        'end',
        'must differ from start (an end before the start means the shift ends the next day)',
      );
    assertKnownSkills('requiredSkills', dto.requiredSkills ?? []);
    assertKnownSkills('niceSkills', dto.niceSkills ?? []);
    const zone = await this.zoneOf(organisationId);
    const startsOn = DateTime.fromISO(dto.startsOn, { zone });
    const until = DateTime.fromISO(dto.until, { zone });
    if (!startsOn.isValid) throw InvalidInputError.field('startsOn', 'is not a real date');
    if (!until.isValid) throw InvalidInputError.field('until', 'is not a real date');
    if (until < startsOn) throw InvalidInputError.field('until', 'must be on or after startsOn');
    if (until.diff(startsOn, 'days').days > MAX_SERIES_DAYS)
      throw InvalidInputError.field('until', `must be within ${MAX_SERIES_DAYS} days of startsOn`);
    if (until < DateTime.now().setZone(zone).startOf('day')) throw InvalidInputError.field('until', 'is in the past');
    const seriesId = await this.em.fork().transactional(async (tx) => {
      const address = await this.address(tx, organisationId, dto.addressId);
      const series = tx.create(ShiftSeries, {
        organisationId,
        addressId: address.id,
        title: dto.title.trim(),
        description: dto.description ?? '',
        weekday: dto.weekday,
        startLocal: dto.start,
        endLocal: dto.end,
        startsOn: dto.startsOn,
        until: dto.until,
        capacity: dto.capacity,
        requiredSkills: dto.requiredSkills ?? [],
        niceSkills: dto.niceSkills ?? [],
      } as ShiftSeries);
      tx.persist(series);
      await tx.flush();
      await this.generate(tx, series, zone, dto.publish ?? true, actor);
      return series.id;
    });
    return this.getSeries(organisationId, seriesId);
  }

  async getSeries(organisationId: string, seriesId: string): Promise<SeriesResponseDto> {
    const em = this.em.fork();
    const series = await em.findOne(ShiftSeries, { id: seriesId, organisationId });
    if (!series) throw new NotFoundError('Series');
    const shifts = await em.find(Shift, { seriesId }, { orderBy: { startsAt: 'asc' } });
    const zone = await this.zoneOf(organisationId);
    return {
      id: series.id,
      title: series.title,
      weekday: series.weekday,
      start: series.startLocal.slice(0, 5),
      end: series.endLocal.slice(0, 5),
      startsOn: series.startsOn,
      until: series.until,
      status: series.status,
      generatedUntil: series.generatedUntil ?? null,
      shifts: shifts.map((shift) => this.toDto(shift, zone)),
    };
  }

  async cancelSeries(organisationId: string, seriesId: string, actor: string | null): Promise<SeriesResponseDto> {
    await this.em.fork().transactional(async (tx) => {
      const series = await tx.findOne(ShiftSeries, { id: seriesId, organisationId });
      if (!series) throw new NotFoundError('Series');
      series.status = 'cancelled';
      const upcoming = await tx.find(Shift, {
        seriesId,
        startsAt: { $gt: new Date() },
        status: { $in: ['draft', 'open', 'full'] },
      });
      for (const shift of upcoming) await this.markCancelled(tx, shift, actor);
    });
    return this.getSeries(organisationId, seriesId);
  }

  /** Keeps every active series generated SERIES_HORIZON_WEEKS ahead (run by the worker). */
  async extendAllSeries(): Promise<number> {
    const em = this.em.fork();
    const all = await em.find(ShiftSeries, { status: 'active' });
    let created = 0;
    for (const series of all) {
      const zone = await this.zoneOf(series.organisationId);
      created += await em
        .fork()
        .transactional(async (tx) =>
          this.generate(tx, await tx.findOneOrFail(ShiftSeries, { id: series.id }), zone, true, null),
        );
    }
    return created;
  }

  async extendSeries(seriesId: string): Promise<number> {
    return this.em.fork().transactional(async (tx) => {
      const series = await tx.findOne(ShiftSeries, { id: seriesId, status: 'active' });
      if (!series) return 0;
      return this.generate(tx, series, await this.zoneOf(series.organisationId), true, null);
    });
  }

  /** Inserts the occurrences from today to the horizon; existing ones are left alone (unique per series and start). */
  private async generate(
    tx: EntityManager,
    series: ShiftSeries,
    zone: string,
    publish: boolean,
    actor: string | null,
  ): Promise<number> {
    const today = DateTime.now().setZone(zone).toISODate() as string;
    const horizon = DateTime.now()
      .setZone(zone)
      .plus({ weeks: this.config.SERIES_HORIZON_WEEKS })
      .toISODate() as string;
    const occurrences = expandWeeklySeries(
      {
        weekday: series.weekday,
        startLocal: series.startLocal.slice(0, 5),
        endLocal: series.endLocal.slice(0, 5),
        startsOn: series.startsOn,
        until: series.until,
        zone,
      },
      today,
      horizon,
    ).filter((occurrence) => occurrence.startsAt.getTime() > Date.now());
    const address = await tx.findOneOrFail(OrganisationAddress, { id: series.addressId });
    let created = 0;
    for (const occurrence of occurrences) {
      const [row] = await tx.execute(
        `insert into shifts (organisation_id, series_id, address_id, title, description, starts_at, ends_at, lat, lon, capacity,
                             required_skills, nice_skills, status, published_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as text[]), cast(? as text[]), ?, ?)
         on conflict (series_id, starts_at) where series_id is not null do nothing returning id`,
        [
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
        ],
      );
      if (!row) continue;
      created += 1;
      this.record(tx, row.id, 'created', { seriesId: series.id }, actor);
      if (publish) this.opened(tx, row.id, actor);
    }
    series.generatedUntil = horizon < series.until ? horizon : series.until;
    await tx.flush();
    return created;
  }

  /**
   * Cancels a shift: its bookings are cancelled and its pending offers withdrawn in the same
   * transaction, and the booked volunteers are told (with an iCalendar CANCEL) by the worker.
   */
  private async markCancelled(tx: EntityManager, shift: Shift, actor: string | null, reason?: string): Promise<void> {
    Object.assign(shift, {
      status: 'cancelled',
      cancelledAt: new Date(),
      updatedAt: new Date(),
      sequence: shift.sequence + 1,
    });
    const bookings = await tx.execute(
      `update bookings set status = 'cancelled', updated_at = now(), sequence = sequence + 1 where shift_id = ? and status = 'confirmed' returning id`,
      [shift.id],
    );
    await tx.execute(
      `update offers set status = 'withdrawn', responded_at = now() where shift_id = ? and status = 'pending'`,
      [shift.id],
    );
    const change = this.record(
      tx,
      shift.id,
      'cancelled',
      { bookingIds: bookings.map((b) => String(b.id)), ...(reason ? { reason } : {}) },
      actor,
    );
    await this.tellBooked(tx, shift.id, change);
  }

  /** Publishing opens a shift for offers: the first wave is queued with the change. */
  private opened(tx: EntityManager, shiftId: string, actor: string | null): void {
    this.record(tx, shiftId, 'published', {}, actor);
    this.outbox.add(tx, JobName.OfferWave, { shiftId }, `${JobName.OfferWave}-${shiftId}-published`);
  }

  /** Queues the emails to booked volunteers about a change (the change row's id keys them). */
  private async tellBooked(tx: EntityManager, shiftId: string, change: ShiftChange): Promise<void> {
    await tx.flush(); // assigns the change id
    this.outbox.add(
      tx,
      JobName.ShiftChanged,
      { shiftId, changeId: String(change.id) },
      `${JobName.ShiftChanged}-${change.id}`,
    );
  }

  private async editable(tx: EntityManager, organisationId: string, shiftId: string): Promise<Shift> {
    const shift = await tx.findOne(Shift, { id: shiftId, organisationId });
    if (!shift) throw new NotFoundError('Shift');
    if (shift.status === 'cancelled' || shift.status === 'completed')
      throw new ConflictError(`shift-${shift.status}`, `A ${shift.status} shift cannot be changed.`);
    return shift;
  }

  private async address(tx: EntityManager, organisationId: string, addressId?: string): Promise<OrganisationAddress> {
    const address = addressId
      ? await tx.findOne(OrganisationAddress, { id: addressId, organisationId })
      : await tx.findOne(OrganisationAddress, { organisationId, isDefault: true });
    if (!address)
      throw InvalidInputError.field(
        'addressId',
        addressId
          ? 'is not one of this organisation’s addresses'
          : 'is required: the organisation has no default address',
      );
    return address;
  }

  private record(
    tx: EntityManager,
    shiftId: string,
    kind: ShiftChange['kind'],
    changes: Record<string, unknown>,
    actor: string | null,
  ): ShiftChange {
    const change = tx.create(ShiftChange, { shiftId, kind, changes, changedBy: actor } as ShiftChange);
    tx.persist(change);
    return change;
  }

  private async zoneOf(organisationId: string): Promise<string> {
    const organisation = await this.em.fork().findOne(Organisation, { id: organisationId });
    if (!organisation) throw new NotFoundError('Organisation');
    return organisation.timeZone;
  }

  toDto(shift: Shift, zone: string): ShiftResponseDto {
    return {
      id: shift.id,
      organisationId: shift.organisationId,
      seriesId: shift.seriesId ?? null,
      title: shift.title,
      description: shift.description,
      startsAt: shift.startsAt.toISOString(),
      endsAt: shift.endsAt.toISOString(),
      localTime: formatLocalInterval(shift.startsAt, shift.endsAt, zone),
      addressId: shift.addressId,
      capacity: shift.capacity,
      filled: shift.filled,
      requiredSkills: shift.requiredSkills,
      niceSkills: shift.niceSkills,
      status: shift.status,
    };
  }
}

/**
 * "Tue 1 Dec 2026, 17:00–20:00 (Europe/London)"; the end date is named when it differs.
 * Remembered: a wave's offer emails format the same shift in the same few zones (luxon's zone
 * arithmetic was ~2 % of the worker's CPU in the offer benchmark).
 */
export const formatLocalInterval = remembered(
  (startsAt: Date, endsAt: Date, zone: string): string => {
    const start = DateTime.fromJSDate(startsAt, { zone });
    const end = DateTime.fromJSDate(endsAt, { zone });
    // Same local date, compared on the fields luxon already computed (hasSame('day') recomputes the
    // zone offset a dozen times).
    const sameDay = start.year === end.year && start.month === end.month && start.day === end.day;
    const endText = sameDay ? end.toFormat('HH:mm') : end.toFormat('ccc d LLL HH:mm');
    return `${start.toFormat('ccc d LLL yyyy, HH:mm')}–${endText} (${zone})`;
  },
  (startsAt, endsAt, zone) => `${startsAt.getTime()}|${endsAt.getTime()}|${zone}`,
  10_000,
);

/** "Tue 1 Dec, 17:00 (Europe/London)"; remembered like formatLocalInterval (a wave's offers share their expiry). */
export const formatLocalInstant = remembered(
  (instant: Date, zone: string): string =>
    `${DateTime.fromJSDate(instant, { zone }).toFormat('ccc d LLL, HH:mm')} (${zone})`,
  (instant, zone) => `${instant.getTime()}|${zone}`,
  10_000,
);

function validInterval(startsAtText: string, endsAtText: string): { startsAt: Date; endsAt: Date } {
  const startsAt = new Date(startsAtText);
  const endsAt = new Date(endsAtText);
  if (Number.isNaN(startsAt.getTime())) throw InvalidInputError.field('startsAt', 'is not a real date-time');
  if (Number.isNaN(endsAt.getTime())) throw InvalidInputError.field('endsAt', 'is not a real date-time');
  if (endsAt <= startsAt) throw InvalidInputError.field('endsAt', 'must be after startsAt');
  if (startsAt.getTime() <= Date.now()) throw InvalidInputError.field('startsAt', 'must be in the future');
  if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_HOURS * 3600_000)
    throw InvalidInputError.field('endsAt', `a shift can last at most ${MAX_SHIFT_HOURS} hours`);
  if (startsAt.getTime() - Date.now() > 2 * 366 * 24 * 3600_000)
    throw InvalidInputError.field('startsAt', 'must be within two years');
  return { startsAt, endsAt };
}

function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
