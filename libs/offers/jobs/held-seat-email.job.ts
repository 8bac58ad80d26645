import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Tells the head of a waitlist that a seat is held for them. */
@Injectable()
export class HeldSeatEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.HeldSeatEmail)
  handle({ offerId }: JobPayloads[JobName.HeldSeatEmail]) {
    return this.mail.heldSeat(offerId);
  }
}
