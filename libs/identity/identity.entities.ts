import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type AccountRole = 'volunteer' | 'coordinator';
export type LinkPurpose =
  | 'verify_email'
  | 'sign_in'
  | 'offer_response'
  | 'unsubscribe'
  | 'check_in'
  | 'check_in_stop'
  | 'suggestions_stop'
  | 'email_change'
  | 'email_change_cancel';

@Entity({ tableName: 'accounts' })
export class Account {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'string', columnType: 'citext' }) email: string;
  @Enum({ items: ['volunteer', 'coordinator'], nativeEnumName: 'account_role' }) role: AccountRole;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) emailVerifiedAt?: Date | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
}

@Entity({ tableName: 'coordinators' })
export class Coordinator {
  @PrimaryKey({ type: 'uuid' }) accountId: string;
  @Property({ type: 'uuid' }) organisationId: string;
  @Property({ type: 'string', nullable: true }) name?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
}

@Entity({ tableName: 'sessions' })
export class Session {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) accountId: string;
  @Property({ type: 'string' }) tokenHash: string;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz' }) expiresAt: Date;
}

/** A single-purpose, expiring, single-use token behind a link in an email. Only its hash is stored. */
@Entity({ tableName: 'link_tokens' })
export class LinkToken {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'string' }) tokenHash: string;
  @Enum({
    items: [
      'verify_email',
      'sign_in',
      'offer_response',
      'unsubscribe',
      'check_in',
      'check_in_stop',
      'suggestions_stop',
      'email_change',
      'email_change_cancel',
    ],
    nativeEnumName: 'link_purpose',
  })
  purpose: LinkPurpose;
  @Property({ type: 'uuid' }) accountId: string;
  @Property({ type: 'uuid', nullable: true }) subjectId?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz' }) expiresAt: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) usedAt?: Date | null;
}

@Entity({ tableName: 'api_keys' })
export class ApiKey {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) organisationId: string;
  @Property({ type: 'string' }) name: string;
  /** The first characters of the key, shown in listings so people can tell keys apart. */
  @Property({ type: 'string' }) prefix: string;
  @Property({ type: 'string' }) keyHash: string;
  @Property({ type: 'uuid', nullable: true }) createdBy?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) lastUsedAt?: Date | null;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) revokedAt?: Date | null;
}

export const IDENTITY_ENTITIES = [Account, Coordinator, Session, LinkToken, ApiKey];
