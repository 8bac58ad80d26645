import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Tells a volunteer whose offer was withdrawn that the shift filled. */
@Injectable()
export class OfferWithdrawnEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.OfferWithdrawnEmail)
  handle({ offerId }: JobPayloads[JobName.OfferWithdrawnEmail]) {
    return this.mail.offerWithdrawn(offerId);
  }
}
