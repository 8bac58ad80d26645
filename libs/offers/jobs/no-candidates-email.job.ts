import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Tells the shift's coordinator that nobody is left to offer it to. */
@Injectable()
export class NoCandidatesEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.NoCandidatesEmail)
  handle({ shiftId, wave }: JobPayloads[JobName.NoCandidatesEmail]) {
    return this.mail.noCandidates(shiftId, wave);
  }
}
