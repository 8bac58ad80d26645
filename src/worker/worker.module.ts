import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule, type AppConfig } from '../../libs/platform/config/index.js';
import { ENTITIES } from '../entities.js';
import { DatabaseModule } from '../../libs/platform/database/index.js';
import { IdentityModule } from '../../libs/identity/index.js';
import { IdentityWorkerModule } from '../../libs/identity/identity-worker.module.js';
import { QueueModule } from '../../libs/platform/queue/index.js';
import { JobsWorkerModule } from '../../libs/platform/queue/jobs-worker.module.js';
import { NotificationsModule } from '../../libs/platform/mail/index.js';
import { loggerParams } from '../../libs/platform/observability/index.js';
import { OffersWorkerModule } from '../../libs/offers/offers-worker.module.js';
import { WellbeingWorkerModule } from '../../libs/wellbeing/wellbeing-worker.module.js';
import { ArrivalsWorkerModule } from '../../libs/arrivals/arrivals-worker.module.js';
import { OrganisationsWorkerModule } from '../../libs/organisations/organisations-worker.module.js';

/** The worker process: relays the outbox and consumes jobs. No HTTP listener, no migrations. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerParams(config.LOG_LEVEL),
    }),
    DatabaseModule.forRoot(ENTITIES),
    QueueModule.forRole('worker'),
    NotificationsModule,
    IdentityModule,
    JobsWorkerModule,
    IdentityWorkerModule,
    OrganisationsWorkerModule,
    OffersWorkerModule,
    WellbeingWorkerModule,
    ArrivalsWorkerModule,
  ],
})
export class WorkerModule {}
