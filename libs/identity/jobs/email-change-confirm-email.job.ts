import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { IdentityMailService } from '../identity-mail.service.js';

/** To the new address: the link that makes the change. */
@Injectable()
export class EmailChangeConfirmEmailJob {
  constructor(private readonly mail: IdentityMailService) {}

  @JobHandler(JobName.EmailChangeConfirmEmail)
  handle({ accountId, changeId }: JobPayloads[JobName.EmailChangeConfirmEmail]) {
    return this.mail.emailChangeConfirm(accountId, changeId);
  }
}
