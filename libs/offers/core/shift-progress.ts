import { plural } from '../../common/index.js';

/** What the database knows about a shift's offers at one moment (offers.sent_at follows the delivery log). */
export interface ProgressFacts {
  status: string;
  capacity: number;
  filled: number;
  startsAt: Date;
  /** Pending offers not emailed yet, and those of them written in the last few minutes. */
  queued: number;
  queuedRecent: number;
  /** Offers emailed, whatever became of them. */
  sent: number;
  /** Emailed, pending and not expired: waiting for the volunteer's answer. */
  waiting: number;
  accepted: number;
  declined: number;
  expired: number;
  withdrawn: number;
  /** Something asked for a wave (publish, a decline, an expiry, a cancelled booking) and no offer was written since. */
  preparing: boolean;
}

export type ProgressState =
  'draft' | 'cancelled' | 'closed' | 'filled' | 'preparing' | 'sending' | 'waiting' | 'exhausted';

export interface ShiftProgress {
  state: ProgressState;
  openPlaces: number;
  headline: string;
  detail: string | null;
  /** How soon the page should look again: soon while a wave goes out, slowly while answers come in, else never. */
  refreshSeconds: number | null;
}

/** While a wave is written and emailed the numbers change by the second. */
const WAVE_REFRESH_SECONDS = 5;
/** Answers come in over hours; a slow look is enough. */
const ANSWERS_REFRESH_SECONDS = 30;

const places = (n: number) => plural(n, { one: '# open place', other: '# open places' });
const offers = (n: number) => plural(n, { one: '# offer', other: '# offers' });

/** The coordinator's view of where a shift's offers stand, in words, from the facts alone. */
export function shiftProgress(f: ProgressFacts, now: Date): ShiftProgress {
  const openPlaces = Math.max(0, f.capacity - f.filled);
  const result = (
    state: ProgressState,
    headline: string,
    detail: string | null = null,
    refreshSeconds: number | null = null,
  ): ShiftProgress => ({ state, openPlaces, headline, detail, refreshSeconds });
  if (f.status === 'draft') return result('draft', 'Not published yet: no offers go out until you publish the shift.');
  if (f.status === 'cancelled') return result('cancelled', 'Cancelled: no more offers go out.');
  if (f.status === 'completed' || f.startsAt.getTime() <= now.getTime())
    return result('closed', 'This shift has started, so no more offers go out.');
  if (openPlaces === 0 || f.status === 'full') {
    const booked =
      f.capacity === 1
        ? 'the place is booked'
        : f.capacity === 2
          ? 'both places are booked'
          : `all ${f.capacity} places are booked`;
    return result(
      'filled',
      `Filled: ${booked}.`,
      f.withdrawn
        ? `${plural(f.withdrawn, { one: '# other offer was', other: '# other offers were' })} withdrawn with a thank-you.`
        : null,
    );
  }
  const deferred = f.queued - f.queuedRecent;
  const later =
    deferred > 0
      ? `${plural(deferred, { one: '# more offer goes', other: '# more offers go' })} out when the volunteers’ quiet hours end.`
      : null;
  if (f.queuedRecent > 0) {
    return result(
      'sending',
      `A wave is going out: ${offers(f.sent)} emailed, ${f.queuedRecent} still being sent.`,
      later,
      WAVE_REFRESH_SECONDS,
    );
  }
  if (f.waiting > 0 || deferred > 0) {
    const out = plural(f.waiting, { one: '# offer is', other: '# offers are' });
    return result(
      'waiting',
      `Waiting for answers: ${out} out for ${places(openPlaces)}.`,
      later,
      ANSWERS_REFRESH_SECONDS,
    );
  }
  if (f.preparing)
    return result(
      'preparing',
      `A wave of offers is being prepared for ${places(openPlaces)}.`,
      null,
      WAVE_REFRESH_SECONDS,
    );
  const left = plural(openPlaces, { one: '# place is', other: '# places are' });
  if (f.sent === 0)
    return result(
      'exhausted',
      `No one to ask: ${left} open and no volunteer matches this shift right now.`,
      'See “Why not more?” for who was left out and why.',
    );
  return result(
    'exhausted',
    `No one left to ask: ${left} still open and every matching volunteer has had an offer.`,
    'More volunteers may match later; see “Why not more?” for who was left out and why.',
  );
}
