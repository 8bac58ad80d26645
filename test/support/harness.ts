import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { createApiApp } from '../../src/api/api-app.js';
import { createWorkerApp } from '../../src/worker/worker-app.js';
import { OpenApiContract } from './openapi-contract.js';
import { SmtpSink } from './smtp-sink.js';
import { createTestDatabase } from './test-database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export interface Harness {
  api: NestFastifyApplication;
  worker?: INestApplicationContext;
  smtp: SmtpSink;
  databaseUrl: string;
  request: (method: string, url: string, options?: RequestOptions) => Promise<TestResponse>;
  /** The api's OpenAPI document; `request` fails the test on any response it does not describe. */
  contract: OpenApiContract;
  close: () => Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  /** The peer address the api sees (light-my-request's default is 127.0.0.1). */
  remoteAddress?: string;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

/**
 * Boots the real api (and, unless told otherwise, the real worker) against a fresh database, the
 * machine's Redis under a prefix of its own, and an SMTP sink started here.
 */
export async function startHarness(
  name: string,
  options: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<Harness> {
  const smtp = new SmtpSink();
  const smtpPort = await smtp.start();
  const databaseUrl = await createTestDatabase(name);
  const prefix = `kindshift-test-${name}-${process.pid}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    MAIL_FROM: 'Kindshift <hello@kindshift.test>',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    ADMIN_TOKEN,
    SESSION_SECRET: 'test-session-secret-0123456789',
    WELLBEING_NOTE_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_MS: '50',
    RATE_LIMIT_AUTH_PER_HOUR: '1000',
    ...options.env,
  });
  const api = await createApiApp();
  await api.init();
  await api.getHttpAdapter().getInstance().ready();
  const contract = await OpenApiContract.of(api);
  const worker = options.worker === false ? undefined : await createWorkerApp();

  const request = async (method: string, url: string, opts: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(opts.form).toString();
    } else if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const response = await api
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as never,
        url,
        headers,
        payload,
        ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
      });
    harness.contract.assert(method, url, {
      status: response.statusCode,
      headers: response.headers,
      text: response.body,
    });
    let body: unknown = undefined;
    try {
      body = JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return {
      status: response.statusCode,
      headers: response.headers as TestResponse['headers'],
      body,
      text: response.body,
    };
  };

  const close = async () => {
    await worker?.close();
    await api.close();
    await smtp.stop();
    await deleteRedisPrefix(prefix);
  };
  const harness: Harness = { api, worker, smtp, databaseUrl, request, contract, close };
  return harness;
}

/** Removes only the keys this test run created. */
async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
