import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG, type AppConfig, InvalidInputError, NotFoundError } from '../platform/index.js';
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
import { graceEndedBy, toLine, toView } from './hours-entries.js';
import { HoursRepository, type StatementRow } from './hours.repository.js';

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
 * Statements of a volunteer's hours: issuing one (its lines, digest and signed verification link)
 * and verifying it later against today's ledger. The ledger itself is HoursService.
 */
@Injectable()
export class HoursStatementsService {
  private readonly signer: StatementSigner;

  constructor(
    private readonly repo: HoursRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.signer = new StatementSigner(config.SESSION_SECRET);
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
    await this.repo.creditUnmarked({ volunteerId }, graceEndedBy(this.config, now));
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
