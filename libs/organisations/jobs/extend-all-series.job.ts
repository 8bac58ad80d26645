import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { SeriesService } from '../series.service.js';

/** Recurring maintenance: keeps every active series generated ahead of time. */
@Injectable()
export class ExtendAllSeriesJob {
  constructor(private readonly series: SeriesService) {}

  @JobHandler(JobName.ExtendAllSeries)
  async handle() {
    return { created: await this.series.extendAllSeries() };
  }
}
