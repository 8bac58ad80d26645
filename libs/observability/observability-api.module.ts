import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { RedisHealthIndicator } from './redis-health.js';

@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [RedisHealthIndicator] })
export class ObservabilityApiModule {}
