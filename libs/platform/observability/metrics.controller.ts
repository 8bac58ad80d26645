import { Controller, Get, Header, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { Gauge, Registry } from 'prom-client';
import { Allow } from '../http/auth.decorators.js';
import { QueueName } from '../queue/job-names.js';
import { METRICS_CONTENT_TYPE, metricsRegistry } from './metrics.js';
import { withTimeout } from './with-timeout.js';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** Every value of the offer_status enum, so each series exists (at 0) before the first offer. */
const OFFER_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
/** A scrape must answer quickly even when a backend hangs; what times out is left out. */
const SOURCE_TIMEOUT_MS = 1500;

/**
 * Gauges the api computes at scrape time from Redis and PostgreSQL, so they are true whichever
 * replica is scraped and however many worker replicas run. They live on a registry of their own
 * (per application instance) and are appended to the process registry from metrics.ts.
 *
 * - `kindshift_queue_jobs{queue, state}` — BullMQ job counts per queue (email, work) and state
 *   (waiting incl. prioritised, active, delayed, failed). Left out if Redis does not answer.
 * - `kindshift_offers{status}` — offers by current status (pending, accepted, declined, expired,
 *   withdrawn), counted in PostgreSQL.
 * - `kindshift_outbox_pending` — outbox rows not yet relayed to BullMQ (including ones deliberately
 *   scheduled for later, e.g. offers held back by quiet hours).
 * - `kindshift_outbox_oldest_due_age_seconds` — age of the oldest unrelayed row that is already
 *   due; a growing value means the relay (the worker) is down or Redis is unreachable.
 * - `kindshift_metrics_source_up{source}` — 1 when redis / database answered this scrape, else 0,
 *   so "no data" can be told from "zero" in alerts.
 */
@Injectable()
export class ScrapeTimeMetrics {
  private readonly logger = new Logger('metrics');
  private readonly registry = new Registry();
  private readonly queues: Array<[QueueName, Queue]>;
  /** The reads of the scrape in progress; every gauge's collect() awaits the one it needs. */
  private reads?: { queues: Promise<QueueFigures>; database: Promise<DatabaseFigures | null> };

  constructor(
    @InjectQueue(QueueName.Email) emailQueue: Queue,
    @InjectQueue(QueueName.Work) workQueue: Queue,
    private readonly em: EntityManager,
  ) {
    this.queues = [
      [QueueName.Email, emailQueue],
      [QueueName.Work, workQueue],
    ];
    const registers = [this.registry];
    const current = () => this.reads ?? this.startReads();

    const queueJobs: Gauge<'queue' | 'state'> = new Gauge({
      name: 'kindshift_queue_jobs',
      help: 'BullMQ jobs per queue and state (waiting, active, delayed, failed), read at scrape time.',
      labelNames: ['queue', 'state'],
      registers,
      collect: async () => {
        queueJobs.reset();
        for (const [queue, counts] of (await current().queues).counts) {
          for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, counts[state]);
        }
      },
    });
    const offers: Gauge<'status'> = new Gauge({
      name: 'kindshift_offers',
      help: 'Offers by current status, counted in PostgreSQL at scrape time.',
      labelNames: ['status'],
      registers,
      collect: async () => {
        offers.reset();
        const read = await current().database;
        if (read) for (const status of OFFER_STATUSES) offers.set({ status }, read.offers.get(status) ?? 0);
      },
    });
    const outboxPending: Gauge = new Gauge({
      name: 'kindshift_outbox_pending',
      help: 'Outbox rows not yet relayed to BullMQ.',
      registers,
      collect: async () => {
        outboxPending.reset();
        const read = await current().database;
        if (read) outboxPending.set(read.outboxPending);
      },
    });
    const outboxAge: Gauge = new Gauge({
      name: 'kindshift_outbox_oldest_due_age_seconds',
      help: 'Age of the oldest due outbox row not yet relayed (0 when none).',
      registers,
      collect: async () => {
        outboxAge.reset();
        const read = await current().database;
        if (read) outboxAge.set(read.outboxOldestDueAge);
      },
    });
    const sourceUp: Gauge<'source'> = new Gauge({
      name: 'kindshift_metrics_source_up',
      help: 'Whether a backend answered this scrape (1) or not (0).',
      labelNames: ['source'],
      registers,
      collect: async () => {
        const { queues, database } = current();
        sourceUp.set({ source: 'redis' }, (await queues).complete ? 1 : 0);
        sourceUp.set({ source: 'database' }, (await database) ? 1 : 0);
      },
    });
  }

  /** The process registry followed by the scrape-time gauges, in the Prometheus text format. */
  async render(): Promise<string> {
    this.startReads();
    const [process, scraped] = await Promise.all([metricsRegistry.metrics(), this.registry.metrics()]);
    return `${process.trimEnd()}\n\n${scraped}`;
  }

  private startReads() {
    this.reads = { queues: this.readQueues(), database: this.readDatabase() };
    return this.reads;
  }

  private async readQueues(): Promise<QueueFigures> {
    const results = await Promise.allSettled(
      this.queues.map(([, queue]) =>
        withTimeout(queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'), SOURCE_TIMEOUT_MS),
      ),
    );
    const counts = new Map<QueueName, Record<QueueState, number>>();
    results.forEach((result, index) => {
      if (result.status !== 'fulfilled') return;
      const c = result.value;
      counts.set(this.queues[index][0], {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
      });
    });
    const complete = counts.size === this.queues.length;
    if (!complete) this.logger.warn('queue counts unavailable for this scrape (Redis not answering)');
    return { counts, complete };
  }

  private async readDatabase(): Promise<DatabaseFigures | null> {
    try {
      const connection = this.em.getConnection();
      const [offerRows, outboxRows] = await withTimeout(
        Promise.all([
          connection.execute<Array<{ status: string; count: number }>>(
            `select status::text as status, count(*)::int as count from offers group by status`,
          ),
          connection.execute<Array<{ pending: number; oldest_due_age: number }>>(
            `select count(*)::int as pending,
                    coalesce(extract(epoch from now() - min(available_at) filter (where available_at <= now())), 0)::float8 as oldest_due_age
             from outbox where relayed_at is null`,
          ),
        ]),
        SOURCE_TIMEOUT_MS,
      );
      return {
        offers: new Map(offerRows.map((row) => [row.status, Number(row.count)])),
        outboxPending: Number(outboxRows[0]?.pending ?? 0),
        outboxOldestDueAge: Math.max(0, Number(outboxRows[0]?.oldest_due_age ?? 0)),
      };
    } catch (error) {
      this.logger.warn({ err: error }, 'database figures unavailable for this scrape');
      return null;
    }
  }
}

type QueueState = (typeof QUEUE_STATES)[number];

interface QueueFigures {
  counts: Map<QueueName, Record<QueueState, number>>;
  /** Both queues answered. */
  complete: boolean;
}

interface DatabaseFigures {
  offers: Map<string, number>;
  outboxPending: number;
  outboxOldestDueAge: number;
}

/**
 * Prometheus scrapes this with the operator token (`authorization: Bearer <ADMIN_TOKEN>`, e.g.
 * `authorization.credentials_file` in the scrape config). Worker replicas serve their own process
 * metrics on WORKER_HEALTH_PORT; queue depth and database gauges come from here only.
 * Not rate limited: the limiter keeps its counters in Redis and answers 503 while Redis is down,
 * which is exactly when the scrape must still work.
 */
@ApiTags('ops')
@Controller('metrics')
@Allow('operator')
@SkipThrottle({ default: true, auth: true })
export class MetricsController {
  constructor(private readonly metrics: ScrapeTimeMetrics) {}

  @Get()
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
