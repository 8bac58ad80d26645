import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { JobDispatcher } from './job-dispatcher.service.js';
import { QueueName } from './job-names.js';

/** Hands every job to the dispatcher; failures propagate so BullMQ retries with backoff. */
abstract class DispatchingProcessor extends WorkerHost implements OnApplicationBootstrap {
  protected abstract concurrency(config: AppConfig): number;

  constructor(
    private readonly dispatcher: JobDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.concurrency(this.config);
  }
  process(job: Job): Promise<unknown> {
    return this.dispatcher.dispatch(job);
  }
}

/** The email queue, separate so a slow SMTP server never delays other work. */
@Processor(QueueName.Email)
export class EmailQueueProcessor extends DispatchingProcessor {
  protected concurrency(config: AppConfig): number {
    return config.EMAIL_CONCURRENCY;
  }
}

/** Everything that is not mail. */
@Processor(QueueName.Work)
export class WorkQueueProcessor extends DispatchingProcessor {
  protected concurrency(config: AppConfig): number {
    return config.WORKER_CONCURRENCY;
  }
}
