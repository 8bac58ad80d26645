import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A job that must be queued once the transaction that wrote this row commits. */
@Entity({ tableName: 'outbox' })
export class OutboxMessage {
  @PrimaryKey({ type: 'bigint', autoincrement: true }) id: string;
  @Property({ type: 'string' }) jobName: string;
  @Property({ type: 'json' }) payload: Record<string, unknown>;
  /** Deterministic BullMQ job id, so relaying the same row twice queues one job. */
  @Property({ type: 'string' }) jobId: string;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) availableAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) relayedAt?: Date | null;
}
