import type { FitRule } from '../../matching/index.js';
import { ConflictError } from '../../common/index.js';

/**
 * Why a volunteer cannot book a shift themselves, in their own words: one line per hard rule of
 * matching (plus reach), said plainly and without blame.
 */
export const DOES_NOT_FIT: Record<FitRule, string> = {
  unverified: 'Confirm your email address first: open the link we emailed you.',
  paused: 'Your offers are paused. Resume them from your profile to book shifts.',
  cause: 'This organisation’s cause is not among the causes you chose.',
  skills: 'This shift needs a skill you have not listed in your profile.',
  declined: 'You declined this shift, so it can’t be booked here.',
  already_offered: 'You already have an offer for this shift.',
  blocked: 'This organisation can’t take your booking.',
  away: 'You are away on that date.',
  availability: 'This shift is outside the times you are free.',
  booking_overlap: 'You already have a shift at that time.',
  weekly_cap: 'You have reached your own limit of shifts for that week.',
  too_far: 'This shift is farther than you travel.',
};

/** The volunteer fails a hard rule of matching for the shift; `rule` names it (an RFC 9457 extension member). */
export class ShiftDoesNotFitError extends ConflictError {
  constructor(readonly rule: FitRule) {
    super('shift-does-not-fit', DOES_NOT_FIT[rule]);
    this.extensions = { rule };
  }
}
