import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** The delivery log: (kind, subjectId) is the idempotency key of one email. Holds no address. */
@Entity({ tableName: 'email_deliveries' })
export class EmailDelivery {
  @PrimaryKey({ type: 'bigint', autoincrement: true }) id: string;
  @Property({ type: 'string' }) kind: string;
  @Property({ type: 'string' }) subjectId: string;
  @Property({ type: 'uuid', nullable: true }) accountId?: string | null;
  /** 'sending' while an attempt holds the claim (claimedBy, until claimedUntil). */
  @Enum({ items: ['sending', 'sent', 'failed'], nativeEnumName: 'delivery_status' }) status:
    'sending' | 'sent' | 'failed';
  @Property({ type: 'string', nullable: true }) messageId?: string | null;
  @Property({ type: 'string', nullable: true }) smtpResponse?: string | null;
  @Property({ type: 'string', nullable: true }) claimedBy?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) claimedUntil?: Date | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
}
