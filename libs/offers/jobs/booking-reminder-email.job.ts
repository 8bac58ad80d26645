import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Reminds a booked volunteer of their shift. */
@Injectable()
export class BookingReminderEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.BookingReminderEmail)
  handle({ bookingId, minutesBefore }: JobPayloads[JobName.BookingReminderEmail]) {
    return this.mail.bookingReminder(bookingId, minutesBefore);
  }
}
