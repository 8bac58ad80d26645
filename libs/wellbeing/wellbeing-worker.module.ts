import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/index.js';
import { CheckInEmailJob } from './jobs/check-in-email.job.js';
import { ScheduleCheckInsJob } from './jobs/schedule-check-ins.job.js';
import { SuggestShiftsJob } from './jobs/suggest-shifts.job.js';
import { WellbeingMailService } from './wellbeing-mail.service.js';
import { WellbeingModule } from './wellbeing.module.js';

/** The wellbeing worker side: one handler per job, and the check-in and suggestion mail they send. */
@Module({
  imports: [WellbeingModule, MatchingModule],
  providers: [WellbeingMailService, ScheduleCheckInsJob, CheckInEmailJob, SuggestShiftsJob],
})
export class WellbeingWorkerModule {}
