import { Body, Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, text } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { BookingsService } from '../../../offers/index.js';
import { coordinatorOf } from './principals.js';

const ATTENDANCE = new Set(['attended', 'no_show']);

/** Attendance on a shift's roster, for the signed-in coordinator's own organisation. */
@ApiExcludeController()
@Controller('org/shifts')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorAttendancePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly bookings: BookingsService,
  ) {}

  @Post(':shiftId/bookings/:bookingId/attendance')
  async markAttendance(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('bookingId', UuidPipe) bookingId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const status = text(asFormBody(body), 'status');
    if (!ATTENDANCE.has(status)) throw InvalidInputError.field('status', 'must be attended or no_show');
    await this.bookings.markAttendance(
      coordinatorOf(request).organisationId,
      shiftId,
      bookingId,
      status as 'attended' | 'no_show',
    );
    return this.pages.redirect(reply, `/org/shifts/${shiftId}#roster-heading`);
  }
}
