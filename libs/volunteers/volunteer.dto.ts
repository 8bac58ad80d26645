import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  ValidateIf,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable, NumericInput, ApiPropertyExtra } from '../platform/index.js';
import { ORGANISATION_KINDS, type OrganisationKind, IsTimeZone, TIME_OF_DAY } from '../common/index.js';

export class AvailabilityWindowDto {
  @ApiPropertyExtra({ type: 'integer' })
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday', example: 2 })
  @NumericInput()
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ example: '17:00', description: 'Local wall-clock time in your time zone' })
  @IsString()
  @Matches(TIME_OF_DAY, { message: 'start must be a time like 17:00' })
  start: string;

  @ApiProperty({ example: '21:00', description: 'Earlier than or equal to start means the window ends the next day' })
  @IsString()
  @Matches(TIME_OF_DAY, { message: 'end must be a time like 21:00' })
  end: string;
}

export class DateExceptionDto {
  @ApiPropertyExtra({ format: 'date' })
  @ApiProperty({ example: '2026-12-24' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date like 2026-12-24' })
  startsOn: string;
  @ApiPropertyExtra({ format: 'date' })
  @ApiProperty({ example: '2026-12-27' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endsOn must be a date like 2026-12-27' })
  endsOn: string;
}

/** Either coordinates (rounded to about 1 km before storing) or a place name / postcode to look up. */
export class HomeAreaDto {
  @ApiPropertyOptional({ example: 53.48 })
  @IsOmittable()
  @IsLatitude({ message: 'lat must be a latitude' })
  @NumericInput({ fromText: true })
  lat?: number;
  @ApiPropertyOptional({ example: -2.24 })
  @IsOmittable()
  @IsLongitude({ message: 'lon must be a longitude' })
  @NumericInput({ fromText: true })
  lon?: number;
  @ApiPropertyOptional({ example: 'Manchester, GB', description: 'A town, city or area, resolved offline' })
  @IsOmittable()
  @IsString()
  @Length(2, 100)
  query?: string;
}

export class QuietHoursDto {
  @ApiProperty({ example: '21:00' })
  @Matches(TIME_OF_DAY, { message: 'start must be a time like 21:00' })
  start: string;
  @ApiProperty({ example: '08:00' }) @Matches(TIME_OF_DAY, { message: 'end must be a time like 08:00' }) end: string;
}

export class RegisterVolunteerDto {
  @ApiPropertyExtra({ format: 'email' })
  @ApiProperty({ example: 'sam@example.org' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Sam' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: 'Europe/London' })
  @IsTimeZone()
  timeZone: string;

  @ApiProperty({ type: HomeAreaDto })
  @IsObject()
  @ValidateNested()
  @Type(() => HomeAreaDto)
  home: HomeAreaDto;

  @ApiProperty({ example: 5, minimum: 0.5, maximum: 200, description: 'How far you are happy to travel, in km' })
  @NumericInput()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(200)
  travelKm: number;

  @ApiProperty({ example: ['cooking', 'food-safety-certificate'], description: 'Slugs from GET /api/skills' })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  skills: string[];

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS, isArray: true, description: 'Causes you care about; empty = any' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(ORGANISATION_KINDS.length)
  @IsIn(ORGANISATION_KINDS, { each: true, message: `causes must each be one of ${ORGANISATION_KINDS.join(', ')}` })
  causes?: OrganisationKind[];

  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ example: 2, minimum: 1, maximum: 14, description: 'At most this many shifts a week' })
  @NumericInput()
  @ValidateIf((_o, v) => v !== undefined)
  @IsInt()
  @Min(1)
  @Max(14)
  weeklyShiftCap?: number;

  @ApiProperty({ type: [AvailabilityWindowDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AvailabilityWindowDto)
  availability: AvailabilityWindowDto[];

  @ApiPropertyOptional({ type: [DateExceptionDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DateExceptionDto)
  exceptions?: DateExceptionDto[];

  @ApiPropertyOptional({ type: QuietHoursDto, description: 'No offers or reminders arrive in these local hours' })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;
}

export class UpdateVolunteerDto extends PartialType(OmitType(RegisterVolunteerDto, ['email'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({ description: 'true pauses all matching and offers; false resumes' })
  @IsOmittable()
  @IsBoolean()
  paused?: boolean;
}

/** Where you are, rounded to about 1 km. */
export class HomeDto {
  @ApiProperty({ nullable: true, type: String, example: 'Manchester, GB' }) label: string | null;
  @ApiProperty({ example: 53.48 }) lat: number;
  @ApiProperty({ example: -2.24 }) lon: number;
}

export class VolunteerProfileDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() name: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: () => HomeDto }) home: { label: string | null; lat: number; lon: number };
  @ApiProperty() travelKm: number;
  @ApiProperty({ type: [String] }) skills: string[];
  @ApiProperty({ enum: ORGANISATION_KINDS, isArray: true }) causes: string[];
  @ApiProperty({ type: 'integer' }) weeklyShiftCap: number;
  @ApiProperty({ enum: ['active', 'paused'] }) status: string;
  @ApiProperty({ type: [AvailabilityWindowDto] }) availability: AvailabilityWindowDto[];
  @ApiProperty({ type: [DateExceptionDto] }) exceptions: DateExceptionDto[];
  @ApiProperty({ type: QuietHoursDto }) quietHours: QuietHoursDto;
}

export class RegisteredDto {
  @ApiProperty({ example: 'Thanks! Check your inbox to confirm your email.' }) message: string;
}

export class SkillDto {
  @ApiProperty({ example: 'cooking' }) slug: string;
  @ApiProperty({ example: 'Cooking' }) label: string;
  @ApiProperty({ example: 'kitchen' }) category: string;
}

export class GeocodeQueryDto {
  @ApiProperty({ example: 'Manchester' }) @IsString() @Length(2, 100) q: string;
  @ApiPropertyOptional({ example: 'GB' })
  @IsOmittable()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter code' })
  country?: string;
}

export class GeocodedAreaDto {
  @ApiProperty({ example: 'Manchester, England, United Kingdom' }) label: string;
  @ApiProperty({ example: 53.48 }) lat: number;
  @ApiProperty({ example: -2.24 }) lon: number;
  @ApiProperty({ example: 'GB' }) country: string;
}
