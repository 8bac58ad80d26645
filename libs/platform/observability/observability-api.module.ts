import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { DatabaseHealthIndicator, RedisHealthIndicator } from './health-indicators.js';
import { MetricsController, ScrapeTimeMetrics } from './metrics.controller.js';

/** Api-only: health checks and the Prometheus endpoint (the Bull Board is QueueDashboardModule). */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController, MetricsController],
  providers: [RedisHealthIndicator, DatabaseHealthIndicator, ScrapeTimeMetrics],
})
export class ObservabilityApiModule {}
