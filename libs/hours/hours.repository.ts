import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { HoursEntryKind, HoursEntryStatus } from './core/credit.js';
import type { StatementLine } from './core/statement.js';

/** One ledger entry with everything its credit is computed from. */
export interface LedgerRow {
  id: string;
  kind: HoursEntryKind;
  status: HoursEntryStatus;
  volunteer_id: string;
  volunteer_name: string;
  organisation_id: string;
  organisation_name: string;
  entry_date: string;
  shift_title: string | null;
  scheduled_start: Date | null;
  scheduled_end: Date | null;
  arrived_at: Date | null;
  left_at: Date | null;
  adjusted_minutes: number | null;
  adjust_reason: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  logged_minutes: number | null;
  description: string | null;
  decision_note: string | null;
  created_at: Date;
}

export interface LedgerFilter {
  volunteerId?: string;
  organisationId?: string;
  entryId?: string;
  status?: HoursEntryStatus;
  /** Inclusive YYYY-MM-DD bounds on the entry's date. */
  from?: string | null;
  to?: string | null;
}

export interface NewLoggedEntry {
  volunteerId: string;
  organisationId: string;
  date: string;
  startsAt: Date | null;
  endsAt: Date | null;
  minutes: number;
  description: string;
}

export interface StatementRow {
  ref: string;
  volunteer_id: string;
  organisation_id: string | null;
  period_from: string | null;
  period_to: string;
  volunteer_name: string;
  total_minutes: number;
  entry_count: number;
  entries: StatementLine[];
  entries_digest: string;
  issued_at: Date;
}

const INSTANTS = [
  'scheduled_start',
  'scheduled_end',
  'arrived_at',
  'left_at',
  'starts_at',
  'ends_at',
  'created_at',
] as const;

/** Raw statements hand timestamps over as text; the rules work on Dates. */
function withDates(row: LedgerRow): LedgerRow {
  const copy = { ...row } as Record<string, unknown>;
  for (const key of INSTANTS) copy[key] = row[key] === null ? null : new Date(row[key] as Date | string);
  return copy as unknown as LedgerRow;
}

const LEDGER_SELECT = `
  select e.id, e.kind, e.status, e.volunteer_id, v.name as volunteer_name, e.organisation_id, o.name as organisation_name,
         coalesce(e.work_date, (s.starts_at at time zone o.time_zone)::date)::text as entry_date,
         s.title as shift_title, s.starts_at as scheduled_start, s.ends_at as scheduled_end,
         a.arrived_at, a.left_at, e.adjusted_minutes, e.adjust_reason,
         e.starts_at, e.ends_at, e.logged_minutes, e.description, e.decision_note, e.created_at
    from hours_entries e
    join volunteers v on v.account_id = e.volunteer_id
    join organisations o on o.id = e.organisation_id
    left join bookings b on b.id = e.booking_id
    left join shifts s on s.id = b.shift_id
    left join arrivals a on a.booking_id = e.booking_id`;

/**
 * Every query of the hours area, including its reads of bookings, shifts, arrivals, volunteers and
 * organisations. Methods taking `tx` run in the caller's transaction; the others on a fork of their own.
 */
@Injectable()
export class HoursRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Credits bookings the product already counts as attended without a mark: still confirmed a
   * grace period after the shift (as the wellbeing check-ins do). Idempotent; run before each read
   * of the ledger so totals, statements and exports agree with the rest of the product.
   */
  async creditUnmarked(scope: { volunteerId?: string; organisationId?: string }, graceEndedBy: Date): Promise<void> {
    const where = scope.volunteerId ? 'b.volunteer_id = ?' : 's.organisation_id = ?';
    await this.em.fork().execute(
      `insert into hours_entries (kind, volunteer_id, organisation_id, booking_id, status)
       select 'shift', b.volunteer_id, s.organisation_id, b.id, 'credited'
         from bookings b join shifts s on s.id = b.shift_id join volunteers v on v.account_id = b.volunteer_id
        where ${where} and b.status = 'confirmed' and s.ends_at <= ? and v.deleted_at is null
       on conflict (booking_id) do nothing`,
      [scope.volunteerId ?? scope.organisationId, graceEndedBy],
    );
  }

  async ledger(filter: LedgerFilter, tx: EntityManager = this.em.fork()): Promise<LedgerRow[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      conditions.push(sql);
      params.push(value);
    };
    if (filter.volunteerId) add('e.volunteer_id = ?', filter.volunteerId);
    if (filter.organisationId) add('e.organisation_id = ?', filter.organisationId);
    if (filter.entryId) add('e.id = ?', filter.entryId);
    if (filter.status) add('e.status = ?', filter.status);
    if (filter.from) add('coalesce(e.work_date, (s.starts_at at time zone o.time_zone)::date) >= ?::date', filter.from);
    if (filter.to) add('coalesce(e.work_date, (s.starts_at at time zone o.time_zone)::date) <= ?::date', filter.to);
    const where = conditions.length ? ` where ${conditions.join(' and ')}` : '';
    const rows = await tx.execute<LedgerRow[]>(
      `${LEDGER_SELECT}${where} order by entry_date, coalesce(s.starts_at, e.starts_at, e.created_at), e.id`,
      params,
    );
    return rows.map(withDates);
  }

  async volunteer(volunteerId: string): Promise<{ name: string; time_zone: string } | null> {
    const [row] = await this.em
      .fork()
      .execute<Array<{ name: string; time_zone: string }>>(
        `select name, time_zone from volunteers where account_id = ? and deleted_at is null`,
        [volunteerId],
      );
    return row ?? null;
  }

  async organisation(organisationId: string): Promise<{ id: string; name: string; time_zone: string } | null> {
    const [row] = await this.em
      .fork()
      .execute<Array<{ id: string; name: string; time_zone: string }>>(
        `select id, name, time_zone from organisations where id = ?`,
        [organisationId],
      );
    return row ?? null;
  }

  /** Organisations the volunteer has volunteered or logged hours with: the choices of the log form. */
  organisationsOf(volunteerId: string): Promise<Array<{ id: string; name: string }>> {
    return this.em.fork().execute(
      `select o.id, o.name from organisations o
        where exists (select 1 from bookings b join shifts s on s.id = b.shift_id where s.organisation_id = o.id and b.volunteer_id = ?)
           or exists (select 1 from hours_entries e where e.organisation_id = o.id and e.volunteer_id = ?)
        order by o.name`,
      [volunteerId, volunteerId],
    );
  }

  /** Serialises one volunteer's logging, so two overlapping entries sent at once cannot both pass. */
  async lockVolunteer(tx: EntityManager, volunteerId: string): Promise<void> {
    await tx.execute(`select 1 from volunteers where account_id = ? for update`, [volunteerId]);
  }

  async insertLogged(tx: EntityManager, entry: NewLoggedEntry): Promise<string> {
    const [row] = await tx.execute<Array<{ id: string }>>(
      `insert into hours_entries (kind, volunteer_id, organisation_id, status, work_date, starts_at, ends_at, logged_minutes, description)
       values ('logged', ?, ?, 'pending', ?::date, ?, ?, ?, ?) returning id`,
      [
        entry.volunteerId,
        entry.organisationId,
        entry.date,
        entry.startsAt,
        entry.endsAt,
        entry.minutes,
        entry.description,
      ],
    );
    return row.id;
  }

  /** Approves or declines a pending logged entry of the organisation; false when there is none to decide. */
  async decide(
    organisationId: string,
    entryId: string,
    decision: { status: 'approved' | 'declined'; by: string | null; note: string | null },
  ): Promise<boolean> {
    const rows = await this.em.fork().execute(
      `update hours_entries set status = ?, decided_by = ?, decided_at = now(), decision_note = ?, updated_at = now()
        where id = ? and organisation_id = ? and kind = 'logged' and status = 'pending' returning id`,
      [decision.status, decision.by, decision.note, entryId, organisationId],
    );
    return rows.length > 0;
  }

  /** Sets a shift entry's credited minutes; false when the organisation has no such live entry. */
  async adjust(
    organisationId: string,
    entryId: string,
    adjustment: { minutes: number; reason: string; by: string | null },
  ): Promise<boolean> {
    const rows = await this.em.fork().execute(
      `update hours_entries set adjusted_minutes = ?, adjust_reason = ?, adjusted_by = ?, adjusted_at = now(), updated_at = now()
        where id = ? and organisation_id = ? and kind = 'shift' and status = 'credited' returning id`,
      [adjustment.minutes, adjustment.reason, adjustment.by, entryId, organisationId],
    );
    return rows.length > 0;
  }

  async entryState(
    organisationId: string,
    entryId: string,
  ): Promise<{ kind: HoursEntryKind; status: HoursEntryStatus } | null> {
    const [row] = await this.em
      .fork()
      .execute<Array<{ kind: HoursEntryKind; status: HoursEntryStatus }>>(
        `select kind, status from hours_entries where id = ? and organisation_id = ?`,
        [entryId, organisationId],
      );
    return row ?? null;
  }

  async insertStatement(statement: Omit<StatementRow, 'issued_at'>): Promise<Date> {
    const [row] = await this.em.fork().execute<Array<{ issued_at: Date }>>(
      `insert into hours_statements (ref, volunteer_id, organisation_id, period_from, period_to, volunteer_name,
                                     total_minutes, entry_count, entries, entries_digest)
       values (?, ?, ?, ?::date, ?::date, ?, ?, ?, ?::jsonb, ?) returning issued_at`,
      [
        statement.ref,
        statement.volunteer_id,
        statement.organisation_id,
        statement.period_from,
        statement.period_to,
        statement.volunteer_name,
        statement.total_minutes,
        statement.entry_count,
        JSON.stringify(statement.entries),
        statement.entries_digest,
      ],
    );
    return new Date(row.issued_at);
  }

  async statement(ref: string): Promise<StatementRow | null> {
    const [row] = await this.em.fork().execute<StatementRow[]>(
      `select ref, volunteer_id, organisation_id, period_from::text, period_to::text, volunteer_name, total_minutes,
              entry_count, entries, entries_digest, issued_at
         from hours_statements where ref = ?`,
      [ref],
    );
    return row ?? null;
  }
}
