import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferMailService } from '../offer-mail.service.js';

/** Emails every booking a shift change affects. */
@Injectable()
export class ShiftChangedJob {
  constructor(private readonly mail: OfferMailService) {}

  @JobHandler(JobName.ShiftChanged)
  handle({ shiftId, changeId }: JobPayloads[JobName.ShiftChanged]) {
    return this.mail.shiftChanged(shiftId, changeId);
  }
}
