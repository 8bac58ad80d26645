import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  ValidateIf,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable, NumericInput, ApiPropertyExtra } from '../platform/index.js';
import { IsTimeZone, TIME_OF_DAY } from '../common/index.js';
import { ORGANISATION_KINDS, SHIFT_STATUSES, type OrganisationKind } from './organisation.entities.js';

/** An instant with an explicit offset or Z, so nobody's local clock is guessed. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AddressDto {
  @ApiProperty({ example: 'Main hall' }) @IsString() @Length(1, 200) label: string;
  @ApiPropertyOptional({ example: '12 Market Street, Manchester' })
  @IsOmittable()
  @IsString()
  @MaxLength(300)
  street?: string;
  @ApiProperty({ example: 53.4808 }) @NumericInput() @IsLatitude({ message: 'lat must be a latitude' }) lat: number;
  @ApiProperty({ example: -2.2426 }) @NumericInput() @IsLongitude({ message: 'lon must be a longitude' }) lon: number;
  @ApiPropertyOptional({ description: 'Shifts without a place use the default address' })
  @IsOmittable()
  @IsBoolean()
  isDefault?: boolean;
}

export class CoordinatorInviteDto {
  @ApiPropertyExtra({ format: 'email' })
  @ApiProperty({ example: 'alex@shelter.example.org' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
  @ApiProperty({ example: 'Alex' }) @IsString() @Length(1, 100) name: string;
}

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Ancoats Community Kitchen' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, { message: `kind must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind: OrganisationKind;
  @ApiProperty({ example: 'Europe/London' }) @IsTimeZone() timeZone: string;
  @ApiProperty({ type: AddressDto }) @IsObject() @ValidateNested() @Type(() => AddressDto) address: AddressDto;
  @ApiProperty({ type: CoordinatorInviteDto, description: 'Their first coordinator; a sign-in link is emailed' })
  @IsObject()
  @ValidateNested()
  @Type(() => CoordinatorInviteDto)
  coordinator: CoordinatorInviteDto;
}

export class AddressResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: String }) street: string | null;
  @ApiProperty() lat: number;
  @ApiProperty() lon: number;
  @ApiProperty() isDefault: boolean;
}

export class OrganisationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [AddressResponseDto] }) addresses: AddressResponseDto[];
}

/** One role of a shift (ADR 0029): "Kitchen lead ×1, needs food-safety-certificate". */
export class ShiftRoleInputDto {
  @ApiPropertyExtra({ format: 'uuid' })
  @ApiPropertyOptional({ description: 'On PATCH: the role to change (omit to add a role)' })
  @IsOmittable()
  @IsUUID('all', { message: 'id must be a UUID' })
  id?: string;
  @ApiProperty({ example: 'Kitchen lead', minLength: 1, maxLength: 80 })
  @IsString()
  @Length(1, 80)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiProperty({ example: 1, minimum: 1, maximum: 500 })
  @NumericInput()
  @IsInt()
  @Min(1)
  @Max(500)
  capacity: number;
  @ApiPropertyOptional({ example: ['food-safety-certificate'], description: 'Needed on top of the shift’s own' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  requiredSkills?: string[];
  @ApiPropertyOptional({ example: ['cooking'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  niceSkills?: string[];
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  notes?: string;
}

export class ShiftRoleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer' }) capacity: number;
  @ApiProperty({ type: 'integer', description: 'Places booked or held in this role' }) filled: number;
  @ApiProperty({ type: [String] }) requiredSkills: string[];
  @ApiProperty({ type: [String] }) niceSkills: string[];
  @ApiProperty() notes: string;
}

export class CreateShiftDto {
  @ApiProperty({ example: 'Evening meal service' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;
  @ApiPropertyOptional({ example: 'Help cook and serve a hot meal for about 60 guests.' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @MaxLength(5000)
  description?: string;
  @ApiPropertyExtra({ format: 'date-time' })
  @ApiProperty({ example: '2026-12-01T17:00:00+00:00' })
  @Matches(INSTANT, { message: 'startsAt must be an ISO 8601 date-time with offset' })
  startsAt: string;
  @ApiPropertyExtra({ format: 'date-time' })
  @ApiProperty({ example: '2026-12-01T20:00:00+00:00' })
  @Matches(INSTANT, { message: 'endsAt must be an ISO 8601 date-time with offset' })
  endsAt: string;
  @ApiPropertyExtra({ format: 'uuid' })
  @ApiPropertyOptional({ description: 'One of the organisation’s addresses; default address when omitted' })
  @IsOmittable()
  @IsUUID('all', { message: 'addressId must be a UUID' })
  addressId?: string;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({
    example: 4,
    minimum: 1,
    maximum: 500,
    description: 'Required without `roles`; with `roles` it is their sum (omit it, or give exactly the sum)',
  })
  @IsOmittable()
  @NumericInput()
  @IsInt()
  @Min(1)
  @Max(500)
  capacity?: number;
  @ApiPropertyOptional({
    type: [ShiftRoleInputDto],
    description:
      'The shift’s roles, 1–20. Omitted: one role “Volunteer” from `capacity`, `requiredSkills` and `niceSkills`, exactly as before roles existed',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ShiftRoleInputDto)
  roles?: ShiftRoleInputDto[];
  @ApiPropertyOptional({ example: ['cooking'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  requiredSkills?: string[];
  @ApiPropertyOptional({ example: ['food-safety-certificate'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  niceSkills?: string[];
  @ApiPropertyOptional({ description: 'Open it for offers at once (default: stays a draft)' })
  @IsOmittable()
  @IsBoolean()
  publish?: boolean;
}

/** Cancelling a shift; the reason (optional) is quoted in the email to its booked volunteers. */
export class CancelShiftDto {
  @ApiPropertyOptional({
    maxLength: 500,
    description: 'Why, in a sentence; booked volunteers read it in the cancellation email',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason?: string;
}

export class UpdateShiftDto extends PartialType(
  PickType(CreateShiftDto, [
    'title',
    'description',
    'startsAt',
    'endsAt',
    'addressId',
    'capacity',
    'roles',
    'requiredSkills',
    'niceSkills',
  ] as const),
  { skipNullProperties: false },
) {}

export class ListShiftsQueryDto {
  @ApiPropertyOptional({ enum: SHIFT_STATUSES })
  @IsOmittable()
  @IsIn(SHIFT_STATUSES, { message: `status must be one of ${SHIFT_STATUSES.join(', ')}` })
  status?: string;
  @ApiPropertyExtra({ format: 'date-time' })
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOmittable()
  @Matches(INSTANT, { message: 'from must be an ISO 8601 date-time with offset' })
  @IsISO8601({ strict: true }, { message: 'from must be a real date-time' })
  from?: string;
  @ApiPropertyExtra({ format: 'date-time' })
  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z' })
  @IsOmittable()
  @Matches(INSTANT, { message: 'to must be an ISO 8601 date-time with offset' })
  @IsISO8601({ strict: true }, { message: 'to must be a real date-time' })
  to?: string;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOmittable()
  @NumericInput({ fromText: true })
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ default: 0 })
  @IsOmittable()
  @NumericInput({ fromText: true })
  @IsInt()
  @Min(0)
  @Max(100000)
  offset?: number;
}

export class ShiftResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) seriesId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({
    description: 'Start and end in the organisation’s time zone',
    example: 'Tue 1 Dec 2026, 17:00–20:00 (Europe/London)',
  })
  localTime: string;
  @ApiProperty({ format: 'uuid' }) addressId: string;
  @ApiProperty({ type: 'integer' }) capacity: number;
  @ApiProperty({ type: 'integer' }) filled: number;
  @ApiProperty({ type: [String] }) requiredSkills: string[];
  @ApiProperty({ type: [String] }) niceSkills: string[];
  @ApiProperty({ enum: SHIFT_STATUSES }) status: string;
  @ApiProperty({
    type: [ShiftRoleDto],
    description:
      'Its roles in order; a shift posted without roles has one, “Volunteer”. capacity and filled are their sums',
  })
  roles: ShiftRoleDto[];
}

export class CreateSeriesDto {
  @ApiProperty({ example: 'Tuesday dinner' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(5000) description?: string;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiProperty({ example: 2, description: 'ISO weekday, 1 = Monday' })
  @NumericInput()
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;
  @ApiProperty({ example: '17:00', description: 'Local time in the organisation’s zone' })
  @Matches(TIME_OF_DAY, { message: 'start must be a time like 17:00' })
  start: string;
  @ApiProperty({ example: '20:00' }) @Matches(TIME_OF_DAY, { message: 'end must be a time like 20:00' }) end: string;
  @ApiPropertyExtra({ format: 'date' })
  @ApiProperty({ example: '2026-12-01' })
  @Matches(DATE, { message: 'startsOn must be a date like 2026-12-01' })
  startsOn: string;
  @ApiPropertyExtra({ format: 'date' })
  @ApiProperty({ example: '2027-06-30' })
  @Matches(DATE, { message: 'until must be a date like 2027-06-30' })
  until: string;
  @ApiPropertyExtra({ format: 'uuid' })
  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('all', { message: 'addressId must be a UUID' })
  addressId?: string;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({
    example: 4,
    minimum: 1,
    maximum: 500,
    description: 'Required without `roles`; with `roles` it is their sum (omit it, or give exactly the sum)',
  })
  @IsOmittable()
  @NumericInput()
  @IsInt()
  @Min(1)
  @Max(500)
  capacity?: number;
  @ApiPropertyOptional({
    type: [ShiftRoleInputDto],
    description:
      'Every generated shift’s roles, 1–20 (as on a shift; `id` is ignored). Omitted: one role “Volunteer” from `capacity`',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ShiftRoleInputDto)
  roles?: ShiftRoleInputDto[];
  @ApiPropertyOptional({ type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  requiredSkills?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  niceSkills?: string[];
  @ApiPropertyOptional({ description: 'Generated shifts open for offers at once (default true)' })
  @IsOmittable()
  @IsBoolean()
  publish?: boolean;
}

export class SeriesResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: 'integer' }) weekday: number;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) until: string;
  @ApiProperty({ enum: ['active', 'cancelled'] }) status: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) generatedUntil: string | null;
  @ApiProperty({ type: [ShiftResponseDto], description: 'Concrete shifts generated so far' })
  shifts: ShiftResponseDto[];
}

export class CreatedOrganisationDto extends OrganisationResponseDto {
  @ApiProperty({ format: 'uuid' }) coordinatorAccountId: string;
}

export class InvitedCoordinatorDto {
  @ApiProperty({ format: 'uuid', description: 'Their account; a sign-in link is on its way' }) accountId: string;
}
