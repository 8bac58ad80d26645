/** Row shapes the offers repository returns where callers rely on their fields. */

export interface LockedShift {
  id: string;
  status: string;
  capacity: number;
  filled: number;
  starts_at: Date;
}

export interface CandidateFacts {
  account_id: string;
  time_zone: string;
  quiet_hours_start: string;
  quiet_hours_end: string;
  last_decline: Date | null;
  recent_offer_times: Date[];
}

/** One offer of a wave, as the multi-row insert reads it from jsonb. */
export interface NewOfferRow {
  volunteer_id: string;
  score: number;
  explanation: string;
  expires_at: string;
}

export interface AcceptedRow {
  shift_id: string;
  volunteer_id: string;
  /** The offer held a seat for the head of the waitlist: it is already counted in `filled`. */
  held_seat: boolean;
  /** The role of the shift the offer is for. */
  role_id: string;
}

/** A place just taken on a shift (the row of the seat-taking UPDATE). */
export interface Seat {
  filled: number;
  capacity: number;
  starts_at: Date;
  ends_at: Date;
  period: string;
  /** The role whose seat it is, and that role's seats after the move. */
  role_id: string;
  role_filled: number;
  role_capacity: number;
}

/** A volunteer's own booking, as its calendar file shows it. */
export interface CalendarRow {
  status: string;
  title: string;
  description: string | null;
  starts_at: Date;
  ends_at: Date;
  sequence: number;
  lat: number;
  lon: number;
  organisation_name: string;
  place_label: string;
  street: string | null;
  email: string;
  volunteer_name: string;
}

/** Everything an offer or booking email says, read in one query. */
export interface MailContext {
  volunteer_id: string;
  email: string;
  volunteer_name: string;
  time_zone: string;
  shift_id: string;
  title: string;
  description: string;
  starts_at: Date;
  ends_at: Date;
  sequence: number;
  organisation_name: string;
  place_label: string;
  street: string | null;
  lat: number;
  lon: number;
}

/** A shift change as shift_changes stores it: what changed (from → to), or the cancellation's booking ids and reason. */
export interface ShiftChangeRow {
  kind: string;
  changes: Record<string, any>;
}

/** What the no-candidates email says to the shift's first coordinator. */
export interface NoCandidatesRow {
  title: string;
  starts_at: Date;
  ends_at: Date;
  filled: number;
  capacity: number;
  time_zone: string;
  email: string;
  name: string | null;
}

/** What offer_email_prepare returns for a claimed offer email (dates as ISO strings: it is jsonb). */
export interface OfferEmailContext {
  email: string;
  volunteer_name: string;
  time_zone: string;
  title: string;
  starts_at: string;
  ends_at: string;
  organisation_name: string;
  place_label: string;
  street: string | null;
  expires_at: string;
  explanation: string;
  /** The offer's role on a multi-role shift; null on a one-role shift (migration OfferEmailRole20261206). */
  role_name: string | null;
  maybe_first: boolean;
}

export interface PrepareInput {
  offerId: string;
  claimant: string;
  answerHash: string;
  unsubscribeHash: string;
}

/** offer_email_prepare's answer: the context when `due`, else why not (the delivery's status). */
export type PreparedOffer = ({ due: true; delivery_id: string } & OfferEmailContext) | { due: false; status?: string };
