import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../http/index.js';
import { Allow, assertActsForOrganisation, CurrentPrincipal, type Principal } from '../identity/index.js';
import { AttendanceDto, MyBookingDto, MyOfferAnswerDto, MyOfferDto, OfferAnswerResultDto, RosterDto } from './offers.dto.js';
import { OfferResponsesService } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';

const volunteerOf = (principal: Principal) => (principal as Extract<Principal, { kind: 'volunteer' }>).accountId;

@ApiTags('offers')
@Controller('api')
export class OffersController {
  constructor(
    private readonly queries: OffersQueries,
    private readonly responses: OfferResponsesService,
  ) {}

  @Get('me/offers')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Your pending offers' })
  @ApiOkResponse({ type: [MyOfferDto], description: 'Your pending offers' })
  myOffers(@CurrentPrincipal() principal: Principal) {
    return this.queries.myOffers(volunteerOf(principal));
  }

  @Post('me/offers/:offerId/answer')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Accept or decline one of your offers' })
  @HttpCode(200)
  @ApiOkResponse({ type: OfferAnswerResultDto, description: 'Accept books the place atomically; decline lets the next volunteer in.' })
  answerOffer(@CurrentPrincipal() principal: Principal, @Param('offerId', UuidPipe) offerId: string, @Body() body: MyOfferAnswerDto) {
    return this.responses.answerAsVolunteer(volunteerOf(principal), offerId, body.action);
  }

  @Get('me/bookings')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Your bookings' })
  @ApiOkResponse({ type: [MyBookingDto], description: 'Your bookings, newest shift first' })
  myBookings(@CurrentPrincipal() principal: Principal) {
    return this.queries.myBookings(volunteerOf(principal));
  }

  @Post('me/bookings/:bookingId/cancel')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Cancel your booking' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Cancelled; the place is offered to someone else.' })
  async cancelBooking(@CurrentPrincipal() principal: Principal, @Param('bookingId', UuidPipe) bookingId: string): Promise<void> {
    await this.responses.cancelBooking(volunteerOf(principal), bookingId);
  }

  @Get('organisations/:organisationId/shifts/:shiftId/roster')
  @Allow('coordinator', 'api_key')
  @ApiOperation({ summary: 'A shift’s roster: offers and bookings' })
  @ApiOkResponse({ type: RosterDto })
  roster(@CurrentPrincipal() principal: Principal, @Param('organisationId', UuidPipe) organisationId: string, @Param('shiftId', UuidPipe) shiftId: string) {
    assertActsForOrganisation(principal, organisationId);
    return this.queries.roster(organisationId, shiftId);
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
    await this.responses.markAttendance(organisationId, shiftId, bookingId, body.status);
  }
}
