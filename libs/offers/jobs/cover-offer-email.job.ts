import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { CoverMailService } from '../cover-mail.service.js';

/** Emails a cover offer ("Could you cover a shift?"). */
@Injectable()
export class CoverOfferEmailJob {
  constructor(private readonly mail: CoverMailService) {}

  @JobHandler(JobName.CoverOfferEmail)
  handle({ offerId }: JobPayloads[JobName.CoverOfferEmail]) {
    return this.mail.coverOffer(offerId);
  }
}
