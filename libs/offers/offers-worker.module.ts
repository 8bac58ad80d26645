import { Module } from '@nestjs/common';
import { CoverOfferEmailJob } from './jobs/cover-offer-email.job.js';
import { CoverResolvedEmailJob } from './jobs/cover-resolved-email.job.js';
import { CoverWaveJob } from './jobs/cover-wave.job.js';
import { CoverMailService } from './cover-mail.service.js';
import { BookingCancelledEmailJob } from './jobs/booking-cancelled-email.job.js';
import { BookingConfirmedEmailJob } from './jobs/booking-confirmed-email.job.js';
import { BookingReminderEmailJob } from './jobs/booking-reminder-email.job.js';
import { HeldSeatEmailJob } from './jobs/held-seat-email.job.js';
import { NoCandidatesEmailJob } from './jobs/no-candidates-email.job.js';
import { OfferEmailJob } from './jobs/offer-email.job.js';
import { OfferExpireJob } from './jobs/offer-expire.job.js';
import { OfferWaveJob } from './jobs/offer-wave.job.js';
import { OfferWithdrawnEmailJob } from './jobs/offer-withdrawn-email.job.js';
import { RosterMessageEmailJob } from './jobs/roster-message-email.job.js';
import { ShiftChangedJob } from './jobs/shift-changed.job.js';
import { SweepOffersJob } from './jobs/sweep-offers.job.js';
import { OfferMailComposer } from './offer-mail.composer.js';
import { OfferMailService } from './offer-mail.service.js';
import { OffersModule } from './offers.module.js';

/** The offer pipeline's worker side: one handler per job, and the emails they send. */
@Module({
  imports: [OffersModule],
  providers: [
    OfferMailComposer,
    OfferMailService,
    OfferWaveJob,
    OfferExpireJob,
    SweepOffersJob,
    OfferEmailJob,
    OfferWithdrawnEmailJob,
    BookingConfirmedEmailJob,
    BookingReminderEmailJob,
    BookingCancelledEmailJob,
    ShiftChangedJob,
    NoCandidatesEmailJob,
    RosterMessageEmailJob,
    HeldSeatEmailJob,
    CoverMailService,
    CoverWaveJob,
    CoverOfferEmailJob,
    CoverResolvedEmailJob,
  ],
})
export class OffersWorkerModule {}
