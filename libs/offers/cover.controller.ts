import { Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
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
import { Allow, CurrentPrincipal, type Principal, volunteerAccountId } from '../identity/index.js';
import { CoverRequestDto } from './offers.dto.js';
import { CoverService } from './cover.service.js';

@ApiTags('offers')
@Controller('api')
export class CoverController {
  constructor(private readonly cover: CoverService) {}

  @Post('me/bookings/:bookingId/cover')
  @Allow('volunteer')
  @ApiOperation({
    summary: 'Find someone to cover your booking',
    description:
      'You keep the place (and stay responsible) while it is offered to the waitlist, then to the best matches; the first ' +
      'who accepts takes it over and you are told. If nobody has by COVER_DEADLINE_HOURS before the start, the place is ' +
      'released and the coordinator told. Asking twice keeps one request.',
  })
  @ApiParam({ name: 'bookingId', format: 'uuid' })
  @ApiCreatedResponse({ type: CoverRequestDto, description: 'Looking for cover' })
  @ApiOkResponse({ type: CoverRequestDto, description: 'Already looking for cover (alreadyOpen: true)' })
  @ApiNotFoundResponse({ description: 'No such booking of yours' })
  @ApiConflictResponse({
    description:
      'problem+json: `cover-deadline-passed` (too close to the start: cancel instead) or `booking-not-coverable` (cancelled, attended…)',
  })
  async ask(
    @CurrentPrincipal() principal: Principal,
    @Param('bookingId', UuidPipe) bookingId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CoverRequestDto> {
    const asked = await this.cover.ask(volunteerAccountId(principal), bookingId);
    reply.status(asked.alreadyOpen ? 200 : 201);
    return asked;
  }

  @Delete('me/bookings/:bookingId/cover')
  @Allow('volunteer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop looking for cover: you keep your booking (nothing happens if no request is open)' })
  @ApiParam({ name: 'bookingId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'No request open any more; pending cover offers are withdrawn' })
  @ApiNotFoundResponse({ description: 'No such booking of yours' })
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('bookingId', UuidPipe) bookingId: string,
  ): Promise<void> {
    await this.cover.withdraw(volunteerAccountId(principal), bookingId);
  }
}
