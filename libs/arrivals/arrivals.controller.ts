import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../platform/index.js';
import { Allow, assertActsForOrganisation, CurrentPrincipal, type Principal } from '../identity/index.js';
import { ArrivalDto, PutArrivalDto, ShiftArrivalsDto } from './arrivals.dto.js';
import { ArrivalsService } from './arrivals.service.js';

/** Arrival at the door for integrators: the door records of a shift, and recording one with its times. */
@ApiTags('arrivals')
@Controller('api/organisations/:organisationId/shifts/:shiftId/arrivals')
@Allow('coordinator', 'api_key')
export class ArrivalsController {
  constructor(private readonly arrivals: ArrivalsService) {}

  @Get()
  @ApiOperation({ summary: 'Who arrived and left at a shift (QR code, kiosk or coordinator)' })
  @ApiOkResponse({ type: ShiftArrivalsDto })
  @ApiNotFoundResponse({ description: 'No such shift in this organisation' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
  ): Promise<ShiftArrivalsDto> {
    assertActsForOrganisation(principal, organisationId);
    return this.arrivals.listArrivals(organisationId, shiftId);
  }

  @Put(':bookingId')
  @ApiOperation({
    summary: 'Record when a booked volunteer arrived (and left); marks the booking attended',
    description:
      'Replaces the booking’s door record. A no-show mark is corrected to attended, as when a coordinator marks it.',
  })
  @ApiOkResponse({ type: ArrivalDto, description: 'The door record as stored' })
  @ApiNotFoundResponse({ description: 'No such shift in this organisation, or no live booking of it' })
  @ApiConflictResponse({ description: 'problem+json `arrival-not-open`: arrival for the shift has not opened yet' })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('bookingId', UuidPipe) bookingId: string,
    @Body() body: PutArrivalDto,
  ): Promise<ArrivalDto> {
    assertActsForOrganisation(principal, organisationId);
    return this.arrivals.putArrival(organisationId, shiftId, bookingId, {
      arrivedAt: new Date(body.arrivedAt),
      leftAt: body.leftAt ? new Date(body.leftAt) : null,
    });
  }
}
