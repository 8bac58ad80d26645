import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { DatabaseHealthIndicator, RedisHealthIndicator } from './health-indicators.js';

@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [RedisHealthIndicator, DatabaseHealthIndicator] })
export class ObservabilityApiModule {}
