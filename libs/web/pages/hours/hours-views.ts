import { DateTime } from 'luxon';
import { formatHours, type HoursEntryView } from '../../../hours/index.js';

export const STATUS_WORDS: Record<string, string> = {
  credited: 'Counted',
  voided: 'Not counted (cancelled or no-show)',
  pending: 'Waiting for the organisation',
  approved: 'Approved',
  declined: 'Declined',
};

export const SOURCE_WORDS: Record<string, string> = {
  scheduled: 'shift times',
  arrival: 'arrival and departure',
  adjusted: 'adjusted by the organisation',
  logged: 'logged by you',
};

/** An entry as the pages list it: a readable date, its status and where its hours come from. */
export function entryView(entry: HoursEntryView) {
  return {
    ...entry,
    dateText: DateTime.fromISO(entry.date).toFormat('ccc d LLL yyyy'),
    statusText: STATUS_WORDS[entry.status],
    sourceText: SOURCE_WORDS[entry.source],
    loggedHours: entry.loggedMinutes === null ? null : formatHours(entry.loggedMinutes),
  };
}
