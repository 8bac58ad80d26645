import type { RedisOptions } from 'ioredis';

/**
 * ioredis options from REDIS_URL, following BullMQ's production guidance: workers wait for Redis
 * forever (maxRetriesPerRequest: null); request-serving code fails fast instead of queueing commands.
 */
export function redisOptions(url: string, role: 'worker' | 'api'): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  };
  return role === 'worker'
    ? { ...options, maxRetriesPerRequest: null, enableReadyCheck: false }
    : { ...options, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
}
