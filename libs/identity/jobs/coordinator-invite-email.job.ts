import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { IdentityMailService } from '../identity-mail.service.js';

/** Welcomes a new coordinator, with a first sign-in link. */
@Injectable()
export class CoordinatorInviteEmailJob {
  constructor(private readonly mail: IdentityMailService) {}

  @JobHandler(JobName.CoordinatorInviteEmail)
  handle({ accountId, requestId }: JobPayloads[JobName.CoordinatorInviteEmail]) {
    return this.mail.coordinatorInvite(accountId, requestId);
  }
}
