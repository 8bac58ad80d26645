/**
 * Whether a coordinator's match list is worth showing for a shift: only while it could still take a
 * booking (open with a free place, not started) or is a draft being prepared (its list previews who
 * will be offered it on publishing). Otherwise the answer is the reason, in words, not an empty list.
 */
export type NoMatchListCode = 'cancelled' | 'completed' | 'started' | 'full';

export interface NoMatchListReason {
  code: NoMatchListCode;
  message: string;
}

export interface ShiftState {
  status: string;
  filled: number;
  capacity: number;
  startsAt: Date;
  endsAt: Date;
}

export function whyNoMatchList(shift: ShiftState, nowMs: number): NoMatchListReason | null {
  if (shift.status === 'cancelled') return { code: 'cancelled', message: 'This shift was cancelled.' };
  if (shift.status === 'completed' || shift.endsAt.getTime() <= nowMs)
    return { code: 'completed', message: 'This shift is over.' };
  // Accepting needs starts_at > now (OfferResponsesService), so a started shift can take no one.
  if (shift.startsAt.getTime() <= nowMs)
    return { code: 'started', message: 'This shift has started, so no more places can be offered.' };
  if (shift.status === 'full' || shift.filled >= shift.capacity) {
    return { code: 'full', message: `This shift is full — ${shift.filled} of ${shift.capacity} booked.` };
  }
  return null;
}
