import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { Redis } from 'ioredis';
import { APP_CONFIG, ConfigModule, type AppConfig } from '../../libs/platform/config/index.js';
import { ENTITIES } from '../entities.js';
import { DatabaseModule } from '../../libs/platform/database/index.js';
import { ProblemDetailsFilter } from '../../libs/platform/http/index.js';
import { IdentityModule, RateLimitGuard, RedisThrottlerStorage, throttlerOptions } from '../../libs/identity/index.js';
import { IdentityApiModule } from '../../libs/identity/identity-api.module.js';
import { QueueModule } from '../../libs/platform/queue/index.js';
import { API_REDIS, ApiRedisModule, loggerParams } from '../../libs/platform/observability/index.js';
import { ObservabilityApiModule } from '../../libs/platform/observability/observability-api.module.js';
import { QueueDashboardModule } from '../../libs/platform/observability/queue-dashboard.module.js';
import { MatchingApiModule } from '../../libs/matching/matching-api.module.js';
import { OffersApiModule } from '../../libs/offers/offers-api.module.js';
import { OperationsApiModule } from '../../libs/operations/operations-api.module.js';
import { OffersPagesModule } from '../../libs/web/pages/offers/offers-pages.module.js';
import { OperationsPagesModule } from '../../libs/web/pages/operations/operations-pages.module.js';
import { ArrivalsApiModule } from '../../libs/arrivals/arrivals-api.module.js';
import { ArrivalPagesModule } from '../../libs/web/pages/arrivals/arrival-pages.module.js';
import { WellbeingApiModule } from '../../libs/wellbeing/wellbeing-api.module.js';
import { WellbeingPagesModule } from '../../libs/web/pages/wellbeing/wellbeing-pages.module.js';
import { HoursApiModule } from '../../libs/hours/hours-api.module.js';
import { HoursPagesModule } from '../../libs/web/pages/hours/hours-pages.module.js';
import { OrganisationsApiModule } from '../../libs/organisations/organisations-api.module.js';
import { VolunteersApiModule } from '../../libs/volunteers/volunteers-api.module.js';
import { WebModule } from '../../libs/web/web.module.js';

/** The api process: HTTP controllers and pages. It writes rows and outbox rows; it never sends mail. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerParams(config.LOG_LEVEL),
    }),
    DatabaseModule.forRoot(ENTITIES),
    QueueModule.forRole('api'),
    ApiRedisModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, API_REDIS],
      useFactory: (config: AppConfig, redis: Redis) =>
        throttlerOptions(config.RATE_LIMIT_AUTH_PER_HOUR, new RedisThrottlerStorage(redis, config.REDIS_PREFIX)),
    }),
    IdentityModule,
    IdentityApiModule,
    VolunteersApiModule,
    OrganisationsApiModule,
    MatchingApiModule,
    OffersApiModule,
    OperationsApiModule,
    WellbeingApiModule,
    ArrivalsApiModule,
    HoursApiModule,
    ObservabilityApiModule,
    QueueDashboardModule,
    WebModule,
    OffersPagesModule,
    OperationsPagesModule,
    ArrivalPagesModule,
    WellbeingPagesModule,
    HoursPagesModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class ApiModule {}
