import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { WellbeingService } from '../wellbeing.service.js';

/** Creates the check-ins that are due after attended shifts. */
@Injectable()
export class ScheduleCheckInsJob {
  constructor(private readonly wellbeing: WellbeingService) {}

  @JobHandler(JobName.ScheduleCheckIns)
  async handle() {
    return { scheduled: await this.wellbeing.scheduleDue() };
  }
}
