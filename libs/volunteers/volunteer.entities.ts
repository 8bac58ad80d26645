import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { OrganisationKind } from '../common/index.js';

/**
 * A volunteer's profile. The home area is an approximate point (area centroid or coordinates rounded
 * to ~1 km), never a street address; the `home` geography column is derived from it by the database.
 */
@Entity({ tableName: 'volunteers' })
export class Volunteer {
  @PrimaryKey({ type: 'uuid' }) accountId: string;
  @Property({ type: 'string' }) name: string;
  @Property({ type: 'string' }) timeZone: string;
  @Property({ type: 'string', nullable: true }) homeLabel?: string | null;
  @Property({ type: 'double' }) homeLat: number;
  @Property({ type: 'double' }) homeLon: number;
  @Property({ type: 'float' }) travelKm: number;
  @Property({ type: 'array', columnType: 'text[]' }) skills: string[] = [];
  @Property({ type: 'array', columnType: 'organisation_kind[]' }) causes: OrganisationKind[] = [];
  @Property({ type: 'smallint' }) weeklyShiftCap: number = 2;
  @Enum({ items: ['active', 'paused'], nativeEnumName: 'volunteer_status' }) status: 'active' | 'paused' = 'active';
  @Property({ type: 'string', columnType: 'time' }) quietHoursStart: string = '21:00';
  @Property({ type: 'string', columnType: 'time' }) quietHoursEnd: string = '08:00';
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) offersConsentAt?: Date | null;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) checkInConsentAt?: Date | null;
  @Property({ type: 'string', columnType: 'char(2)', nullable: true }) country?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'datetime', columnType: 'timestamptz' }) updatedAt: Date = new Date();
}

/** A weekly window in local wall-clock time (the volunteer's zone). end <= start crosses midnight. */
@Entity({ tableName: 'availability_windows' })
export class AvailabilityWindow {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) volunteerId: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  @Property({ type: 'smallint' }) weekday: number;
  @Property({ type: 'string', columnType: 'time' }) startLocal: string;
  @Property({ type: 'string', columnType: 'time' }) endLocal: string;
}

/** Away from `startsOn` to `endsOn`, both inclusive, as calendar dates in the volunteer's zone. */
@Entity({ tableName: 'availability_exceptions' })
export class AvailabilityException {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) volunteerId: string;
  @Property({ type: 'string', columnType: 'date' }) startsOn: string;
  @Property({ type: 'string', columnType: 'date' }) endsOn: string;
}

export const VOLUNTEER_ENTITIES = [Volunteer, AvailabilityWindow, AvailabilityException];
