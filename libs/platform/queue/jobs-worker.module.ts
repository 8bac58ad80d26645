import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobDispatcher } from './job-dispatcher.service.js';
import { EmailQueueProcessor, WorkQueueProcessor } from './job-processors.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { RecurringJobsService } from './recurring-jobs.service.js';

/** Worker-only: queue consumers, the outbox relay and the repeatable maintenance jobs. */
@Module({
  imports: [DiscoveryModule],
  providers: [JobDispatcher, EmailQueueProcessor, WorkQueueProcessor, OutboxRelayService, RecurringJobsService],
})
export class JobsWorkerModule {}
