import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { UuidPipe } from '../platform/index.js';
import {
  Allow,
  assertActsForOrganisation,
  CurrentPrincipal,
  type Principal,
  volunteerAccountId,
} from '../identity/index.js';
import {
  AttendanceDto,
  CancelBookingDto,
  MyBookingDto,
  MyOfferAnswerDto,
  MyOfferDto,
  OfferAnswerResultDto,
  RosterDto,
  SelfBookingResultDto,
  ShiftProgressDto,
} from './offers.dto.js';
import { BookingsService } from './bookings.service.js';
import { OfferResponsesService } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';

@ApiTags('offers')
@Controller('api')
export class OffersController {
  constructor(
    private readonly queries: OffersQueries,
    private readonly responses: OfferResponsesService,
    private readonly bookings: BookingsService,
  ) {}

  @Get('me/offers')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Your pending offers' })
  @ApiOkResponse({ type: [MyOfferDto], description: 'Your pending offers' })
  myOffers(@CurrentPrincipal() principal: Principal) {
    return this.queries.myOffers(volunteerAccountId(principal));
  }

  @Post('me/offers/:offerId/answer')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Accept or decline one of your offers' })
  @HttpCode(200)
  @ApiOkResponse({
    type: OfferAnswerResultDto,
    description: 'Accept books the place atomically; decline lets the next volunteer in.',
  })
  answerOffer(
    @CurrentPrincipal() principal: Principal,
    @Param('offerId', UuidPipe) offerId: string,
    @Body() body: MyOfferAnswerDto,
  ) {
    return this.responses.answerAsVolunteer(volunteerAccountId(principal), offerId, body.action);
  }

  @Post('me/shifts/:shiftId/book')
  @Allow('volunteer')
  @ApiOperation({
    summary: 'Book an open shift that fits you (one of GET /api/me/shifts), without waiting for an offer',
  })
  @ApiParam({ name: 'shiftId', format: 'uuid' })
  @ApiCreatedResponse({
    type: SelfBookingResultDto,
    description: 'Booked: the same confirmation email with a calendar invite as accepting an offer',
  })
  @ApiOkResponse({
    type: SelfBookingResultDto,
    description: 'You already held this place (alreadyBooked: true); nothing changed',
  })
  @ApiNotFoundResponse({ description: 'No such shift, or it is not published' })
  @ApiConflictResponse({
    description:
      'problem+json: `shift-filled` (no place left), `shift-not-open` (cancelled, started or over), `booking-cancelled` (you cancelled your place on it), ' +
      'or `shift-does-not-fit` with `rule` naming the hard rule you fail (skills, availability, away, booking_overlap, weekly_cap, too_far, cause, declined, blocked, paused, unverified)',
  })
  async bookShift(
    @CurrentPrincipal() principal: Principal,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SelfBookingResultDto> {
    const booking = await this.bookings.bookShift(volunteerAccountId(principal), shiftId);
    reply.status(booking.alreadyBooked ? 200 : 201);
    return booking;
  }

  @Get('me/bookings')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Your bookings' })
  @ApiOkResponse({ type: [MyBookingDto], description: 'Your bookings, newest shift first' })
  myBookings(@CurrentPrincipal() principal: Principal) {
    return this.queries.myBookings(volunteerAccountId(principal));
  }

  @Post('me/bookings/:bookingId/cancel')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Cancel your booking' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel your own upcoming booking, optionally saying why' })
  @ApiNoContentResponse({ description: 'Cancelled; the place is offered to someone else.' })
  async cancelBooking(
    @CurrentPrincipal() principal: Principal,
    @Param('bookingId', UuidPipe) bookingId: string,
    @Body() body: CancelBookingDto,
  ): Promise<void> {
    await this.bookings.cancelBooking(volunteerAccountId(principal), bookingId, body?.reason);
  }

  @Get('organisations/:organisationId/shifts/:shiftId/roster')
  @Allow('coordinator', 'api_key')
  @ApiOperation({ summary: 'A shift’s roster: offers and bookings' })
  @ApiOkResponse({ type: RosterDto })
  roster(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
  ) {
    assertActsForOrganisation(principal, organisationId);
    return this.queries.roster(organisationId, shiftId);
  }

  @Get('organisations/:organisationId/shifts/:shiftId/progress')
  @Allow('coordinator', 'api_key')
  @ApiOperation({
    summary: 'Where the shift’s offers stand: queued, sent, answered, open places, and the same in words',
  })
  @ApiOkResponse({ type: ShiftProgressDto })
  progress(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
  ) {
    assertActsForOrganisation(principal, organisationId);
    return this.queries.progress(organisationId, shiftId);
  }

  @Post('organisations/:organisationId/shifts/:shiftId/bookings/:bookingId/attendance')
  @Allow('coordinator', 'api_key')
  @ApiOperation({ summary: 'Record attendance for a booking' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Attendance recorded; it feeds the reliability used in matching.' })
  async attendance(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('bookingId', UuidPipe) bookingId: string,
    @Body() body: AttendanceDto,
  ): Promise<void> {
    assertActsForOrganisation(principal, organisationId);
    await this.bookings.markAttendance(organisationId, shiftId, bookingId, body.status);
  }
}
