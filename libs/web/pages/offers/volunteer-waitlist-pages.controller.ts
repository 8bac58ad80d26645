import { Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { formatLocalInterval } from '../../../organisations/index.js';
import { WaitlistService } from '../../../offers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { PageRenderer } from '../../page-renderer.js';
import { volunteerIdOf } from './principals.js';

const DONE: Record<string, string> = {
  joined: 'You are on the waitlist. If a place frees, we hold it for you and email you.',
  left: 'You have left the waitlist.',
};

/**
 * A full shift's waitlist for the signed-in volunteer: their place in line, join and leave (each
 * one form POST with the page's CSRF token). The offer page that says a shift filled links here.
 */
@ApiExcludeController()
@Controller('me/shifts')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerWaitlistPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly waitlist: WaitlistService,
  ) {}

  @Get(':shiftId/waitlist')
  show(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Query('done') done: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.render(request, reply, shiftId, DONE[done ?? ''] ?? null);
  }

  @Post(':shiftId/waitlist')
  async join(@Param('shiftId', UuidPipe) shiftId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      await this.waitlist.join(volunteerIdOf(request), shiftId);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
      return this.render(request, reply, shiftId, null, error.message, 409);
    }
    return this.pages.redirect(reply, `/me/shifts/${shiftId}/waitlist?done=joined`);
  }

  @Post(':shiftId/waitlist/leave')
  async leave(@Param('shiftId', UuidPipe) shiftId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.waitlist.leave(volunteerIdOf(request), shiftId);
    return this.pages.redirect(reply, `/me/shifts/${shiftId}/waitlist?done=left`);
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    shiftId: string,
    done: string | null,
    problem: string | null = null,
    status = 200,
  ) {
    const { shift, position } = await this.waitlist.page(volunteerIdOf(request), shiftId);
    return this.pages.render(
      request,
      reply,
      'volunteer/waitlist.eta',
      {
        title: `Waitlist: ${shift.title}`,
        shift: {
          ...shift,
          localTime: formatLocalInterval(new Date(shift.starts_at), new Date(shift.ends_at), shift.time_zone),
          full: shift.filled >= shift.capacity,
        },
        position,
        done,
        problem,
      },
      status,
    );
  }
}
