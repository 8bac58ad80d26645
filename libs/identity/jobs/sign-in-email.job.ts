import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { IdentityMailService } from '../identity-mail.service.js';

/** A sign-in link, asked for on the sign-in page or API. */
@Injectable()
export class SignInEmailJob {
  constructor(private readonly mail: IdentityMailService) {}

  @JobHandler(JobName.SignInEmail)
  handle({ accountId, requestId }: JobPayloads[JobName.SignInEmail]) {
    return this.mail.signIn(accountId, requestId);
  }
}
