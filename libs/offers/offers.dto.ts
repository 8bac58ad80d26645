import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class OfferLinkQueryDto {
  @ApiProperty() @IsString() @Length(20, 200) token: string;
  @ApiPropertyOptional({ enum: ['accept', 'decline'], description: 'Which button the email link pre-selects' })
  @IsOptional() @IsIn(['accept', 'decline'], { message: 'action must be accept or decline' }) action?: 'accept' | 'decline';
}

/** Answering one of your own offers while signed in (your page or the API). */
export class MyOfferAnswerDto {
  @ApiProperty({ enum: ['accept', 'decline'] }) @IsIn(['accept', 'decline'], { message: 'action must be accept or decline' }) action: 'accept' | 'decline';
}

/** Answering an offer from its emailed link: the same answer, plus the link's token. */
export class OfferAnswerDto extends MyOfferAnswerDto {
  @ApiProperty() @IsString() @Length(20, 200) token: string;
}

/** RFC 8058 one-click: the mail client POSTs `List-Unsubscribe=One-Click` to the URL that carries the token. */
export class UnsubscribeQueryDto {
  @ApiProperty() @IsString() @Length(20, 200) token: string;
}

export class UnsubscribeBodyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(20, 200) token?: string;
  @ApiPropertyOptional({ example: 'One-Click' }) @IsOptional() @IsString() @Length(1, 20) 'List-Unsubscribe'?: string;
}

export class OfferAnswerResultDto {
  @ApiProperty({ enum: ['booked', 'declined', 'filled', 'overlap', 'closed'] }) outcome: string;
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiPropertyOptional({ format: 'uuid' }) bookingId?: string;
  @ApiPropertyOptional({ description: 'For closed offers: accepted, declined, expired or withdrawn' }) status?: string;
}

export class AttendanceDto {
  @ApiProperty({ enum: ['attended', 'no_show'] }) @IsIn(['attended', 'no_show'], { message: 'status must be attended or no_show' }) status: 'attended' | 'no_show';
}

export class MyOfferDto {
  @ApiProperty({ format: 'uuid' }) offerId: string;
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty() title: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ description: 'In your time zone' }) localTime: string;
  @ApiProperty() explanation: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class MyBookingDto {
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty() title: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ description: 'In your time zone' }) localTime: string;
  @ApiProperty({ enum: ['confirmed', 'cancelled', 'attended', 'no_show'] }) status: string;
}

export class RosterEntryDto {
  @ApiProperty({ format: 'uuid' }) volunteerId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['offer', 'booking'] }) kind: string;
  @ApiProperty({ description: 'Offer or booking status' }) status: string;
  @ApiPropertyOptional({ format: 'uuid' }) bookingId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) offerId?: string;
  @ApiPropertyOptional({ type: 'integer' }) wave?: number;
}

export class RosterDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty({ type: 'integer' }) capacity: number;
  @ApiProperty({ type: 'integer' }) filled: number;
  @ApiProperty() status: string;
  @ApiProperty({ type: [RosterEntryDto] }) entries: RosterEntryDto[];
}

export class OffersPausedDto {
  @ApiProperty({ enum: [true] }) paused: boolean;
}
