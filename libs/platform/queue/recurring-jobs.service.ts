import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, JobName, QueueName } from './job-names.js';

/** Repeatable maintenance jobs; upserting a scheduler is idempotent across replicas and restarts. */
@Injectable()
export class RecurringJobsService implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Work) private readonly workQueue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { attempts, backoff, removeOnComplete, removeOnFail } = DEFAULT_JOB_OPTIONS;
    const opts = { attempts, backoff, removeOnComplete, removeOnFail };
    await this.workQueue.upsertJobScheduler(
      'purge-unverified',
      { every: 3600_000 },
      { name: JobName.PurgeUnverifiedAccounts, data: {}, opts },
    );
    await this.workQueue.upsertJobScheduler(
      'extend-series',
      { every: 6 * 3600_000 },
      { name: JobName.ExtendAllSeries, data: {}, opts },
    );
    // Offer deadlines live in PostgreSQL; this sweeper expires what a late or lost delayed job missed.
    await this.workQueue.upsertJobScheduler(
      'schedule-check-ins',
      { every: 5 * 60_000 },
      { name: JobName.ScheduleCheckIns, data: {}, opts },
    );
    await this.workQueue.upsertJobScheduler(
      'suggest-shifts',
      { every: 24 * 3600_000 },
      { name: JobName.SuggestShifts, data: {}, opts },
    );
    await this.workQueue.upsertJobScheduler(
      'sweep-offers',
      { every: this.config.OFFER_SWEEP_SECONDS * 1000 },
      { name: JobName.SweepOffers, data: {}, opts },
    );
    // Mail an email job gave up on (SMTP down longer than its retries) or a crash left claimed: queued again.
    await this.workQueue.upsertJobScheduler(
      'sweep-mail',
      { every: this.config.MAIL_SWEEP_SECONDS * 1000 },
      { name: JobName.SweepMail, data: {}, opts },
    );
    // Bookings with no arrival on shifts that used arrivals become no-shows after the grace.
    await this.workQueue.upsertJobScheduler(
      'sweep-no-shows',
      { every: this.config.ARRIVAL_SWEEP_SECONDS * 1000 },
      { name: JobName.SweepNoShows, data: {}, opts },
    );
  }
}
