import { Module } from '@nestjs/common';
import { ExtendAllSeriesJob } from './jobs/extend-all-series.job.js';
import { GenerateSeriesShiftsJob } from './jobs/generate-series-shifts.job.js';
import { OrganisationsModule } from './organisations.module.js';

/** The organisations area's job handlers (worker process only). */
@Module({ imports: [OrganisationsModule], providers: [GenerateSeriesShiftsJob, ExtendAllSeriesJob] })
export class OrganisationsWorkerModule {}
