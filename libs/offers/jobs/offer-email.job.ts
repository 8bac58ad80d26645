import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Emails one offer, with its answer and unsubscribe links. */
@Injectable()
export class OfferEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.OfferEmail)
  handle({ offerId }: JobPayloads[JobName.OfferEmail]) {
    return this.mail.offer(offerId);
  }
}
