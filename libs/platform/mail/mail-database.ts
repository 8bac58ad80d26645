import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { LazyDedicatedPool } from '../database/dedicated-pool.js';
import { StatementBatcher } from '../database/statement-batcher.js';

/**
 * Six connections for the statements every email runs (claim, mark, and an offer email's
 * prepare): plain `pg` beside MikroORM's pool, named statements parsed once per connection, and
 * the hottest ones group-committed (see StatementBatcher). A prepare batch and up to three mark
 * batches in flight, each on its own connection, so a claim never waits behind a mark nor a mark
 * behind another; the rest are spare.
 */
@Injectable()
export class MailDatabase implements OnApplicationShutdown {
  private readonly pool: LazyDedicatedPool;

  constructor(em: EntityManager) {
    this.pool = new LazyDedicatedPool(em, { purpose: 'mail', size: 6 });
  }

  /** One statement; `name` makes PostgreSQL keep its parsed form per connection. */
  async query<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    return (await this.pool.get().query({ name, text, values })).rows as Row[];
  }

  /** A group-committed statement: `run` turns the waiting calls' inputs into one statement. */
  batched<In, Out>(
    run: (inputs: In[]) => Promise<Out[]>,
    limits?: { maxBatch: number; maxInFlight: number },
  ): StatementBatcher<In, Out> {
    return new StatementBatcher(run, limits);
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.release();
  }
}

/**
 * Deliberately not global: Nest shuts global modules down first (and BullMQ's worker explorer is
 * one of them), deeper modules later. Here the pool outlives the BullMQ workers, whose close waits
 * for the jobs in flight, so a mail sent during shutdown is still marked sent.
 */
@Module({ providers: [MailDatabase], exports: [MailDatabase] })
export class MailDatabaseModule {}
