import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage } from './outbox.entity.js';
import type { JobName, JobPayloads } from './job-names.js';

/**
 * Writes "do this after commit" as a row in the caller's unit of work. The relay in the worker moves
 * committed rows to BullMQ, so a crash or a Redis outage between commit and queueing loses nothing.
 */
@Injectable()
export class OutboxService {
  add<N extends JobName>(
    em: EntityManager,
    name: N,
    payload: JobPayloads[N],
    jobId: string,
    availableAt = new Date(),
  ): OutboxMessage {
    const message = em.create(OutboxMessage, { jobName: name, payload, jobId, availableAt } as never);
    em.persist(message);
    return message;
  }
}
