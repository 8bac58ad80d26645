import { Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
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
import { MyWaitlistDto, WaitlistEntryDto, WaitlistJoinQueryDto, WaitlistPlaceDto } from './offers.dto.js';
import { WaitlistService } from './waitlist.service.js';

@ApiTags('offers')
@Controller('api')
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post('me/shifts/:shiftId/waitlist')
  @Allow('volunteer')
  @ApiOperation({
    summary: 'Join the waitlist of a full shift that fits you',
    description:
      'When a place frees, the first in line who still fits gets it held for WAITLIST_HOLD_MINUTES (an email with ' +
      'Yes / No, like an offer) before anyone else is asked; then the next. Joining twice keeps one place.',
  })
  @ApiParam({ name: 'shiftId', format: 'uuid' })
  @ApiCreatedResponse({ type: WaitlistPlaceDto, description: 'You are in line; `position` 1 is next' })
  @ApiOkResponse({ type: WaitlistPlaceDto, description: 'You were in line already (alreadyWaiting: true)' })
  @ApiConflictResponse({
    description:
      'problem+json: `shift-has-places` (book it instead), `shift-not-open`, `already-booked`, `seat-held` (answer your offer), ' +
      'or `shift-does-not-fit` with `rule` naming the hard rule you fail',
  })
  async join(
    @CurrentPrincipal() principal: Principal,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Query() query: WaitlistJoinQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WaitlistPlaceDto> {
    const place = await this.waitlist.join(volunteerAccountId(principal), shiftId, query.roleId ?? null);
    reply.status(place.alreadyWaiting ? 200 : 201);
    return place;
  }

  @Delete('me/shifts/:shiftId/waitlist')
  @Allow('volunteer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave a shift’s waitlist (nothing happens if you were not on it)' })
  @ApiNoContentResponse({ description: 'Not waiting any more' })
  async leave(@CurrentPrincipal() principal: Principal, @Param('shiftId', UuidPipe) shiftId: string): Promise<void> {
    await this.waitlist.leave(volunteerAccountId(principal), shiftId);
  }

  @Get('me/waitlist')
  @Allow('volunteer')
  @ApiOperation({ summary: 'The waitlists you are on, with your place in each' })
  @ApiOkResponse({ type: [MyWaitlistDto] })
  async mine(@CurrentPrincipal() principal: Principal): Promise<MyWaitlistDto[]> {
    const rows = await this.waitlist.mine(volunteerAccountId(principal));
    return rows.map((r) => ({
      shiftId: r.shift_id,
      title: r.title,
      organisationName: r.organisation_name,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      position: r.position,
    }));
  }

  @Get('organisations/:organisationId/shifts/:shiftId/waitlist')
  @Allow('coordinator', 'api_key')
  @ApiOperation({ summary: 'A shift’s waitlist, in order' })
  @ApiOkResponse({ type: [WaitlistEntryDto] })
  async queue(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
  ): Promise<WaitlistEntryDto[]> {
    assertActsForOrganisation(principal, organisationId);
    const rows = await this.waitlist.queue(organisationId, shiftId);
    return rows.map((r, i) => ({
      position: i + 1,
      volunteerId: r.volunteer_id,
      name: r.name,
      joinedAt: new Date(r.joined_at).toISOString(),
    }));
  }
}
