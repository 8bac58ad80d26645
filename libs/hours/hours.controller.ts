import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { UuidPipe } from '../platform/index.js';
import {
  actingAccountId,
  Allow,
  assertActsForOrganisation,
  CurrentPrincipal,
  type Principal,
  volunteerAccountId,
} from '../identity/index.js';
import { csvFileName, organisationCsv } from './hours-csv.js';
import {
  HoursAdjustmentDto,
  HoursDecisionDto,
  HoursEntryDto,
  HoursPeriodQueryDto,
  LogHoursDto,
  MyHoursDto,
} from './hours.dto.js';
import { HoursService } from './hours.service.js';

/** The volunteer's own hours: totals, entries, and logging work done off the platform. */
@ApiTags('hours')
@Controller('api/me/hours')
@Allow('volunteer')
export class MyHoursController {
  constructor(private readonly hours: HoursService) {}

  @Get()
  @ApiOperation({ summary: 'Your hours: total, per organisation, and every entry with its status' })
  @ApiOkResponse({ type: MyHoursDto })
  mine(@CurrentPrincipal() principal: Principal) {
    return this.hours.mine(volunteerAccountId(principal));
  }

  @Post()
  @ApiOperation({ summary: 'Log hours done off the platform (pending until a coordinator approves)' })
  @ApiCreatedResponse({ type: HoursEntryDto })
  log(@CurrentPrincipal() principal: Principal, @Body() body: LogHoursDto) {
    return this.hours.log(volunteerAccountId(principal), body);
  }
}

/** An organisation's hours ledger: its coordinators (session) and integrations (API key) only. */
@ApiTags('hours')
@Controller('api/organisations/:organisationId')
@Allow('coordinator', 'api_key')
export class OrganisationHoursController {
  constructor(private readonly hours: HoursService) {}

  @Get('hours')
  @ApiOperation({ summary: "The organisation's hours entries for a period" })
  @ApiOkResponse({ type: [HoursEntryDto] })
  list(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Query() query: HoursPeriodQueryDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.hours.organisationHours(organisationId, query);
  }

  @Get('hours.csv')
  @ApiOperation({ summary: "Export the organisation's hours for a period (CSV, one row per entry)" })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'Volunteer, date, shift or activity, minutes, hours, source, status',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async csv(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Query() query: HoursPeriodQueryDto,
    @Res() reply: FastifyReply,
  ) {
    assertActsForOrganisation(p, organisationId);
    const entries = await this.hours.organisationHours(organisationId, query);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${csvFileName(query)}"`)
      .type('text/csv; charset=utf-8')
      .send(await organisationCsv(entries));
  }

  @Post('hours/:entryId/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve or decline hours a volunteer logged' })
  @ApiOkResponse({ type: HoursEntryDto })
  decide(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: HoursDecisionDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.hours.decide(organisationId, entryId, body.decision, body.note ?? null, actingAccountId(p));
  }

  @Post('hours/:entryId/adjustment')
  @HttpCode(200)
  @ApiOperation({ summary: "Adjust a shift entry's credited minutes, with a reason" })
  @ApiOkResponse({ type: HoursEntryDto })
  adjust(
    @CurrentPrincipal() p: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: HoursAdjustmentDto,
  ) {
    assertActsForOrganisation(p, organisationId);
    return this.hours.adjust(organisationId, entryId, body, actingAccountId(p));
  }
}
