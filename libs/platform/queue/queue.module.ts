import { Global, Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { ConnectionOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { QueueName } from './job-names.js';
import { JobRequeueService } from './job-requeue.service.js';
import { OutboxService } from './outbox.service.js';
import { redisOptions } from './redis-connection.js';

/** BullMQ wiring shared by both processes; `role` picks the connection behaviour. */
@Global()
@Module({})
export class QueueModule {
  static forRole(role: 'api' | 'worker'): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: redisOptions(config.REDIS_URL, role) as ConnectionOptions,
            prefix: config.REDIS_PREFIX,
          }),
        }),
        BullModule.registerQueue({ name: QueueName.Email }, { name: QueueName.Work }),
      ],
      providers: [OutboxService, JobRequeueService],
      exports: [BullModule, OutboxService, JobRequeueService],
    };
  }
}
