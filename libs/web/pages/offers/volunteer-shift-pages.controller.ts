import { Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { PageRenderer } from '../../page-renderer.js';
import { RESULT_PAGES, BookingsService } from '../../../offers/index.js';
import { volunteerIdOf } from './principals.js';

/** Booking one of "Shifts that fit you" from /me: a plain form POST with the page's CSRF token. */
@ApiExcludeController()
@Controller('me/shifts')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerShiftPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly bookings: BookingsService,
  ) {}

  @Post(':shiftId/book')
  async book(@Param('shiftId', UuidPipe) shiftId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const booking = await this.bookings.bookShift(volunteerIdOf(request), shiftId);
    if (booking.alreadyBooked) {
      return this.pages.render(request, reply, 'link-done.eta', {
        title: 'You already have this place',
        message: 'Nothing changed: this shift is among your upcoming shifts.',
      });
    }
    return this.pages.render(request, reply, 'link-done.eta', RESULT_PAGES.booked, 201);
  }
}
