import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../platform/index.js';
import {
  Allow,
  actingAccountId,
  assertActsForOrganisation,
  CurrentPrincipal,
  type Principal,
} from '../identity/index.js';
import { RosterMessageDto, RosterMessageSentDto, SendRosterMessageDto } from './offers.dto.js';
import { RosterMessagesService } from './roster-messages.service.js';

@ApiTags('offers')
@Controller('api/organisations/:organisationId/shifts/:shiftId/messages')
@Allow('coordinator', 'api_key')
export class RosterMessagesController {
  constructor(private readonly messages: RosterMessagesService) {}

  @Post()
  @ApiOperation({
    summary: 'Email everyone booked on the shift, or those booked in one of its roles',
    description:
      'One email per booked volunteer, from the worker; replies go to the coordinator who wrote it. At most ' +
      'ROSTER_MESSAGES_PER_SHIFT_PER_DAY per shift and ROSTER_MESSAGES_PER_ORGANISATION_PER_DAY per organisation ' +
      'in any 24 hours: more answer 429 `roster-message-limit` with Retry-After. 409: `no-recipients` (nobody booked), ' +
      '`shift-cancelled`, `shift-over` (ended more than a week ago). With `roleId` only that role’s bookings are ' +
      'written to; a `roleId` not of this shift is a 422 naming `roleId`.',
  })
  @ApiCreatedResponse({ type: RosterMessageSentDto, description: 'Stored with its recipients; the emails follow' })
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: SendRosterMessageDto,
  ): Promise<RosterMessageSentDto> {
    assertActsForOrganisation(principal, organisationId);
    const sent = await this.messages.send(organisationId, shiftId, actingAccountId(principal), body);
    return { id: sent.id, recipients: sent.recipients, createdAt: sent.createdAt.toISOString() };
  }

  @Get()
  @ApiOperation({ summary: 'The messages sent to the shift’s roster, newest first, with how many were delivered' })
  @ApiOkResponse({ type: [RosterMessageDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
  ): Promise<RosterMessageDto[]> {
    assertActsForOrganisation(principal, organisationId);
    const rows = await this.messages.list(organisationId, shiftId);
    return rows.map((m) => ({
      id: m.id,
      subject: m.subject,
      body: m.body,
      createdAt: new Date(m.created_at).toISOString(),
      sentBy: m.by_coordinator ? (m.sent_by_name ?? 'A coordinator') : null,
      recipients: m.recipients,
      delivered: m.delivered,
      roleId: m.role_id,
      roleName: m.role_name,
    }));
  }
}
