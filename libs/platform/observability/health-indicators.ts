import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EntityManager } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { redisOptions } from '../queue/redis-connection.js';
import { translateDriverError } from '../http/index.js';
import { withTimeout } from './with-timeout.js';

/** The api's own fail-fast Redis connection, shared by the readiness check and the rate limiter. */
export const API_REDIS = Symbol('API_REDIS');
export const apiRedisProvider = {
  provide: API_REDIS,
  inject: [APP_CONFIG],
  useFactory: async (config: AppConfig) => {
    const redis = new Redis({ ...redisOptions(config.REDIS_URL, 'api'), lazyConnect: true });
    // Connect before serving so the first requests don't fail; if Redis is down the api still starts,
    // reports not-ready, and answers 503 where Redis is needed until it comes back.
    await redis.connect().catch(() => undefined);
    return redis;
  },
};

@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(API_REDIS) private readonly redis: Redis,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.health.check(key);
    try {
      const answer = await withTimeout(this.redis.ping(), 1500);
      return answer === 'PONG' ? indicator.up() : indicator.down({ message: 'unexpected answer' });
    } catch (error) {
      return indicator.down({ message: failureOf(error) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

@Global()
@Module({ providers: [apiRedisProvider], exports: [API_REDIS] })
export class ApiRedisModule {}

/** PostgreSQL answers a query (MikroORM's own indicator reports a lazily connected pool as down). */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly em: EntityManager,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.em.fork().execute('select 1'), 1500);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: failureOf(error) });
    }
  }
}

/**
 * Why a check failed, in words safe for a public endpoint: the driver's own message can name the
 * database, its host or the SQL.
 */
export function failureOf(error: unknown): string {
  if ((error as { name?: unknown })?.name === 'TimeoutError') return 'did not answer in time';
  return translateDriverError(error)?.status === 503 ? 'refuses or dropped the connection' : 'failed its check';
}
