import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { WellbeingMailService } from '../wellbeing-mail.service.js';

/** Emails one check-in, unless consent was revoked or the check-in cancelled since it was scheduled. */
@Injectable()
export class CheckInEmailJob {
  constructor(private readonly mail: WellbeingMailService) {}

  @JobHandler(JobName.CheckInEmail)
  handle({ checkInId }: JobPayloads[JobName.CheckInEmail]) {
    return this.mail.checkIn(checkInId);
  }
}
