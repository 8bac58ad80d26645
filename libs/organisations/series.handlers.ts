import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../platform/index.js';
import { ShiftsService } from './shifts.service.js';

/** Keeps recurring series generated ahead of time. */
@Injectable()
export class SeriesHandlers {
  constructor(private readonly shifts: ShiftsService) {}

  @JobHandler(JobName.GenerateSeriesShifts)
  async generate({ seriesId }: JobPayloads[JobName.GenerateSeriesShifts]) {
    return { created: await this.shifts.extendSeries(seriesId) };
  }

  @JobHandler(JobName.ExtendAllSeries)
  async extendAll() {
    return { created: await this.shifts.extendAllSeries() };
  }
}
