import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Confirms a new booking, with the shift's calendar invite. */
@Injectable()
export class BookingConfirmedEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.BookingConfirmedEmail)
  handle({ bookingId }: JobPayloads[JobName.BookingConfirmedEmail]) {
    return this.mail.bookingConfirmed(bookingId);
  }
}
