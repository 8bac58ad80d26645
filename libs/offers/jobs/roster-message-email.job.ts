import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Emails a coordinator's roster message to each of its recipients. */
@Injectable()
export class RosterMessageEmailJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.RosterMessageEmail)
  handle({ messageId }: JobPayloads[JobName.RosterMessageEmail]) {
    return this.mail.rosterMessage(messageId);
  }
}
