import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../http/index.js';

const AUTH_LIMITED = Symbol('AUTH_LIMITED');

/** Marks registration and sign-in routes: they get the strict hourly "auth" limit per client. */
export const AuthRateLimited = () => SetMetadata(AUTH_LIMITED, true);

/** Two throttlers: a generous default for every route, and the strict one for marked routes. */
export function throttlerOptions(authPerHour: number, storage: ThrottlerStorage): ThrottlerModuleOptions {
  const isAuthRoute = (ctx: ExecutionContext) => Reflect.getMetadata(AUTH_LIMITED, ctx.getHandler()) === true;
  return {
    throttlers: [
      { name: 'default', ttl: 60_000, limit: 600 },
      { name: 'auth', ttl: 3600_000, limit: authPerHour, skipIf: (ctx) => !isAuthRoute(ctx) },
    ],
    storage,
  };
}

const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]); blocked = tonumber(ARGV[3])
end
return {hits, ttl, blocked}`;

/**
 * Throttler counters in Redis so every api replica shares them. Written here because the community
 * Redis storage does not declare NestJS 12 support yet. If Redis is down, the strict "auth" limit
 * answers 503 and the general limit lets requests through.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:throttle:${name}:${key}`;
    let result: [number, number, number];
    try {
      result = (await this.redis.eval(INCREMENT, 2, base, `${base}:blocked`, ttl, limit, blockDuration || ttl)) as [number, number, number];
    } catch {
      // Without Redis, registration and sign-in (the abuse-prone routes) are refused, but the general
      // limit lets requests through: publishing a shift or answering an offer must not need Redis.
      if (name === 'auth') throw new ServiceUnavailableError('Rate limiting is unavailable right now; please try again shortly.');
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
    const [totalHits, timeToExpire, timeToBlockExpire] = result;
    return {
      totalHits,
      timeToExpire: Math.ceil(Math.max(timeToExpire, 0) / 1000),
      isBlocked: timeToBlockExpire > 0,
      timeToBlockExpire: Math.ceil(Math.max(timeToBlockExpire, 0) / 1000),
    };
  }
}
