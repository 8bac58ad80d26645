import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { WellbeingMailService } from '../wellbeing-mail.service.js';

/** Emails fitting regular shifts to the quiet volunteers who asked for suggestions. */
@Injectable()
export class SuggestShiftsJob {
  constructor(private readonly mail: WellbeingMailService) {}

  @JobHandler(JobName.SuggestShifts)
  handle() {
    return this.mail.suggestShifts();
  }
}
