import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { createApiApp } from '../../../src/api/api-app.js';
import { OpenApiContract } from '../../support/openapi-contract.js';
import { createTestDatabase } from '../../support/test-database.js';
import { FaultSink, isOffer } from './fault-sink.js';
import { PrivateRedis } from './redis-server.js';
import { waitFor } from './wait.js';
import { WorkerProcess } from './worker-process.js';

export const SESSION_SECRET = 'fault-session-secret-0123456789';
export const ADMIN_TOKEN = 'fault-admin-token-0123456789';

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

/**
 * One fault test's world: its own database, its own PRIVATE redis-server, an SMTP sink, the api
 * in-process (it only writes rows and outbox rows) and the compiled worker as a child process
 * pointed at the same database, Redis and sink (created here, started by the test).
 */
export class FaultEnv {
  worker!: WorkerProcess;
  api!: NestFastifyApplication;
  /** The api's OpenAPI document; `request` fails the test on any response it does not describe. */
  contract!: OpenApiContract;
  db!: pg.Client;
  private queues?: { email: Queue; work: Queue };

  private constructor(
    readonly name: string,
    readonly databaseUrl: string,
    readonly redis: PrivateRedis,
    readonly sink: FaultSink,
    readonly env: Record<string, string>,
  ) {}

  static async start(name: string, env: Record<string, string> = {}): Promise<FaultEnv> {
    const sink = new FaultSink();
    const smtpPort = await sink.start();
    const redis = await PrivateRedis.start();
    const databaseUrl = await createTestDatabase(`fault_${name}`);
    const fullEnv: Record<string, string> = {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `kindshift-fault-${name}-${process.pid}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Kindshift <hello@kindshift.test>',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      ADMIN_TOKEN,
      SESSION_SECRET,
      LOG_LEVEL: process.env.FAULT_WORKER_LOG_LEVEL ?? 'warn',
      OUTBOX_POLL_MS: '50',
      OFFER_FANOUT: '2',
      RATE_LIMIT_AUTH_PER_HOUR: '1000',
      WELLBEING_NOTE_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      ...env,
    };
    const fault = new FaultEnv(name, databaseUrl, redis, sink, fullEnv);
    fault.db = new pg.Client({ connectionString: databaseUrl });
    await fault.db.connect();
    // The api reads its configuration from process.env (libs/platform/config); the worker gets it explicitly.
    Object.assign(process.env, fullEnv, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    fault.api = await createApiApp();
    await fault.api.init();
    await fault.api.getHttpAdapter().getInstance().ready();
    fault.contract = await OpenApiContract.of(fault.api);
    fault.worker = new WorkerProcess(fullEnv);
    return fault;
  }

  /** An api request through Fastify's inject (the full HTTP stack, no socket). */
  async request(
    method: string,
    url: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    } else if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = JSON.stringify(options.body);
    }
    const response = await this.api
      .getHttpAdapter()
      .getInstance()
      .inject({ method: method as never, url, headers, payload });
    this.contract.assert(method, url, { status: response.statusCode, headers: response.headers, text: response.body });
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, headers: response.headers as Response['headers'], body, text: response.body };
  }

  /** BullMQ queues on the private Redis, for inspection only (created lazily). */
  queue(name: 'email' | 'work'): Queue {
    if (!this.queues) {
      const opts = {
        connection: { host: '127.0.0.1', port: this.redis.port, maxRetriesPerRequest: null },
        prefix: this.env.REDIS_PREFIX,
      };
      this.queues = { email: new Queue('email', opts), work: new Queue('work', opts) };
      for (const queue of Object.values(this.queues)) queue.on('error', () => undefined);
    }
    return this.queues[name];
  }

  /**
   * Nothing left to do: no due outbox row waits for the relay, no email job waits, runs or sleeps
   * before a retry, and no work job waits or runs. (The work queue always holds the delayed
   * occurrences of the repeatable maintenance jobs.)
   */
  async idle(): Promise<boolean> {
    const [{ due }] = (
      await this.db.query(
        `select count(*)::int as due from outbox where relayed_at is null and available_at <= now() + interval '1 second'`,
      )
    ).rows;
    if (due > 0) return false;
    const email = await this.queue('email').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const work = await this.queue('work').getJobCounts('waiting', 'active', 'prioritized');
    return Object.values(email).every((n) => n === 0) && Object.values(work).every((n) => n === 0);
  }

  async waitIdle(timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.idle(), {
      timeoutMs,
      what: () => `the pipeline to go idle\n${this.worker.log.slice(-3000)}`,
    });
  }

  /** Offer ids in the database, optionally for some shifts only. */
  async offerIds(shiftIds?: string[]): Promise<string[]> {
    const rows = shiftIds
      ? (await this.db.query(`select id from offers where shift_id = any($1::uuid[]) order by id`, [shiftIds])).rows
      : (await this.db.query(`select id from offers order by id`)).rows;
    return rows.map((row) => String(row.id));
  }

  /** Offer mails the sink delivered, per Message-ID. */
  offerDeliveries(): Map<string, number> {
    return this.sink.countsByMessageId(isOffer);
  }

  async close(): Promise<void> {
    await this.worker?.stop().catch(() => undefined);
    if (this.queues) {
      await this.queues.email.close().catch(() => undefined);
      await this.queues.work.close().catch(() => undefined);
    }
    await this.api?.close().catch(() => undefined);
    // The api's Redis clients finish disconnecting just after close(); stopping Redis before that
    // would leave them retrying.
    await waitFor(() => !openSocketsTo(this.redis.port), {
      timeoutMs: 3000,
      what: 'the api’s Redis connections to close',
    }).catch(() => undefined);
    await this.db?.end().catch(() => undefined);
    await this.sink.stop();
    await this.redis.stop();
  }
}

function openSocketsTo(port: number): boolean {
  const handles = (process as unknown as { _getActiveHandles(): Array<{ remotePort?: number }> })._getActiveHandles();
  return handles.some((handle) => handle.remotePort === port);
}
