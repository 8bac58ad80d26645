import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { ArrivalsService } from '../arrivals.service.js';

/** Marks unmarked bookings of finished shifts that used arrivals as no-shows. */
@Injectable()
export class SweepNoShowsJob {
  constructor(private readonly arrivals: ArrivalsService) {}

  @JobHandler(JobName.SweepNoShows)
  async handle() {
    return { noShows: await this.arrivals.sweepNoShows() };
  }
}
