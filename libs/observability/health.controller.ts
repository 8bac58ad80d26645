import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Allow } from '../identity/auth.decorators.js';
import { DatabaseHealthIndicator, RedisHealthIndicator } from './health-indicators.js';

@ApiTags('health')
@Controller('health')
@Allow('public')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready for traffic: PostgreSQL and Redis both answer. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer' })
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database.isHealthy('database'), () => this.redis.isHealthy('redis')]);
  }
}
