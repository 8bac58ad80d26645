import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches, ValidateIf } from 'class-validator';
import { ApiPropertyExtra } from '../platform/index.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const SOURCES = ['qr', 'kiosk', 'coordinator'];

/** One booking's door record; null times mean "not yet". */
export class ArrivalDto {
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({ enum: ['confirmed', 'attended', 'no_show'] }) bookingStatus: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) arrivedAt: string | null;
  @ApiProperty({ type: String, enum: SOURCES, nullable: true, description: 'qr, kiosk or coordinator (also the API)' })
  arrivedVia: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) leftAt: string | null;
  @ApiProperty({ type: String, enum: SOURCES, nullable: true }) leftVia: string | null;
}

export class ShiftArrivalsDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty({ format: 'date-time', description: 'The QR code and kiosk work from here…' }) opensAt: string;
  @ApiProperty({ format: 'date-time', description: '…until here' }) closesAt: string;
  @ApiProperty({ type: [ArrivalDto], description: 'Every booking that is not cancelled, arrived or not' })
  arrivals: ArrivalDto[];
}

/** A coordinator's (or integrator's) record of when someone arrived and left; replaces the record. */
export class PutArrivalDto {
  @ApiPropertyExtra({ format: 'date-time' })
  @ApiProperty({ example: '2026-12-01T17:02:00+00:00', description: 'Not before arrival opens, not in the future' })
  @Matches(INSTANT, { message: 'arrivedAt must be an ISO 8601 date-time with offset' })
  arrivedAt: string;

  @ApiPropertyExtra({ format: 'date-time' })
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2026-12-01T20:01:00+00:00',
    description: 'Omitted or null: still here. Not before arrivedAt, not in the future',
  })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @Matches(INSTANT, { message: 'leftAt must be an ISO 8601 date-time with offset' })
  leftAt?: string | null;
}
