import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { NumericInput, ApiPropertyExtra, IsOmittable } from '../platform/index.js';

export class PageQueryDto {
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOmittable()
  @NumericInput({ fromText: true })
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1000 })
  @IsOmittable()
  @NumericInput({ fromText: true })
  @IsInt()
  @Min(0)
  @Max(1000)
  offset?: number;
}

/** The shift's match list: a page, and the role it is for (ADR 0029). */
export class ShiftMatchesQueryDto extends PageQueryDto {
  @ApiPropertyExtra({ format: 'uuid' })
  @ApiPropertyOptional({
    description: 'Match for this role of the shift (its skills on top of the shift’s); default the first role',
  })
  @IsOmittable()
  @IsUUID('all', { message: 'roleId must be a UUID' })
  roleId?: string;
}

export class ScoreBreakdownDto {
  @ApiProperty({ description: 'Weighted contribution of nearness' }) distance: number;
  @ApiProperty({ description: 'Weighted contribution of nice-to-have skills' }) niceSkills: number;
  @ApiProperty({ description: 'Weighted contribution of attendance history' }) reliability: number;
  @ApiProperty({ description: 'Weighted contribution of having had few recent offers' }) freshness: number;
  @ApiProperty({ description: 'Sum, between 0 and 1' }) total: number;
}

export class MatchDto {
  @ApiProperty({ format: 'uuid' }) volunteerId: string;
  @ApiProperty({ example: 'Sam' }) name: string;
  @ApiProperty({ example: 2.1 }) distanceKm: number;
  @ApiProperty({ type: ScoreBreakdownDto }) score: ScoreBreakdownDto;
  @ApiProperty({ example: '2.1 km away · has cooking · fits your Tuesday 17:00–21:00' }) explanation: string;
}

export class NoMatchListReasonDto {
  @ApiProperty({ enum: ['cancelled', 'completed', 'started', 'full'] }) code: string;
  @ApiProperty({ example: 'This shift is full — 4 of 4 booked.' }) message: string;
}

export class ShiftMatchesDto {
  @ApiProperty({ type: [MatchDto], description: 'Empty when `reason` is set' }) matches: MatchDto[];
  @ApiProperty({
    type: NoMatchListReasonDto,
    nullable: true,
    description:
      'Why no matches are listed: the shift is cancelled, over, started or full (then matches is empty, the counts are all zero and complete is true). null while the shift can take bookings, and for a draft (its list previews who will be offered it).',
  })
  reason: NoMatchListReasonDto | null;
  @ApiProperty({
    description:
      'Volunteers within reach who were left out, counted under the first rule they fail — the answer to "why so few?"',
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: {
      unverified: 0,
      paused: 1,
      cause: 0,
      skills: 14,
      declined: 0,
      already_offered: 2,
      blocked: 0,
      away: 1,
      availability: 9,
      booking_overlap: 0,
      weekly_cap: 1,
    },
  })
  excluded: Record<string, number>;
  @ApiProperty({
    description:
      'Volunteers whose travel distance reaches the shift among the nearest 200 examined (sum of excluded + eligible)',
    type: 'integer',
  })
  totalCandidates: number;
  @ApiProperty({
    description:
      'true when fewer than 200 volunteers are within reach and all were examined; otherwise the counts cover the nearest 200, up to examinedRadiusKm',
  })
  complete: boolean;
  @ApiProperty() examinedRadiusKm: number;
}

export class ShiftForMeDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty() title: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ example: 'Tue 1 Dec 2026, 17:00–20:00 (Europe/London)', description: 'In your time zone' })
  localTime: string;
  @ApiProperty() distanceKm: number;
  @ApiProperty() explanation: string;
}
