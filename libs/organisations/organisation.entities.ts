import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

import { ORGANISATION_KINDS, type OrganisationKind } from '../common/index.js';
export { ORGANISATION_KINDS, type OrganisationKind };
export const SHIFT_STATUSES = ['draft', 'open', 'full', 'cancelled', 'completed'] as const;
export type ShiftStatus = (typeof SHIFT_STATUSES)[number];

@Entity({ tableName: 'organisations' })
export class Organisation {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'string' }) name: string;
  @Enum({ items: [...ORGANISATION_KINDS], nativeEnumName: 'organisation_kind' }) kind: OrganisationKind;
  @Property({ type: 'string' }) timeZone: string;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
}

/** A public place of an organisation. The `location` geography column is derived by the database. */
@Entity({ tableName: 'organisation_addresses' })
export class OrganisationAddress {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) organisationId: string;
  @Property({ type: 'string' }) label: string;
  @Property({ type: 'string', nullable: true }) street?: string | null;
  @Property({ type: 'double' }) lat: number;
  @Property({ type: 'double' }) lon: number;
  @Property({ type: 'boolean' }) isDefault: boolean = false;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
}

/** A role as a series stores it for every shift it generates. */
export interface SeriesRole {
  name: string;
  capacity: number;
  requiredSkills: string[];
  niceSkills: string[];
  notes: string;
}

@Entity({ tableName: 'shift_series' })
export class ShiftSeries {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) organisationId: string;
  @Property({ type: 'uuid' }) addressId: string;
  @Property({ type: 'string' }) title: string;
  @Property({ type: 'text' }) description: string = '';
  @Property({ type: 'smallint' }) weekday: number;
  @Property({ type: 'string', columnType: 'time' }) startLocal: string;
  @Property({ type: 'string', columnType: 'time' }) endLocal: string;
  @Property({ type: 'string', columnType: 'date' }) startsOn: string;
  @Property({ type: 'string', columnType: 'date' }) until: string;
  @Property({ type: 'integer' }) capacity: number;
  @Property({ type: 'array', columnType: 'text[]' }) requiredSkills: string[] = [];
  @Property({ type: 'array', columnType: 'text[]' }) niceSkills: string[] = [];
  /** The generated shifts' roles (ADR 0029); null: each gets the one default role from capacity. */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true }) roles?: SeriesRole[] | null = null;
  @Enum({ items: ['active', 'cancelled'], nativeEnumName: 'series_status' }) status: 'active' | 'cancelled' = 'active';
  @Property({ type: 'string', columnType: 'date', nullable: true }) generatedUntil?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
}

/** A shift. `period` and `location` are generated columns kept by the database. */
@Entity({ tableName: 'shifts' })
export class Shift {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) organisationId: string;
  @Property({ type: 'uuid', nullable: true }) seriesId?: string | null;
  @Property({ type: 'uuid' }) addressId: string;
  @Property({ type: 'string' }) title: string;
  @Property({ type: 'text' }) description: string = '';
  @Property({ type: 'datetime', columnType: 'timestamptz' }) startsAt: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) endsAt: Date;
  @Property({ type: 'double' }) lat: number;
  @Property({ type: 'double' }) lon: number;
  @Property({ type: 'integer' }) capacity: number;
  @Property({ type: 'integer' }) filled: number = 0;
  @Property({ type: 'array', columnType: 'text[]' }) requiredSkills: string[] = [];
  @Property({ type: 'array', columnType: 'text[]' }) niceSkills: string[] = [];
  @Enum({ items: [...SHIFT_STATUSES], nativeEnumName: 'shift_status' }) status: ShiftStatus = 'draft';
  /** Bumped on every change a booked volunteer must hear about (iCalendar SEQUENCE). */
  @Property({ type: 'integer' }) sequence: number = 0;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz' }) updatedAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) publishedAt?: Date | null;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) cancelledAt?: Date | null;
}

@Entity({ tableName: 'shift_changes' })
export class ShiftChange {
  @PrimaryKey({ type: 'bigint', autoincrement: true }) id: string;
  @Property({ type: 'uuid' }) shiftId: string;
  @Property({ type: 'string' }) kind: 'created' | 'updated' | 'published' | 'cancelled';
  @Property({ type: 'json' }) changes: Record<string, unknown> = {};
  @Property({ type: 'uuid', nullable: true }) changedBy?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
}

export const ORGANISATION_ENTITIES = [Organisation, OrganisationAddress, ShiftSeries, Shift, ShiftChange];
