import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { pgArray } from '../database/pg-array.js';
import { QUEUE_OF, QueueName, type JobName } from './job-names.js';

/** A job that will still run by itself: waiting, delayed before a retry, or running. */
const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export type RequeueOutcome = 'live' | 'requeued' | 'unknown';

/**
 * Queues a job again from its outbox row, for sweepers that find work a job gave up on (its
 * retries spent: failed), lost (removed, Redis lost it) or left behind (its worker died and
 * BullMQ failed it as stalled). A job that is still live is left alone. The dead job is removed
 * from BullMQ and its outbox row marked unrelayed, so the relay adds it again under the same jobId
 * with a fresh retry budget; handlers are idempotent, so a job that had in fact finished finds
 * nothing to do.
 */
@Injectable()
export class JobRequeueService {
  constructor(
    private readonly em: EntityManager,
    @InjectQueue(QueueName.Email) private readonly emailQueue: Queue,
    @InjectQueue(QueueName.Work) private readonly workQueue: Queue,
  ) {}

  /** The outcome per jobId: `unknown` when no outbox row has it (a job not queued through the outbox). */
  async requeue(jobIds: string[]): Promise<Map<string, RequeueOutcome>> {
    const outcomes = new Map<string, RequeueOutcome>(jobIds.map((id) => [id, 'unknown']));
    if (jobIds.length === 0) return outcomes;
    const em = this.em.fork();
    const rows: Array<{ id: string; job_name: JobName; job_id: string; relayed: boolean }> = await em.execute(
      `select id, job_name, job_id, relayed_at is not null as relayed from outbox where job_id = any(cast(? as text[]))`,
      [pgArray(jobIds)],
    );
    const again: string[] = [];
    for (const row of rows) {
      if (!row.relayed) {
        outcomes.set(row.job_id, 'live'); // the relay is about to queue it (again)
        continue;
      }
      const queue = QUEUE_OF[row.job_name] === QueueName.Email ? this.emailQueue : this.workQueue;
      const job = await queue.getJob(row.job_id);
      if (job && LIVE_STATES.has(await job.getState())) {
        outcomes.set(row.job_id, 'live');
        continue;
      }
      // remove() refuses a job that is locked (a worker just picked it up): then it is live.
      if (
        job &&
        !(await job.remove().then(
          () => true,
          () => false,
        ))
      ) {
        outcomes.set(row.job_id, 'live');
        continue;
      }
      again.push(row.id);
      outcomes.set(row.job_id, 'requeued');
    }
    if (again.length)
      await em.execute(`update outbox set relayed_at = null where id = any(cast(? as bigint[]))`, [pgArray(again)]);
    return outcomes;
  }
}
