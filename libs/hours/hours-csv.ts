import { writeToString } from '@fast-csv/format';
import { safeCell } from './core/csv-cell.js';
import type { HoursEntryView } from './hours-entries.js';
import type { IssuedStatement } from './hours-statements.service.js';

const SOURCE_WORDS: Record<string, string> = {
  scheduled: 'scheduled shift time',
  arrival: 'arrival and departure',
  adjusted: 'adjusted by coordinator',
  logged: 'logged, approved',
};

// A byte-order mark so Excel reads names with accents as UTF-8.
const csv = (headers: string[], rows: Array<Array<string | number | null>>) =>
  writeToString(
    rows.map((row) => row.map(safeCell)),
    { headers, writeBOM: true },
  );

/** A volunteer's statement: one row per entry, each carrying the reference to verify it by. */
export function statementCsv(statement: IssuedStatement): Promise<string> {
  return csv(
    ['Reference', 'Verify at', 'Volunteer', 'Organisation', 'Date', 'Activity', 'Source', 'Minutes', 'Hours'],
    statement.lines.map((line) => [
      statement.ref,
      statement.verifyUrl,
      statement.scope.volunteerName,
      line.organisationName,
      line.date,
      line.title,
      SOURCE_WORDS[line.source],
      line.minutes,
      Math.round((line.minutes / 60) * 100) / 100,
    ]),
  );
}

/**
 * An organisation's hours for a period: one row per entry with what the coordinator already sees
 * on the roster (the volunteer's name, not their email), including pending, declined and voided
 * entries so the export can be reconciled with the page.
 */
export function organisationCsv(entries: HoursEntryView[]): Promise<string> {
  return csv(
    ['Volunteer', 'Date', 'Shift or activity', 'Minutes', 'Hours', 'Source', 'Status'],
    entries.map((e) => [e.volunteerName, e.date, e.title, e.minutes, Number(e.hours), e.source, e.status]),
  );
}

/** "kindshift-hours-2026-11-01-to-2026-11-30.csv"; only validated dates reach it. */
export function csvFileName(period: { from?: string; to?: string }): string {
  return `kindshift-hours${period.from ? `-${period.from}` : ''}${period.to ? `-to-${period.to}` : ''}.csv`;
}
