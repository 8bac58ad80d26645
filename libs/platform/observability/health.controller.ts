import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ServiceUnavailableError } from '../http/index.js';
import { Allow } from '../http/auth.decorators.js';
import { DatabaseHealthIndicator, RedisHealthIndicator } from './health-indicators.js';

const CHECKS_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
  },
};

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
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis both answer' })
  @ApiOkResponse({
    description: 'Every dependency answers',
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: CHECKS_SCHEMA,
        error: CHECKS_SCHEMA,
        details: CHECKS_SCHEMA,
      },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'A dependency does not answer: problem+json naming it in `dependencies`, with Retry-After',
    content: {
      'application/problem+json': {
        schema: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            dependencies: { type: 'array', items: { type: 'string', enum: ['database', 'redis'] } },
          },
        },
      },
    },
  })
  async ready() {
    try {
      return await this.health.check([() => this.database.isHealthy('database'), () => this.redis.isHealthy('redis')]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus says only "Service Unavailable Exception"; name what failed (and why, briefly).
      const result = error.getResponse() as HealthCheckResult;
      const failed = Object.entries(result.error ?? {});
      const reasons = failed.map(
        ([name, check]) => `${name} ${typeof check?.message === 'string' ? check.message : 'is down'}`,
      );
      throw new ServiceUnavailableError(
        `Not ready: ${reasons.join('; ')}.`,
        failed.map(([name]) => name),
      );
    }
  }
}
