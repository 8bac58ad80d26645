import { Module } from '@nestjs/common';
import { ArrivalsModule } from './arrivals.module.js';
import { SweepNoShowsJob } from './jobs/sweep-no-shows.job.js';

/** Arrivals' worker side: the no-show sweeper. */
@Module({ imports: [ArrivalsModule], providers: [SweepNoShowsJob] })
export class ArrivalsWorkerModule {}
