import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { IdentityMailService } from '../identity-mail.service.js';

/** The link that confirms a volunteer’s address after signing up. */
@Injectable()
export class VerificationEmailJob {
  constructor(private readonly mail: IdentityMailService) {}

  @JobHandler(JobName.VerificationEmail)
  handle({ accountId, requestId }: JobPayloads[JobName.VerificationEmail]) {
    return this.mail.verification(accountId, requestId);
  }
}
