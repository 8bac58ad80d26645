import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { APP_CONFIG, type AppConfig, ConflictError, InvalidInputError, NotFoundError } from '../platform/index.js';
import { arrivalInterval, credit, formatHours, type CreditSource } from './core/credit.js';
import { checkLoggedEntry, type ExistingEntry } from './core/logged-entry.js';
import {
  parseVerification,
  statementDigest,
  StatementSigner,
  totalMinutes,
  totalsByOrganisation,
  type OrganisationTotal,
  type StatementLine,
  type StatementScope,
} from './core/statement.js';
import { HoursRepository, type LedgerFilter, type LedgerRow, type StatementRow } from './hours.repository.js';

/** One ledger entry as pages, the API and exports show it. */
export interface HoursEntryView {
  id: string;
  kind: 'shift' | 'logged';
  status: LedgerRow['status'];
  volunteerName: string;
  organisationId: string;
  organisationName: string;
  date: string;
  title: string;
  minutes: number;
  hours: string;
  /** What the volunteer logged (logged entries), whether or not it counts yet. */
  loggedMinutes: number | null;
  source: CreditSource;
  counts: boolean;
  startsAt: string | null;
  endsAt: string | null;
  adjustReason: string | null;
  decisionNote: string | null;
}

export interface LogHoursInput {
  organisationId: string;
  date: string;
  startTime?: string;
  endTime?: string;
  minutes?: number;
  description: string;
}

export interface StatementQuery {
  organisationId?: string;
  from?: string;
  to?: string;
}

/** A statement as issued: what the CSV and PDF print. */
export interface IssuedStatement {
  ref: string;
  verifyUrl: string;
  scope: StatementScope;
  /** The organisation of a one-organisation statement; null for all. */
  organisationName: string | null;
  lines: StatementLine[];
  totals: OrganisationTotal[];
  totalMinutes: number;
  issuedAt: Date;
}

export interface Verification {
  statement: StatementRow;
  organisations: OrganisationTotal[];
  /** Whether today's ledger, read with the same scope, still gives the issued figures. */
  agrees: boolean;
  currentMinutes: number;
}

/** Reference alphabet without look-alikes (0/O, 1/I/L), easy to read out on the phone. */
const REF_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function newRef(): string {
  return [...randomBytes(12)].map((b) => REF_ALPHABET[b % REF_ALPHABET.length]).join('');
}

/**
 * The hours ledger's use cases: the volunteer's totals and logging, the coordinator's decisions and
 * adjustments, statements and their verification. Credits are computed from the rows on every read.
 */
@Injectable()
export class HoursService {
  private readonly signer: StatementSigner;

  constructor(
    private readonly em: EntityManager,
    private readonly repo: HoursRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.signer = new StatementSigner(config.SESSION_SECRET);
  }

  private graceEndedBy(now = new Date()): Date {
    return new Date(now.getTime() - this.config.CHECK_IN_GRACE_HOURS * 3600_000);
  }

  async mine(volunteerId: string): Promise<{
    totalMinutes: number;
    totalHours: string;
    organisations: OrganisationTotal[];
    entries: HoursEntryView[];
  }> {
    await this.repo.creditUnmarked({ volunteerId }, this.graceEndedBy());
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
    await this.repo.creditUnmarked({ volunteerId }, this.graceEndedBy(now));
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
    await this.repo.creditUnmarked({ organisationId }, this.graceEndedBy());
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

  /** Builds and records a statement; the same figures are then shown by its verification link. */
  async issueStatement(volunteerId: string, query: StatementQuery, now = new Date()): Promise<IssuedStatement> {
    const volunteer = await this.repo.volunteer(volunteerId);
    if (!volunteer) throw new NotFoundError('Volunteer');
    const organisation = query.organisationId ? await this.repo.organisation(query.organisationId) : null;
    if (query.organisationId && !organisation) throw InvalidInputError.field('organisation', 'is not an organisation');
    const to = query.to ?? DateTime.fromJSDate(now, { zone: volunteer.time_zone }).toISODate()!;
    const from = query.from ?? null;
    if (from && from > to) throw InvalidInputError.field('from', 'must not be after `to`');
    const scope: StatementScope = {
      volunteerName: volunteer.name,
      organisationId: query.organisationId ?? null,
      from,
      to,
    };
    await this.repo.creditUnmarked({ volunteerId }, this.graceEndedBy(now));
    const lines = await this.statementLines(volunteerId, scope);
    const digest = statementDigest(scope, lines);
    const ref = newRef();
    const total = totalMinutes(lines);
    const issuedAt = await this.repo.insertStatement({
      ref,
      volunteer_id: volunteerId,
      organisation_id: scope.organisationId,
      period_from: from,
      period_to: to,
      volunteer_name: volunteer.name,
      total_minutes: total,
      entry_count: lines.length,
      entries: lines,
      entries_digest: digest,
    });
    return {
      ref,
      verifyUrl: `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/verify/hours/${ref}.${this.signer.sign(ref, digest)}`,
      scope,
      organisationName: organisation?.name ?? null,
      lines,
      totals: totalsByOrganisation(lines),
      totalMinutes: total,
      issuedAt,
    };
  }

  /** The issued statement behind a verification link; NotFound for an unknown ref or a wrong signature. */
  async verify(value: string): Promise<Verification> {
    const parsed = parseVerification(value);
    const statement = parsed ? await this.repo.statement(parsed.ref) : null;
    if (!parsed || !statement || !this.signer.verify(parsed.ref, statement.entries_digest, parsed.signature))
      throw new NotFoundError('Statement');
    const scope: StatementScope = {
      volunteerName: statement.volunteer_name,
      organisationId: statement.organisation_id,
      from: statement.period_from,
      to: statement.period_to,
    };
    const current = await this.statementLines(statement.volunteer_id, scope);
    return {
      statement,
      organisations: totalsByOrganisation(statement.entries),
      agrees: statementDigest(scope, current) === statement.entries_digest,
      currentMinutes: totalMinutes(current),
    };
  }

  /** The entries a statement lists: those that count and credit time, in date order. */
  private async statementLines(volunteerId: string, scope: StatementScope): Promise<StatementLine[]> {
    const rows = await this.repo.ledger({
      volunteerId,
      organisationId: scope.organisationId ?? undefined,
      from: scope.from,
      to: scope.to,
    });
    return rows
      .map(toView)
      .filter((e) => e.counts && e.minutes > 0)
      .map(toLine);
  }
}

function toView(row: LedgerRow): HoursEntryView {
  const c = credit({
    kind: row.kind,
    status: row.status,
    scheduledStart: row.scheduled_start,
    scheduledEnd: row.scheduled_end,
    arrivedAt: row.arrived_at,
    leftAt: row.left_at,
    adjustedMinutes: row.adjusted_minutes,
    loggedMinutes: row.logged_minutes,
  });
  const start = row.kind === 'shift' ? row.scheduled_start : row.starts_at;
  const end = row.kind === 'shift' ? row.scheduled_end : row.ends_at;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    volunteerName: row.volunteer_name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    date: row.entry_date,
    title: (row.kind === 'shift' ? row.shift_title : row.description) ?? '',
    minutes: c.minutes,
    hours: formatHours(c.minutes),
    loggedMinutes: row.logged_minutes,
    source: c.source,
    counts: c.counts,
    startsAt: start ? new Date(start).toISOString() : null,
    endsAt: end ? new Date(end).toISOString() : null,
    adjustReason: row.adjust_reason,
    decisionNote: row.decision_note,
  };
}

function toLine(entry: HoursEntryView): StatementLine {
  return {
    entryId: entry.id,
    organisationId: entry.organisationId,
    organisationName: entry.organisationName,
    date: entry.date,
    title: entry.title,
    minutes: entry.minutes,
    source: entry.source,
  };
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
