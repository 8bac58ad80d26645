import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { ApiPropertyExtra, isBlankInput, IsOmittable, NumericInput, TIME_OF_DAY } from '../platform/index.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * For query fields a GET form sends even when left empty (`?from=&to=`): blank is absent. Only on
 * optional query parameters; a JSON body's null is still refused naming the field.
 */
const BlankIsAbsent = () =>
  Transform(({ value }) => (typeof value === 'string' && isBlankInput(value) ? undefined : value));
const DATE_MESSAGE = 'must be a date (YYYY-MM-DD)';

/** Hours done off the platform. Range, future and overlap rules are the ledger's (422 naming the field). */
export class LogHoursDto {
  @ApiPropertyExtra({ format: 'uuid' })
  @ApiProperty({ description: 'The organisation the work was for; its coordinators approve or decline' })
  @IsUUID()
  organisationId: string;
  @ApiProperty({ example: '2026-11-28', description: 'The day of the work, not in the future' })
  @IsString()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  date: string;
  @ApiPropertyOptional({ example: '09:30', description: 'Start on your own clock (with endTime)' })
  @IsOmittable()
  @IsString()
  @Matches(TIME_OF_DAY, { message: 'must be a time (HH:MM)' })
  startTime?: string;
  @ApiPropertyOptional({ example: '12:00', description: 'End on your own clock, after startTime, same day' })
  @IsOmittable()
  @IsString()
  @Matches(TIME_OF_DAY, { message: 'must be a time (HH:MM)' })
  endTime?: string;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ description: 'Minutes worked, when no times are given: 1 to 1440' })
  @IsOmittable()
  @NumericInput({ fromText: true })
  @IsInt()
  @Min(-100_000)
  @Max(100_000)
  minutes?: number;
  @ApiProperty({ maxLength: 1000, example: 'Sorted donations at the warehouse' })
  @IsString()
  @Length(1, 1000)
  description: string;
}

export class HoursDecisionDto {
  @ApiProperty({ enum: ['approve', 'decline'] }) @IsIn(['approve', 'decline']) decision: 'approve' | 'decline';
  @ApiPropertyOptional({ maxLength: 500, description: 'Shown to the volunteer' })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class HoursAdjustmentDto {
  @ApiPropertyExtra({ type: 'integer' })
  @ApiProperty({ minimum: 0, maximum: 1440, description: 'The minutes to credit instead' })
  @NumericInput({ fromText: true })
  @IsInt()
  @Min(0)
  @Max(1440)
  minutes: number;
  @ApiProperty({ maxLength: 500, description: 'Why (required); the volunteer sees it' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class HoursPeriodQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day (inclusive)' })
  @IsOmittable()
  @BlankIsAbsent()
  @IsString()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day (inclusive)' })
  @IsOmittable()
  @BlankIsAbsent()
  @IsString()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  to?: string;
  @ApiPropertyOptional({ enum: ['credited', 'voided', 'pending', 'approved', 'declined'] })
  @IsOmittable()
  @BlankIsAbsent()
  @IsIn(['credited', 'voided', 'pending', 'approved', 'declined'])
  status?: 'credited' | 'voided' | 'pending' | 'approved' | 'declined';
}

export class HoursEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['shift', 'logged'] }) kind: 'shift' | 'logged';
  @ApiProperty({ enum: ['credited', 'voided', 'pending', 'approved', 'declined'] }) status: string;
  @ApiProperty() volunteerName: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ description: "The shift's title, or the logged work's description" }) title: string;
  @ApiProperty({ type: 'integer', description: 'Minutes credited now (0 unless it counts)' }) minutes: number;
  @ApiProperty({ example: '2.5' }) hours: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Logged entries: the minutes the volunteer logged' })
  loggedMinutes: number | null;
  @ApiProperty({ enum: ['scheduled', 'arrival', 'adjusted', 'logged'] }) source: string;
  @ApiProperty({ description: 'Whether it counts towards totals and statements' }) counts: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startsAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt: string | null;
  @ApiProperty({ type: String, nullable: true }) adjustReason: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionNote: string | null;
}

export class OrganisationHoursTotalDto {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ type: 'integer' }) minutes: number;
  @ApiProperty({ type: 'integer' }) entries: number;
}

export class MyHoursDto {
  @ApiProperty({ type: 'integer' }) totalMinutes: number;
  @ApiProperty({ example: '12.5' }) totalHours: string;
  @ApiProperty({ type: [OrganisationHoursTotalDto] }) organisations: OrganisationHoursTotalDto[];
  @ApiProperty({ type: [HoursEntryDto] }) entries: HoursEntryDto[];
}

/** A statement's scope: one organisation or all, and an optional period (to defaults to today). */
export class StatementQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One organisation; all of them (a section each) when left out' })
  @IsOmittable()
  @BlankIsAbsent()
  @IsUUID()
  organisation?: string;
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOmittable()
  @BlankIsAbsent()
  @IsString()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOmittable()
  @BlankIsAbsent()
  @IsString()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  to?: string;
}
