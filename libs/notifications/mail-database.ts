import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { acquireDedicatedPool, releaseDedicatedPool } from '../database/dedicated-pool.js';
import { StatementBatcher } from '../database/statement-batcher.js';

/**
 * A few connections for the statements every email runs (claim, mark, and an offer email's
 * prepare): plain `pg` beside MikroORM's pool, named statements parsed once per connection, and
 * the hottest ones group-committed (see StatementBatcher). Two batches in flight at most, each on
 * its own connection, so a claim never waits behind a mark; the rest are spare.
 */
const MAIL_POOL_SIZE = 4;

@Injectable()
export class MailDatabase implements OnApplicationShutdown {
  private pool?: pg.Pool;

  constructor(private readonly em: EntityManager) {}

  /** One statement; `name` makes PostgreSQL keep its parsed form per connection. */
  async query<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    this.pool ??= acquireDedicatedPool(this.em, { purpose: 'mail', size: MAIL_POOL_SIZE });
    return (await this.pool.query({ name, text, values })).rows as Row[];
  }

  /** A group-committed statement: `run` turns the waiting calls' inputs into one statement. */
  batched<In, Out>(run: (inputs: In[]) => Promise<Out[]>): StatementBatcher<In, Out> {
    return new StatementBatcher(run, { maxBatch: 50, maxInFlight: 1 });
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await releaseDedicatedPool(pool);
  }
}

/**
 * Deliberately not global: Nest shuts global modules down first (and BullMQ's worker explorer is
 * one of them), deeper modules later. Here the pool outlives the BullMQ workers, whose close waits
 * for the jobs in flight, so a mail sent during shutdown is still marked sent.
 */
@Module({ providers: [MailDatabase], exports: [MailDatabase] })
export class MailDatabaseModule {}
