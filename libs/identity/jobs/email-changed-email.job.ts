import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { IdentityMailService } from '../identity-mail.service.js';

/** To the old address, after the confirmation: the last mail it gets from us. */
@Injectable()
export class EmailChangedEmailJob {
  constructor(private readonly mail: IdentityMailService) {}

  @JobHandler(JobName.EmailChangedEmail)
  handle({ accountId, changeId }: JobPayloads[JobName.EmailChangedEmail]) {
    return this.mail.emailChanged(accountId, changeId);
  }
}
