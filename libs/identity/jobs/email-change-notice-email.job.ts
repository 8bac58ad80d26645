import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { IdentityMailService } from '../identity-mail.service.js';

/** To the old address, at the time of the request: what is happening, and a link that stops it. */
@Injectable()
export class EmailChangeNoticeEmailJob {
  constructor(private readonly mail: IdentityMailService) {}

  @JobHandler(JobName.EmailChangeNoticeEmail)
  handle({ accountId, changeId }: JobPayloads[JobName.EmailChangeNoticeEmail]) {
    return this.mail.emailChangeNotice(accountId, changeId);
  }
}
