import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { NoShowsService } from '../no-shows.service.js';

/** Marks unmarked bookings of finished shifts that used arrivals as no-shows. */
@Injectable()
export class SweepNoShowsJob {
  constructor(private readonly noShows: NoShowsService) {}

  @JobHandler(JobName.SweepNoShows)
  async handle() {
    return { noShows: await this.noShows.sweepNoShows() };
  }
}
