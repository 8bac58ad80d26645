/**
 * How many minutes an hours entry credits. Computed when the ledger is read, never stored, so an
 * arrival recorded or corrected later is reflected at once (ADR 0022).
 */

export const MAX_ENTRY_MINUTES = 24 * 60;

export type HoursEntryKind = 'shift' | 'logged';
export type HoursEntryStatus = 'credited' | 'voided' | 'pending' | 'approved' | 'declined';
/** Where an entry's minutes come from, as statements and exports show it. */
export type CreditSource = 'scheduled' | 'arrival' | 'adjusted' | 'logged';

export interface CreditFacts {
  kind: HoursEntryKind;
  status: HoursEntryStatus;
  /** The shift's scheduled interval (shift entries). */
  scheduledStart?: Date | null;
  scheduledEnd?: Date | null;
  /** The door record (shift entries), when there is one. */
  arrivedAt?: Date | null;
  leftAt?: Date | null;
  /** A coordinator's adjustment: wins over everything else. */
  adjustedMinutes?: number | null;
  /** What the volunteer logged (logged entries). */
  loggedMinutes?: number | null;
}

export interface Credit {
  minutes: number;
  source: CreditSource;
  /** Whether the entry counts towards totals and statements at all. */
  counts: boolean;
}

const wholeMinutes = (ms: number) => Math.min(MAX_ENTRY_MINUTES, Math.max(0, Math.floor(ms / 60_000)));

/**
 * The interval a shift entry credits from its arrival: the door times clipped to the scheduled
 * shift (arriving early or staying late is not work the organisation asked for; a coordinator
 * adjusts when it was), and a missing departure ends at the scheduled end.
 */
export function arrivalInterval(
  scheduledStart: Date,
  scheduledEnd: Date,
  arrivedAt: Date,
  leftAt: Date | null | undefined,
): { start: Date; end: Date } {
  const clip = (t: number) => Math.min(Math.max(t, scheduledStart.getTime()), scheduledEnd.getTime());
  const start = clip(arrivedAt.getTime());
  const end = clip((leftAt ?? scheduledEnd).getTime());
  return { start: new Date(start), end: new Date(Math.max(start, end)) };
}

export function credit(facts: CreditFacts): Credit {
  if (facts.kind === 'logged') {
    const counts = facts.status === 'approved';
    return { minutes: counts ? (facts.loggedMinutes ?? 0) : 0, source: 'logged', counts };
  }
  if (facts.status !== 'credited') return { minutes: 0, source: 'scheduled', counts: false };
  if (facts.adjustedMinutes !== null && facts.adjustedMinutes !== undefined)
    return { minutes: facts.adjustedMinutes, source: 'adjusted', counts: true };
  const start = facts.scheduledStart!;
  const end = facts.scheduledEnd!;
  if (facts.arrivedAt) {
    const door = arrivalInterval(start, end, facts.arrivedAt, facts.leftAt);
    return { minutes: wholeMinutes(door.end.getTime() - door.start.getTime()), source: 'arrival', counts: true };
  }
  return { minutes: wholeMinutes(end.getTime() - start.getTime()), source: 'scheduled', counts: true };
}

/** 90 → "1.5", 20 → "0.33": hours with at most two decimals, as statements print them. */
export function formatHours(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}
