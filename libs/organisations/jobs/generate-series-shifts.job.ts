import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { SeriesService } from '../series.service.js';

/** Generates a new series' shifts up to the horizon. */
@Injectable()
export class GenerateSeriesShiftsJob {
  constructor(private readonly series: SeriesService) {}

  @JobHandler(JobName.GenerateSeriesShifts)
  async handle({ seriesId }: JobPayloads[JobName.GenerateSeriesShifts]) {
    return { created: await this.series.extendSeries(seriesId) };
  }
}
