import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { CoverMailService } from '../cover-mail.service.js';

/** Tells the asker and the coordinator that a cover request was covered or released. */
@Injectable()
export class CoverResolvedEmailJob {
  constructor(private readonly mail: CoverMailService) {}

  @JobHandler(JobName.CoverResolvedEmail)
  handle({ coverRequestId }: JobPayloads[JobName.CoverResolvedEmail]) {
    return this.mail.coverResolved(coverRequestId);
  }
}
