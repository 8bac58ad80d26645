/**
 * Every job the worker runs. Payloads carry ids only: the database holds the state, so a retried
 * or duplicated job re-reads the truth.
 */
export enum JobName {
  VerificationEmail = 'email.verification',
  SignInEmail = 'email.sign-in',
  CoordinatorInviteEmail = 'email.coordinator-invite',
  EmailChangeConfirmEmail = 'email.email-change-confirm',
  EmailChangeNoticeEmail = 'email.email-change-notice',
  EmailChangedEmail = 'email.email-changed',
  GenerateSeriesShifts = 'series.generate',
  PurgeUnverifiedAccounts = 'maintenance.purge-unverified',
  ExtendAllSeries = 'maintenance.extend-series',
  OfferWave = 'offers.wave',
  OfferExpire = 'offers.expire',
  SweepOffers = 'maintenance.sweep-offers',
  SweepMail = 'maintenance.sweep-mail',
  OfferEmail = 'email.offer',
  OfferWithdrawnEmail = 'email.offer-withdrawn',
  BookingConfirmedEmail = 'email.booking-confirmed',
  BookingReminderEmail = 'email.booking-reminder',
  BookingCancelledEmail = 'email.booking-cancelled',
  ShiftChanged = 'shift.changed',
  NoCandidatesEmail = 'email.no-candidates',
  RosterMessageEmail = 'email.roster-message',
  HeldSeatEmail = 'email.held-seat',
  CoverWave = 'offers.cover-wave',
  CoverOfferEmail = 'email.cover-offer',
  CoverResolvedEmail = 'email.cover-resolved',
  ScheduleCheckIns = 'maintenance.schedule-check-ins',
  CheckInEmail = 'email.check-in',
  SuggestShifts = 'maintenance.suggest-shifts',
  SweepNoShows = 'maintenance.sweep-no-shows',
}

export interface JobPayloads {
  [JobName.VerificationEmail]: { accountId: string; requestId: string };
  [JobName.SignInEmail]: { accountId: string; requestId: string };
  [JobName.CoordinatorInviteEmail]: { accountId: string; requestId: string };
  /** To the new address: the confirmation link of email change `changeId`. */
  [JobName.EmailChangeConfirmEmail]: { accountId: string; changeId: string };
  /** To the old address: the change was asked for, with a link that cancels it. */
  [JobName.EmailChangeNoticeEmail]: { accountId: string; changeId: string };
  /** To the old address: the change is done. */
  [JobName.EmailChangedEmail]: { accountId: string; changeId: string };
  [JobName.GenerateSeriesShifts]: { seriesId: string };
  [JobName.PurgeUnverifiedAccounts]: Record<string, never>;
  [JobName.ExtendAllSeries]: Record<string, never>;
  [JobName.OfferWave]: { shiftId: string };
  [JobName.OfferExpire]: { offerId: string };
  [JobName.SweepOffers]: Record<string, never>;
  [JobName.SweepMail]: Record<string, never>;
  [JobName.OfferEmail]: { offerId: string };
  [JobName.OfferWithdrawnEmail]: { offerId: string };
  [JobName.BookingConfirmedEmail]: { bookingId: string };
  [JobName.BookingReminderEmail]: { bookingId: string; minutesBefore: number };
  /** The volunteer cancelled their own booking: a confirmation with an iCalendar CANCEL. */
  [JobName.BookingCancelledEmail]: { bookingId: string };
  /** Fans out one email (with an iCalendar update or cancellation) per booked volunteer. */
  [JobName.ShiftChanged]: { shiftId: string; changeId: string };
  [JobName.NoCandidatesEmail]: { shiftId: string; wave: number };
  /** Fans out a coordinator's roster message: one email per recipient stored with it. */
  [JobName.RosterMessageEmail]: { messageId: string };
  /** To the head of a waitlist: a seat is held for them until the offer's deadline. */
  [JobName.HeldSeatEmail]: { offerId: string };
  /** Sends the next cover offers of an open cover request (waitlist first, then the best matches). */
  [JobName.CoverWave]: { coverRequestId: string };
  /** "Could you cover a shift?": a cover offer, answered through the ordinary offer links. */
  [JobName.CoverOfferEmail]: { offerId: string };
  /** A cover request was covered or released: the asker and the coordinator are told. */
  [JobName.CoverResolvedEmail]: { coverRequestId: string };
  [JobName.ScheduleCheckIns]: Record<string, never>;
  [JobName.CheckInEmail]: { checkInId: string };
  [JobName.SuggestShifts]: Record<string, never>;
  [JobName.SweepNoShows]: Record<string, never>;
}

export enum QueueName {
  Email = 'email',
  Work = 'work',
}

/** Which queue each job runs on: mail is isolated so a slow SMTP server never delays other work. */
export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.VerificationEmail]: QueueName.Email,
  [JobName.SignInEmail]: QueueName.Email,
  [JobName.CoordinatorInviteEmail]: QueueName.Email,
  [JobName.EmailChangeConfirmEmail]: QueueName.Email,
  [JobName.EmailChangeNoticeEmail]: QueueName.Email,
  [JobName.EmailChangedEmail]: QueueName.Email,
  [JobName.GenerateSeriesShifts]: QueueName.Work,
  [JobName.PurgeUnverifiedAccounts]: QueueName.Work,
  [JobName.ExtendAllSeries]: QueueName.Work,
  [JobName.OfferWave]: QueueName.Work,
  [JobName.OfferExpire]: QueueName.Work,
  [JobName.SweepOffers]: QueueName.Work,
  [JobName.SweepMail]: QueueName.Work,
  [JobName.OfferEmail]: QueueName.Email,
  [JobName.OfferWithdrawnEmail]: QueueName.Email,
  [JobName.BookingConfirmedEmail]: QueueName.Email,
  [JobName.BookingReminderEmail]: QueueName.Email,
  [JobName.BookingCancelledEmail]: QueueName.Email,
  [JobName.ShiftChanged]: QueueName.Email,
  [JobName.NoCandidatesEmail]: QueueName.Email,
  [JobName.RosterMessageEmail]: QueueName.Email,
  [JobName.HeldSeatEmail]: QueueName.Email,
  [JobName.CoverWave]: QueueName.Work,
  [JobName.CoverOfferEmail]: QueueName.Email,
  [JobName.CoverResolvedEmail]: QueueName.Email,
  [JobName.ScheduleCheckIns]: QueueName.Work,
  [JobName.CheckInEmail]: QueueName.Email,
  [JobName.SuggestShifts]: QueueName.Work,
  [JobName.SweepNoShows]: QueueName.Work,
};

/**
 * Retries with exponential backoff; finished jobs are kept a bounded time so jobIds keep deduplicating.
 * Email jobs take attempts and backoff from the configuration (EMAIL_JOB_ATTEMPTS, see emailRetries).
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10000 },
} as const;

/** An email job's retry budget; after it, the mail sweeper queues undelivered mail again. */
export function emailRetries(config: { EMAIL_JOB_ATTEMPTS: number; EMAIL_RETRY_DELAY_MS: number }) {
  return {
    attempts: config.EMAIL_JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.EMAIL_RETRY_DELAY_MS },
  } as const;
}
