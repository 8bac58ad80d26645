import { Body, Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, text, validateAs } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { BookingsService, CancelBookingDto, CoverService, OffersQueries } from '../../../offers/index.js';
import { BookingCalendar } from './booking-calendar.js';
import { volunteerIdOf } from './principals.js';

const CANCEL_MESSAGES = [{ field: 'reason', say: 'Keep the reason to 500 characters or fewer, or leave it empty' }];

/** A file name that every system accepts: "evening-meal-service.ics". */
function icsFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60);
  return `${slug || 'kindshift-shift'}.ics`;
}

/** A volunteer's own bookings: calendar file, finding cover and cancelling. Every POST needs the page's CSRF token. */
@ApiExcludeController()
@Controller('me/bookings')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerBookingPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly bookings: BookingsService,
    private readonly calendar: BookingCalendar,
    private readonly queries: OffersQueries,
    private readonly cover: CoverService,
  ) {}

  @Get(':bookingId/calendar.ics')
  async calendarFile(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { content, title } = await this.calendar.invite(volunteerIdOf(request), bookingId);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${icsFileName(title)}"`)
      .type('text/calendar; charset=utf-8; method=REQUEST')
      .send(content);
  }

  @Get(':bookingId/cancel')
  async confirmCancel(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.renderCancel(request, reply, bookingId, new FormState({ reason: '' }));
  }

  @Post(':bookingId/cancel')
  async cancel(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const reason = text(asFormBody(body), 'reason');
    const { problems } = await validateAs(CancelBookingDto, reason ? { reason } : {});
    if (problems.length)
      return this.renderCancel(request, reply, bookingId, new FormState({ reason }, problems, CANCEL_MESSAGES), 422);
    await this.bookings.cancelBooking(volunteerIdOf(request), bookingId, reason);
    return this.pages.redirect(reply, `/me/bookings/${bookingId}/cancelled`);
  }

  private async renderCancel(
    request: FastifyRequest,
    reply: FastifyReply,
    bookingId: string,
    form: FormState,
    status = 200,
  ) {
    const booking = await this.queries.ownBooking(volunteerIdOf(request), bookingId);
    return this.pages.render(
      request,
      reply,
      'volunteer/booking-cancel.eta',
      {
        title: `Cancel your place on “${booking.title}”?`,
        booking,
        cancellable: booking.status === 'confirmed' && !booking.started,
        form,
      },
      status,
    );
  }

  /** "Find someone to cover me": what happens, then one button; or, once asked, where it stands and a way back. */
  @Get(':bookingId/cover')
  async confirmCover(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const volunteerId = volunteerIdOf(request);
    const [booking, state] = await Promise.all([
      this.queries.ownBooking(volunteerId, bookingId),
      this.cover.pageState(volunteerId, bookingId),
    ]);
    return this.pages.render(request, reply, 'volunteer/booking-cover.eta', {
      title: state.open ? 'We’re looking for someone to cover you' : `Find someone to cover “${booking.title}”?`,
      booking,
      state,
    });
  }

  @Post(':bookingId/cover')
  async askCover(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.cover.ask(volunteerIdOf(request), bookingId);
    return this.pages.redirect(reply, `/me/bookings/${bookingId}/cover`);
  }

  @Post(':bookingId/cover/withdraw')
  async withdrawCover(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.cover.withdraw(volunteerIdOf(request), bookingId);
    return this.pages.redirect(reply, '/me');
  }

  @Get(':bookingId/cancelled')
  async cancelled(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const booking = await this.queries.ownBooking(volunteerIdOf(request), bookingId);
    if (booking.status !== 'cancelled') return this.pages.redirect(reply, '/me');
    return this.pages.render(request, reply, 'volunteer/booking-cancelled.eta', {
      title: 'Your booking is cancelled',
      booking,
    });
  }
}
