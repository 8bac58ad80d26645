import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { APP_CONFIG, type AppConfig, InvalidInputError, NotFoundError } from '../platform/index.js';
import { assertKnownSkills } from '../common/index.js';
import { expandWeeklySeries } from './core/recurrence.js';
import { assertSeriesDates } from './core/shift-rules.js';
import type { CreateSeriesDto, SeriesResponseDto } from './organisation.dto.js';
import type { SeriesRole, ShiftSeries } from './organisation.entities.js';
import { rolesToWrite, shiftCapacity } from './role-input.js';
import { OrganisationsRepository } from './organisations.repository.js';
import { OrganisationsService } from './organisations.service.js';
import { ShiftChangesService } from './shift-changes.service.js';
import { toShiftDto } from './shift-response.js';

/** A series as the coordinator's overview lists it. */
export interface SeriesSummary {
  id: string;
  title: string;
  weekday: number;
  start: string;
  end: string;
  startsOn: string;
  until: string;
  status: string;
}

/** Weekly series: the rule, and its concrete shifts generated SERIES_HORIZON_WEEKS ahead. */
@Injectable()
export class SeriesService {
  constructor(
    private readonly repo: OrganisationsRepository,
    private readonly organisations: OrganisationsService,
    private readonly changes: ShiftChangesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
    const roles = dto.roles ? rolesToWrite(dto.roles).map(({ id: _id, ...role }) => role) : null;
    const capacity = shiftCapacity(dto.capacity, roles);
    const zone = await this.organisations.timeZoneOf(organisationId);
    assertSeriesDates(dto.startsOn, dto.until, zone);
    const seriesId = await this.repo.transaction(async (tx) => {
      const address = await this.organisations.shiftAddress(tx, organisationId, dto.addressId);
      const series = this.repo.newSeries(tx, {
        organisationId,
        addressId: address.id,
        title: dto.title.trim(),
        description: dto.description ?? '',
        weekday: dto.weekday,
        startLocal: dto.start,
        endLocal: dto.end,
        startsOn: dto.startsOn,
        until: dto.until,
        capacity,
        requiredSkills: dto.requiredSkills ?? [],
        niceSkills: dto.niceSkills ?? [],
        roles,
      });
      await this.repo.flush(tx);
      await this.generate(tx, series, zone, dto.publish ?? true, actor);
      return series.id;
    });
    return this.getSeries(organisationId, seriesId);
  }

  async getSeries(organisationId: string, seriesId: string): Promise<SeriesResponseDto> {
    const series = await this.repo.findSeries(organisationId, seriesId);
    if (!series) throw new NotFoundError('Series');
    const shifts = await this.repo.seriesShifts(seriesId);
    const zone = await this.organisations.timeZoneOf(organisationId);
    const roles = await this.repo.rolesOf(shifts.map((shift) => shift.id));
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
      shifts: shifts.map((shift) => toShiftDto(shift, zone, roles.get(shift.id) ?? [])),
    };
  }

  /** The organisation's series, active ones first, newest first (at most 100). */
  async listSeries(organisationId: string): Promise<SeriesSummary[]> {
    const rows = await this.repo.seriesOfOrganisation(organisationId);
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      weekday: row.weekday,
      start: row.start_local.slice(0, 5),
      end: row.end_local.slice(0, 5),
      startsOn: row.starts_on,
      until: row.until,
      status: row.status,
    }));
  }

  async cancelSeries(organisationId: string, seriesId: string, actor: string | null): Promise<SeriesResponseDto> {
    await this.repo.transaction(async (tx) => {
      const series = await this.repo.findSeries(organisationId, seriesId, tx);
      if (!series) throw new NotFoundError('Series');
      series.status = 'cancelled';
      const upcoming = await this.repo.upcomingSeriesShifts(tx, seriesId);
      for (const shift of upcoming) await this.changes.markCancelled(tx, shift, actor);
    });
    return this.getSeries(organisationId, seriesId);
  }

  /** Keeps every active series generated SERIES_HORIZON_WEEKS ahead (run by the worker). */
  async extendAllSeries(): Promise<number> {
    const all = await this.repo.activeSeries();
    let created = 0;
    for (const series of all) {
      const zone = await this.organisations.timeZoneOf(series.organisationId);
      created += await this.repo.transaction(async (tx) =>
        this.generate(tx, await this.repo.seriesById(tx, series.id), zone, true, null),
      );
    }
    return created;
  }

  async extendSeries(seriesId: string): Promise<number> {
    return this.repo.transaction(async (tx) => {
      const series = await this.repo.findActiveSeries(tx, seriesId);
      if (!series) return 0;
      return this.generate(tx, series, await this.organisations.timeZoneOf(series.organisationId), true, null);
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
    const address = await this.repo.addressById(tx, series.addressId);
    let created = 0;
    for (const occurrence of occurrences) {
      const shiftId = await this.repo.insertOccurrence(tx, series, address, occurrence, publish);
      if (!shiftId) continue;
      created += 1;
      if (series.roles) await this.nameRoles(tx, shiftId, series.roles);
      this.changes.record(tx, shiftId, 'created', { seriesId: series.id }, actor);
      if (publish) this.changes.opened(tx, shiftId, actor);
    }
    series.generatedUntil = horizon < series.until ? horizon : series.until;
    await this.repo.flush(tx);
    return created;
  }

  /** The insert gave the new shift the one default role; the series' roles replace it before anyone can book. */
  private async nameRoles(tx: EntityManager, shiftId: string, roles: SeriesRole[]): Promise<void> {
    const [defaultRole] = await this.repo.lockRoles(tx, shiftId);
    await this.repo.writeRoles(tx, shiftId, roles, [defaultRole.id]);
  }
}
