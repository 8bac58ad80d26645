import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig, ConflictError, InvalidInputError, NotFoundError } from '../platform/index.js';
import { arrivalInterval, formatHours } from './core/credit.js';
import { checkLoggedEntry, type ExistingEntry } from './core/logged-entry.js';
import { totalMinutes, totalsByOrganisation, type OrganisationTotal } from './core/statement.js';
import { graceEndedBy, type HoursEntryView, toLine, toView } from './hours-entries.js';
import { HoursRepository, type LedgerFilter, type LedgerRow } from './hours.repository.js';

export interface LogHoursInput {
  organisationId: string;
  date: string;
  startTime?: string;
  endTime?: string;
  minutes?: number;
  description: string;
}

/**
 * The hours ledger's use cases: the volunteer's totals and logging, the coordinator's decisions and
 * adjustments. Credits are computed from the rows on every read; statements are HoursStatementsService.
 */
@Injectable()
export class HoursService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: HoursRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async mine(volunteerId: string): Promise<{
    totalMinutes: number;
    totalHours: string;
    organisations: OrganisationTotal[];
    entries: HoursEntryView[];
  }> {
    await this.repo.creditUnmarked({ volunteerId }, graceEndedBy(this.config));
    const entries = (await this.repo.ledger({ volunteerId })).map(toView);
    const counted = entries.filter((e) => e.counts);
    const total = totalMinutes(counted);
    return {
      totalMinutes: total,
      totalHours: formatHours(total),
      organisations: totalsByOrganisation(counted.map(toLine)),
      entries,
    };
  }

  organisationsOf(volunteerId: string) {
    return this.repo.organisationsOf(volunteerId);
  }

  async log(volunteerId: string, input: LogHoursInput, now = new Date()): Promise<HoursEntryView> {
    const volunteer = await this.repo.volunteer(volunteerId);
    if (!volunteer) throw new NotFoundError('Volunteer');
    if (!(await this.repo.organisation(input.organisationId)))
      throw InvalidInputError.field('organisationId', 'is not an organisation on Kindshift');
    // Unmarked shifts past the grace period are entries too, and a new entry must not overlap them.
    await this.repo.creditUnmarked({ volunteerId }, graceEndedBy(this.config, now));
    const id = await this.em.fork().transactional(async (tx) => {
      await this.repo.lockVolunteer(tx, volunteerId);
      const existing = (await this.repo.ledger({ volunteerId }, tx))
        .filter((row) => row.status !== 'voided' && row.status !== 'declined')
        .map(existingEntry);
      const check = checkLoggedEntry(input, { zone: volunteer.time_zone, now, existing });
      if (!check.ok)
        throw new InvalidInputError(check.problems, `${check.problems[0].field}: ${check.problems[0].message}`);
      return this.repo.insertLogged(tx, {
        volunteerId,
        organisationId: input.organisationId,
        ...check.entry,
        description: input.description,
      });
    });
    const [row] = await this.repo.ledger({ volunteerId, entryId: id });
    return toView(row);
  }

  async organisationHours(organisationId: string, filter: Omit<LedgerFilter, 'organisationId'> = {}) {
    if (filter.from && filter.to && filter.from > filter.to)
      throw InvalidInputError.field('from', 'must not be after `to`');
    await this.repo.creditUnmarked({ organisationId }, graceEndedBy(this.config));
    return (await this.repo.ledger({ ...filter, organisationId })).map(toView);
  }

  async decide(
    organisationId: string,
    entryId: string,
    decision: 'approve' | 'decline',
    note: string | null,
    by: string | null,
  ): Promise<HoursEntryView> {
    const status = decision === 'approve' ? 'approved' : 'declined';
    if (!(await this.repo.decide(organisationId, entryId, { status, by, note }))) {
      const state = await this.repo.entryState(organisationId, entryId);
      if (!state) throw new NotFoundError('Hours entry');
      if (state.kind !== 'logged')
        throw new ConflictError('not-logged-hours', 'Only hours a volunteer logged are approved or declined.');
      throw new ConflictError('hours-already-decided', `These hours were already ${state.status}.`);
    }
    return this.entry(organisationId, entryId);
  }

  async adjust(
    organisationId: string,
    entryId: string,
    adjustment: { minutes: number; reason: string },
    by: string | null,
  ): Promise<HoursEntryView> {
    if (!(await this.repo.adjust(organisationId, entryId, { ...adjustment, by }))) {
      const state = await this.repo.entryState(organisationId, entryId);
      if (!state) throw new NotFoundError('Hours entry');
      if (state.kind !== 'shift')
        throw new ConflictError('not-shift-hours', 'Logged hours are approved or declined, not adjusted.');
      throw new ConflictError('hours-voided', 'This booking was cancelled or marked no-show; it credits no hours.');
    }
    return this.entry(organisationId, entryId);
  }

  private async entry(organisationId: string, entryId: string): Promise<HoursEntryView> {
    const [row] = await this.repo.ledger({ organisationId, entryId });
    return toView(row);
  }
}

/** What another entry occupies, for the overlap rule of a new logged entry. */
function existingEntry(row: LedgerRow): ExistingEntry {
  const view = toView(row);
  let start: Date | null = row.starts_at ? new Date(row.starts_at) : null;
  let end: Date | null = row.ends_at ? new Date(row.ends_at) : null;
  if (row.kind === 'shift' && row.scheduled_start && row.scheduled_end) {
    const s = new Date(row.scheduled_start);
    const e = new Date(row.scheduled_end);
    ({ start, end } = row.arrived_at
      ? arrivalInterval(s, e, new Date(row.arrived_at), row.left_at)
      : { start: s, end: e });
  }
  return {
    date: row.entry_date,
    start,
    end,
    minutes: row.kind === 'logged' ? (row.logged_minutes ?? 0) : view.minutes,
  };
}
