import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { pgArray } from '../database/pg-array.js';
import { DEFAULT_JOB_OPTIONS, emailRetries, QUEUE_OF, QueueName, type JobName } from './job-names.js';
import { OutboxWakeups } from './outbox-wakeups.js';
import { RecurringJobsService } from './recurring-jobs.service.js';

interface OutboxRow {
  id: string;
  job_name: JobName;
  payload: Record<string, unknown>;
  job_id: string;
  available_at: Date;
}

const BATCH = 500;
/**
 * After Redis lost its data, outbox rows relayed this recently are relayed again. A job lives in
 * Redis from its relay (rows are relayed when due, not earlier) until it completes; with 12
 * attempts and exponential backoff from 1 s that is about an hour, so this is generous (the mail
 * sweeper relays an email job's row again when it queues undelivered mail anew).
 */
const REPLAY_WINDOW = '6 hours';

/**
 * Moves committed outbox rows to BullMQ. Rows are locked with SKIP LOCKED so several worker replicas
 * can relay side by side; a row is marked relayed only after BullMQ accepted the job, and the
 * deterministic jobId makes a second relay of the same row a no-op.
 *
 * A Redis that restarts without persistence (or fails over to an empty replica) loses the jobs it
 * held. Each cycle first checks a marker key the relay keeps in Redis; when it is gone, Redis lost
 * its data, so the rows relayed within REPLAY_WINDOW are relayed again and the repeatable jobs are
 * scheduled again. Handlers are idempotent against PostgreSQL, so a job that had already run just
 * finds nothing to do.
 *
 * A commit that wrote outbox rows wakes the relay at once (LISTEN/NOTIFY, see OutboxWakeups), so a
 * published shift's wave does not wait for the next poll; the poll every OUTBOX_POLL_MS stays as the
 * safety net and picks up rows whose time has come (delayed jobs are relayed when due).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private relaying = false;
  private wokenWhileRelaying = false;
  private stopped = false;
  private readonly wakeups: OutboxWakeups;

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.Email) private readonly emailQueue: Queue,
    @InjectQueue(QueueName.Work) private readonly workQueue: Queue,
    private readonly recurring: RecurringJobsService,
  ) {
    this.wakeups = new OutboxWakeups(config.DATABASE_URL, () => this.wake(), this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.schedule(0);
    await this.wakeups.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.wakeups.close();
    await this.running;
  }

  /** New rows were committed: relay now, or right after the cycle under way. */
  private wake(): void {
    if (this.stopped) return;
    if (this.relaying) {
      this.wokenWhileRelaying = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.relaying = true;
      this.wokenWhileRelaying = false;
      this.running = this.relayUntilEmpty()
        .then(() => this.wokenWhileRelaying)
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'outbox relay failed; will retry');
          return false; // after a failure, wait for the poll interval whatever woke it
        })
        .then((again) => {
          this.relaying = false;
          this.schedule(again ? 0 : this.config.OUTBOX_POLL_MS);
        });
    }, delayMs);
  }

  /** Relays batches until nothing due is left; returns how many rows were relayed. */
  async relayUntilEmpty(): Promise<number> {
    await this.replayIfRedisLostData();
    let total = 0;
    for (;;) {
      const relayed = await this.relayBatch();
      total += relayed;
      if (relayed < BATCH || this.stopped) return total;
    }
  }

  /** See the class comment. The marker is written only after the rows are queued for relay again. */
  private async replayIfRedisLostData(): Promise<void> {
    const redis = await this.workQueue.getBackend().client;
    const marker = `${this.config.REDIS_PREFIX}:outbox-relay:alive`;
    if ((await redis.get(marker)) !== null) return;
    const [{ rows }] = await this.em.fork().execute(
      `with replay as (update outbox set relayed_at = null where relayed_at > now() - interval '${REPLAY_WINDOW}' returning 1)
       select count(*)::int as rows from replay`,
    );
    await this.recurring.onApplicationBootstrap();
    await redis.set(marker, new Date().toISOString());
    if (rows > 0) this.logger.warn({ rows }, 'Redis lost its data: relaying recent outbox rows again');
  }

  private async relayBatch(): Promise<number> {
    const em = this.em.fork();
    return em.transactional(async (tx) => {
      const rows: OutboxRow[] = await tx.execute(
        `select id, job_name, payload, job_id, available_at from outbox
         where relayed_at is null and available_at <= now() + interval '1 second'
         order by available_at, id limit ${BATCH} for update skip locked`,
      );
      if (rows.length === 0) return 0;
      await this.enqueue(rows);
      await tx.execute(`update outbox set relayed_at = now() where id = any(cast(? as bigint[]))`, [
        pgArray(rows.map((row) => row.id)),
      ]);
      return rows.length;
    });
  }

  private async enqueue(rows: OutboxRow[]): Promise<void> {
    const byQueue = new Map<QueueName, OutboxRow[]>();
    for (const row of rows) {
      const queue = QUEUE_OF[row.job_name];
      if (!queue) throw new Error(`outbox row ${row.id} names unknown job ${row.job_name}`);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
    }
    for (const [queueName, queueRows] of byQueue) {
      const queue = queueName === QueueName.Email ? this.emailQueue : this.workQueue;
      const options =
        queueName === QueueName.Email ? { ...DEFAULT_JOB_OPTIONS, ...emailRetries(this.config) } : DEFAULT_JOB_OPTIONS;
      await queue.addBulk(
        queueRows.map((row) => ({
          name: row.job_name,
          data: row.payload,
          opts: {
            ...options,
            jobId: row.job_id,
            delay: Math.max(0, new Date(row.available_at).getTime() - Date.now()),
          },
        })),
      );
    }
  }
}
