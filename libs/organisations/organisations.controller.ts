import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../platform/index.js';
import {
  actingAccountId,
  Allow,
  assertActsForOrganisation,
  CurrentPrincipal,
  type Principal,
} from '../identity/index.js';
import {
  AddressDto,
  CancelShiftDto,
  CoordinatorInviteDto,
  InvitedCoordinatorDto,
  CreatedOrganisationDto,
  CreateOrganisationDto,
  CreateSeriesDto,
  CreateShiftDto,
  ListShiftsQueryDto,
  OrganisationResponseDto,
  SeriesResponseDto,
  ShiftResponseDto,
  UpdateShiftDto,
} from './organisation.dto.js';
import { OrganisationsService } from './organisations.service.js';
import { SeriesService } from './series.service.js';
import { ShiftsService } from './shifts.service.js';

@ApiTags('operator')
@Controller('api/admin/organisations')
@Allow('operator')
export class AdminOrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an organisation and invite its first coordinator' })
  @ApiCreatedResponse({ type: CreatedOrganisationDto, description: 'The first coordinator is emailed a sign-in link.' })
  create(@Body() body: CreateOrganisationDto): Promise<CreatedOrganisationDto> {
    return this.organisations.create(body);
  }

  @Post(':organisationId/coordinators')
  @ApiOperation({ summary: 'Invite another coordinator' })
  @ApiCreatedResponse({ type: InvitedCoordinatorDto, description: 'Another coordinator, invited by email.' })
  addCoordinator(@Param('organisationId', UuidPipe) organisationId: string, @Body() body: CoordinatorInviteDto) {
    return this.organisations.addCoordinator(organisationId, body);
  }
}

/** Everything under one organisation: its coordinators (session) and integrations (API key) only. */
@ApiTags('organisations')
@Controller('api/organisations/:organisationId')
@Allow('coordinator', 'api_key')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly shifts: ShiftsService,
    private readonly series: SeriesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Get the organisation' })
  @ApiOkResponse({ type: OrganisationResponseDto })
  get(@CurrentPrincipal() p: Principal, @Param('organisationId', UuidPipe) organisationId: string) {
    assertActsForOrganisation(p, organisationId);
    return this.organisations.get(organisationId);
  }

  @Post('addresses')
  @Allow('coordinator')
  @ApiOperation({ summary: 'Add an address' })
  @ApiCreatedResponse({ type: OrganisationResponseDto })
  addAddress(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Body() body: AddressDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.organisations.addAddress(organisationId, body);
  }

  @Post('shifts')
  @ApiOperation({ summary: 'Create a shift' })
  @ApiCreatedResponse({ type: ShiftResponseDto })
  createShift(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Body() body: CreateShiftDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.shifts.create(organisationId, body, actingAccountId(p));
  }

  @Get('shifts')
  @ApiOperation({ summary: 'List shifts' })
  @ApiOkResponse({ type: [ShiftResponseDto] })
  listShifts(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Query() query: ListShiftsQueryDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.shifts.list(organisationId, query);
  }

  @Get('shifts/:shiftId')
  @ApiOperation({ summary: 'Get a shift' })
  @ApiOkResponse({ type: ShiftResponseDto })
  getShift(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.shifts.get(organisationId, shiftId);
  }

  @Patch('shifts/:shiftId')
  @ApiOperation({ summary: 'Change a shift' })
  @ApiOkResponse({ type: ShiftResponseDto, description: 'Changes are recorded so booked volunteers can be told.' })
  updateShift(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: UpdateShiftDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.shifts.update(organisationId, shiftId, body, actingAccountId(p));
  }

  @Post('shifts/:shiftId/publish')
  @ApiOperation({ summary: 'Publish a draft shift (offers start)' })
  @ApiCreatedResponse({ type: ShiftResponseDto, description: 'draft → open' })
  publishShift(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.shifts.publish(organisationId, shiftId, actingAccountId(p));
  }

  @Post('shifts/:shiftId/cancel')
  @ApiOperation({
    summary:
      'Cancel a shift: bookings are cancelled (volunteers are emailed, with the reason if given) and pending offers withdrawn',
  })
  @ApiCreatedResponse({ type: ShiftResponseDto })
  cancelShift(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: CancelShiftDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.shifts.cancel(organisationId, shiftId, actingAccountId(p), body?.reason);
  }

  @Post('series')
  @ApiOperation({ summary: 'Create a weekly series of shifts' })
  @ApiCreatedResponse({
    type: SeriesResponseDto,
    description: 'Concrete shifts are generated ahead of time, in the organisation’s time zone.',
  })
  createSeries(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Body() body: CreateSeriesDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.series.createSeries(organisationId, body, actingAccountId(p));
  }

  @Get('series/:seriesId')
  @ApiOperation({ summary: 'Get a series' })
  @ApiOkResponse({ type: SeriesResponseDto })
  getSeries(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('seriesId', UuidPipe) seriesId: string,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.series.getSeries(organisationId, seriesId);
  }

  @Post('series/:seriesId/cancel')
  @ApiOperation({ summary: 'Cancel a series' })
  @ApiCreatedResponse({ type: SeriesResponseDto, description: 'Cancels the series and its upcoming shifts.' })
  cancelSeries(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('seriesId', UuidPipe) seriesId: string,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.series.cancelSeries(organisationId, seriesId, actingAccountId(p));
  }
}
