/** How a ledger row reads as an entry: shared by the ledger (HoursService) and statements (HoursStatementsService). */
import type { AppConfig } from '../platform/index.js';
import { credit, formatHours, type CreditSource } from './core/credit.js';
import type { StatementLine } from './core/statement.js';
import type { LedgerRow } from './hours.repository.js';

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

/**
 * Shifts that ended before this and are still confirmed count as attended without a mark (as the
 * wellbeing check-ins do); the ledger and statements credit them before they read.
 */
export function graceEndedBy(config: Pick<AppConfig, 'CHECK_IN_GRACE_HOURS'>, now = new Date()): Date {
  return new Date(now.getTime() - config.CHECK_IN_GRACE_HOURS * 3600_000);
}

/** A ledger row as an entry, its credit computed from the row (nothing stores a credit). */
export function toView(row: LedgerRow): HoursEntryView {
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

/** An entry as a statement lists it. */
export function toLine(entry: HoursEntryView): StatementLine {
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
