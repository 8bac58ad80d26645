import { Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { Redis } from 'ioredis';
import { RateLimitedError, ServiceUnavailableError } from '../platform/index.js';

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
    // RateLimitGuard writes the headers itself: one set, from the limiter that matters.
    setHeaders: false,
  };
}

interface LimitState {
  limit: number;
  remaining: number;
  reset: number;
}

/** Redis clients reconnect with backoff within seconds; a sign-in can be tried again after this. */
const REDIS_DOWN_RETRY_SECONDS = 30;

/**
 * The throttler's guard, with headers a client can use. The stock guard writes every limiter's
 * headers (suffixed "-auth" for the second) and, on refusal, `Retry-After-auth` next to the other
 * limiter's `X-RateLimit-Remaining`, with the class name in the message. Here a 429 carries the
 * standard `Retry-After` (seconds) and only the refusing limiter's X-RateLimit-Limit/Remaining/Reset;
 * an allowed request reports the limiter closest to refusing it. X-RateLimit-* rather than the IETF
 * draft's RateLimit-*: it is what clients and the stock guard already use, and the draft is still
 * changing its field shapes.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly reported = new WeakMap<object, number>();

  protected override async handleRequest({
    context,
    limit,
    ttl,
    throttler,
    blockDuration,
    getTracker,
    generateKey,
  }: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context);
    const name = throttler.name ?? 'default';
    const key = generateKey(context, await getTracker(req, context), name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name).catch((error: unknown) => {
      // The storage refuses the "auth" limit while Redis is down: a 503 that says when to come back.
      if (error instanceof ServiceUnavailableError)
        this.setResponseHeader(res, 'Retry-After', REDIS_DOWN_RETRY_SECONDS);
      throw error;
    });
    if (record.isBlocked) {
      this.report(res, { limit, remaining: 0, reset: record.timeToBlockExpire });
      this.setResponseHeader(res, 'Retry-After', record.timeToBlockExpire);
      throw new RateLimitedError(record.timeToBlockExpire);
    }
    const state = { limit, remaining: Math.max(0, limit - record.totalHits), reset: record.timeToExpire };
    const closest = this.reported.get(req);
    if (closest === undefined || state.remaining < closest) {
      this.reported.set(req, state.remaining);
      this.report(res, state);
    }
    return true;
  }

  private report(res: Record<string, unknown>, { limit, remaining, reset }: LimitState): void {
    this.setResponseHeader(res, 'X-RateLimit-Limit', limit);
    this.setResponseHeader(res, 'X-RateLimit-Remaining', remaining);
    this.setResponseHeader(res, 'X-RateLimit-Reset', reset);
  }
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

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:throttle:${name}:${key}`;
    let result: [number, number, number];
    try {
      result = (await this.redis.eval(INCREMENT, 2, base, `${base}:blocked`, ttl, limit, blockDuration || ttl)) as [
        number,
        number,
        number,
      ];
    } catch {
      // Without Redis, registration and sign-in (the abuse-prone routes) are refused, but the general
      // limit lets requests through: publishing a shift or answering an offer must not need Redis.
      if (name === 'auth')
        throw new ServiceUnavailableError('Rate limiting is unavailable right now; please try again shortly.');
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
