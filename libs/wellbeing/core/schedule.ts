import { isoWeekBounds, nextSendTime, type QuietHours } from '../../common/index.js';

/** When a check-in goes out: `delayHours` after the shift, never before now, moved out of quiet hours. */
export function checkInDueAt(shiftEndsAt: Date, delayHours: number, now: Date, zone: string, quiet: QuietHours): Date {
  const earliest = new Date(Math.max(now.getTime(), shiftEndsAt.getTime() + delayHours * 3600_000));
  return nextSendTime(earliest, zone, quiet);
}

/** The WHO-5 at most every `intervalDays` (counted from the last one sent); the mood question otherwise. */
export function nextCheckInKind(lastWho5At: Date | null, now: Date, intervalDays: number): 'who5' | 'mood' {
  return !lastWho5At || now.getTime() - lastWho5At.getTime() >= intervalDays * 86_400_000 ? 'who5' : 'mood';
}

/** Whether another check-in due at `dueAt` stays within `max` per week (the volunteer's week, their zone). */
export function withinWeeklyCheckIns(otherDueTimes: Date[], dueAt: Date, zone: string, max: number): boolean {
  const week = isoWeekBounds(dueAt, zone);
  return otherDueTimes.filter((time) => time >= week.start && time < week.end).length < max;
}
