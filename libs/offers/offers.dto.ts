import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { ApiPropertyExtra, IsOmittable } from '../platform/index.js';

export class OfferLinkQueryDto {
  @ApiProperty() @IsString() @Length(20, 200) token: string;
  @ApiPropertyOptional({ enum: ['accept', 'decline'], description: 'Which button the email link pre-selects' })
  @IsOmittable()
  @IsIn(['accept', 'decline'], { message: 'action must be accept or decline' })
  action?: 'accept' | 'decline';
}

/** Answering one of your own offers while signed in (your page or the API). */
export class MyOfferAnswerDto {
  @ApiProperty({ enum: ['accept', 'decline'] })
  @IsIn(['accept', 'decline'], { message: 'action must be accept or decline' })
  action: 'accept' | 'decline';
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
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(20, 200) token?: string;
  @ApiPropertyOptional({ example: 'One-Click' }) @IsOmittable() @IsString() @Length(1, 20) 'List-Unsubscribe'?: string;
}

export class OfferAnswerResultDto {
  @ApiProperty({ enum: ['booked', 'declined', 'filled', 'overlap', 'closed'] }) outcome: string;
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiPropertyOptional({ format: 'uuid' }) bookingId?: string;
  @ApiPropertyOptional({ description: 'For closed offers: accepted, declined, expired or withdrawn' }) status?: string;
  @ApiPropertyOptional({
    description:
      'With `filled`: it was a cover offer, and someone else covered the place (or its deadline passed) first',
  })
  cover?: boolean;
}

export class SelfBookingResultDto {
  @ApiProperty({ enum: ['booked'] }) outcome: string;
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({
    description: 'true when you already held this place (answered 200): nothing was booked or sent again',
  })
  alreadyBooked: boolean;
}

/** Cancelling one's own booking; the reason is optional and goes to the organisation's coordinators only. */
export class CancelBookingDto {
  @ApiPropertyOptional({
    maxLength: 500,
    description: 'Why, in your words (optional); the coordinator sees it on the roster',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason?: string;
}

export class AttendanceDto {
  @ApiProperty({ enum: ['attended', 'no_show'] })
  @IsIn(['attended', 'no_show'], { message: 'status must be attended or no_show' })
  status: 'attended' | 'no_show';
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
  @ApiProperty({ format: 'uuid', description: 'The role of the shift the place or offer is for' }) roleId: string;
  @ApiProperty({ example: 'Kitchen lead', description: '“Volunteer” on a shift posted without roles' })
  roleName: string;
  @ApiPropertyOptional({ format: 'uuid' }) bookingId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) offerId?: string;
  @ApiPropertyOptional({ type: 'integer' }) wave?: number;
  @ApiPropertyOptional({ description: 'For a booking the volunteer cancelled: their reason, when they gave one' })
  cancelReason?: string;
  @ApiPropertyOptional({
    description: 'For a booking the volunteer cancelled: whether it was within LATE_CANCEL_HOURS of the start',
  })
  cancelledLate?: boolean;
  @ApiPropertyOptional({ description: 'For an offer: true when it asks to cover a booked volunteer’s place' })
  cover?: boolean;
}

export class RosterCoverRequestDto {
  @ApiProperty({ format: 'uuid' }) coverRequestId: string;
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({ format: 'uuid' }) volunteerId: string;
  @ApiProperty({ description: 'The booked volunteer looking for cover (they keep the place meanwhile)' }) name: string;
  @ApiProperty({ format: 'date-time', description: 'Released (the place freed and offered) if nobody covers by then' })
  deadline: string;
}

export class RosterSwapDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'Sun 06 Dec, 14:05', description: 'When, on the organisation’s wall clock' }) atLocal: string;
  @ApiProperty({ format: 'uuid' }) fromBookingId: string;
  @ApiProperty({ format: 'uuid' }) toBookingId: string;
  @ApiProperty({ example: 'Ada L.' }) fromName: string;
  @ApiProperty({ example: 'Ben K.' }) toName: string;
}

export class RosterDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty({ type: 'integer' }) capacity: number;
  @ApiProperty({ type: 'integer' }) filled: number;
  @ApiProperty() status: string;
  @ApiProperty({ type: [RosterEntryDto] }) entries: RosterEntryDto[];
  @ApiProperty({ type: [RosterCoverRequestDto], description: 'Open requests to find cover' })
  coverRequests: RosterCoverRequestDto[];
  @ApiProperty({ type: [RosterSwapDto], description: 'Places handed over by cover, oldest first' })
  swaps: RosterSwapDto[];
}

export class CoverRequestDto {
  @ApiProperty({ format: 'uuid' }) coverRequestId: string;
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({ format: 'date-time', description: 'If nobody covers by then, the place is released' })
  deadline: string;
  @ApiProperty({ description: 'True when the request was open already: nothing changed' }) alreadyOpen: boolean;
}

export class ShiftOfferCountsDto {
  @ApiProperty({ description: 'Written but not emailed yet (a wave going out, or held back by quiet hours)' })
  queued: number;
  @ApiProperty({ description: 'Emailed, whatever became of them' }) sent: number;
  @ApiProperty({ description: 'Emailed and waiting for an answer' }) waiting: number;
  @ApiProperty() accepted: number;
  @ApiProperty() declined: number;
  @ApiProperty({ description: 'Not answered in time' }) expired: number;
  @ApiProperty({ description: 'Withdrawn because the shift filled, changed or was cancelled' }) withdrawn: number;
}

/** Where a shift's offers stand: the numbers, and the same in words for the coordinator's page. */
export class ShiftProgressDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty({ enum: ['draft', 'cancelled', 'closed', 'filled', 'preparing', 'sending', 'waiting', 'exhausted'] })
  state: string;
  @ApiProperty() capacity: number;
  @ApiProperty() filled: number;
  @ApiProperty() openPlaces: number;
  @ApiProperty({ type: ShiftOfferCountsDto }) offers: ShiftOfferCountsDto;
  @ApiProperty({ example: 'A wave is going out: 2 offers emailed, 2 still being sent.' }) headline: string;
  @ApiProperty({ type: String, nullable: true }) detail: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'When to look again: seconds while a wave goes out or answers come in, null when nothing is moving',
  })
  refreshSeconds: number | null;
}

export class OffersPausedDto {
  @ApiProperty({ enum: [true] }) paused: boolean;
}

/** A coordinator's message to everyone booked on a shift (see RosterMessagesService for the caps). */
export class SendRosterMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Use the side door on Saturday' })
  @IsString()
  @Length(1, 120, { message: 'subject must be 1 to 120 characters' })
  @Matches(/\S/, { message: 'subject must not be blank' })
  @Matches(/^[^\r\n]*$/, { message: 'subject must be one line' })
  subject: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 2000,
    description: 'Plain text; each line becomes a paragraph of the email',
    example: 'The front is being painted.\nPlease come in through the side door on Mill Lane.',
  })
  @IsString()
  @Length(1, 2000, { message: 'body must be 1 to 2000 characters' })
  @Matches(/\S/, { message: 'body must not be blank' })
  body: string;

  @ApiPropertyExtra({ format: 'uuid' })
  @ApiPropertyOptional({
    description:
      'Write only to the volunteers booked in this role of the shift (its `roles[].id`); omit for everyone booked',
  })
  @IsOmittable()
  @IsUUID('all', { message: 'roleId must be a UUID' })
  roleId?: string;
}

export class RosterMessageSentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', description: 'Volunteers booked on the shift now, each emailed once' })
  recipients: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class RosterMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The coordinator who wrote it; null when sent with an API key',
  })
  sentBy: string | null;
  @ApiProperty({ type: 'integer' }) recipients: number;
  @ApiProperty({ type: 'integer', description: 'Emails accepted by the mail server so far' }) delivered: number;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The role it went to; null when it went to everyone booked (or the role was removed since)',
  })
  roleId: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'That role’s name when it was sent; null: everyone booked',
  })
  roleName: string | null;
}

/** Which role's line to join (ADR 0029). */
export class WaitlistJoinQueryDto {
  @ApiPropertyExtra({ format: 'uuid' })
  @ApiPropertyOptional({ description: 'The role whose line to join; required when the shift has more than one role' })
  @IsOmittable()
  @IsUUID('all', { message: 'roleId must be a UUID' })
  roleId?: string;
}

export class WaitlistPlaceDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: '1 is next in line' }) position: number;
  @ApiProperty() alreadyWaiting: boolean;
}

export class MyWaitlistDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty() title: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) position: number;
}

export class WaitlistEntryDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) position: number;
  @ApiProperty({ format: 'uuid' }) volunteerId: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) joinedAt: string;
}
