import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Confirms a booking the volunteer cancelled, with a calendar CANCEL. */
@Injectable()
export class BookingCancelledEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.BookingCancelledEmail)
  handle({ bookingId }: JobPayloads[JobName.BookingCancelledEmail]) {
    return this.mail.bookingCancelled(bookingId);
  }
}
