/** Offer and booking states, and the rules that are pure arithmetic. No I/O here. */
export const OFFER_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
export const BOOKING_STATUSES = ['confirmed', 'cancelled', 'attended', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

const OFFER_TRANSITIONS: Record<OfferStatus, readonly OfferStatus[]> = {
  pending: ['accepted', 'declined', 'expired', 'withdrawn'],
  accepted: [],
  declined: [],
  expired: [],
  withdrawn: [],
};

const BOOKING_TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  confirmed: ['cancelled', 'attended', 'no_show'],
  // A coordinator may correct attendance after marking it.
  attended: ['no_show'],
  no_show: ['attended'],
  cancelled: [],
};

export const canOfferMove = (from: OfferStatus, to: OfferStatus) => OFFER_TRANSITIONS[from].includes(to);
export const canBookingMove = (from: BookingStatus, to: BookingStatus) => BOOKING_TRANSITIONS[from].includes(to);

/**
 * How many new offers a wave sends: enough that `fanout` offers are out per open slot, counting
 * the ones still pending. Offers hold no slot, so fan-out > 1 fills faster at the cost of some
 * "it filled — thank you" emails.
 */
export function waveSize(input: { capacity: number; filled: number; pending: number; fanout: number }): number {
  const open = Math.max(0, input.capacity - input.filled);
  if (open === 0) return 0;
  return Math.max(0, Math.ceil(open * input.fanout) - input.pending);
}
