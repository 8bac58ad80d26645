import { Body, Controller, Get, Inject, Injectable, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  pgArray,
  InvalidInputError,
  NotFoundError,
  UuidPipe,
  calendarInvite,
} from '../../../platform/index.js';
import { Allow, type Principal } from '../../../identity/index.js';
import { formatLocalInterval } from '../../../organisations/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, text, validateAs } from '../../forms.js';
import type {
  ActivityItem,
  RosterEntry,
  ShiftActivitySource,
  ShiftFill,
  ShiftProgressView,
  VolunteerActivity,
  VolunteerActivitySource,
} from '../../page-extensions.js';
import { PageRenderer, principalOf } from '../../page-renderer.js';
import { formatInstant } from '../../time.js';
import {
  RESULT_PAGES,
  BookingsService,
  OfferResponsesService,
  CancelBookingDto,
  type MyBookingDto,
  CALENDAR_SEQUENCE_SQL,
  OffersQueries,
} from '../../../offers/index.js';

/** How a volunteer's own booking reads on their page (kind words; a no-show is never scolded). */
const BOOKING_STATUS: Record<string, string> = {
  confirmed: 'Booked',
  attended: 'Attended — thank you!',
  no_show: 'Marked as missed',
  cancelled: 'Cancelled',
};

/** Offer and booking states on a coordinator's roster. */
const ROSTER_STATUS: Record<string, string> = {
  pending: 'waiting for an answer',
  declined: 'declined',
  expired: 'expired without an answer',
  withdrawn: 'withdrawn',
  confirmed: 'confirmed',
  attended: 'attended',
  no_show: 'did not come (no-show)',
  cancelled: 'cancelled by the volunteer',
};

const ATTENDANCE = new Set(['attended', 'no_show']);

const CANCEL_MESSAGES = [{ field: 'reason', say: 'Keep the reason to 500 characters or fewer, or leave it empty' }];

/**
 * What the offer pipeline adds to the web pages: the volunteer's pending offers, upcoming bookings
 * and history on /me, and the fill state and roster (with attendance actions) on /org.
 */
@Injectable()
export class OffersPageSources implements VolunteerActivitySource, ShiftActivitySource {
  constructor(
    private readonly queries: OffersQueries,
    private readonly em: EntityManager,
  ) {}

  async forVolunteer(volunteerId: string, timeZone: string): Promise<VolunteerActivity> {
    const [offers, bookings] = await Promise.all([
      this.queries.myOffers(volunteerId),
      this.queries.myBookings(volunteerId),
    ]);
    const now = Date.now();
    const pendingOffers: ActivityItem[] = offers.map((offer) => ({
      title: offer.title,
      organisationName: offer.organisationName,
      localTime: offer.localTime,
      status: 'Waiting for your answer',
      detail: `Why you: ${offer.explanation}. Answer here or from the offer email; it is open until ${formatInstant(offer.expiresAt, timeZone)}.`,
      actions: [
        {
          label: 'Yes, I’ll come',
          href: `/me/offers/${offer.offerId}/answer`,
          method: 'post' as const,
          fields: { action: 'accept' },
        },
        {
          label: 'No, thanks',
          href: `/me/offers/${offer.offerId}/answer`,
          method: 'post' as const,
          fields: { action: 'decline' },
        },
      ],
    }));
    const upcoming = bookings.filter((b) => b.status === 'confirmed' && new Date(b.endsAt).getTime() > now).reverse();
    const history = bookings.filter((b) => !upcoming.includes(b));
    return {
      pendingOffers,
      upcomingBookings: upcoming.map((booking) => this.upcomingItem(booking, now)),
      history: history.map((booking) => ({
        title: booking.title,
        organisationName: booking.organisationName,
        localTime: booking.localTime,
        status:
          booking.status === 'confirmed'
            ? 'Booked · attendance not marked yet'
            : (BOOKING_STATUS[booking.status] ?? booking.status),
      })),
    };
  }

  private upcomingItem(booking: MyBookingDto, now: number): ActivityItem {
    const started = new Date(booking.startsAt).getTime() <= now;
    return {
      title: booking.title,
      organisationName: booking.organisationName,
      localTime: booking.localTime,
      status: started ? 'Happening now' : BOOKING_STATUS.confirmed,
      actions: [
        { label: 'Add to calendar', href: `/me/bookings/${booking.bookingId}/calendar.ics` },
        // A confirmation page first: one tap on a phone must not give the place away.
        ...(started ? [] : [{ label: 'Cancel booking…', href: `/me/bookings/${booking.bookingId}/cancel` }]),
      ],
    };
  }

  async fillFor(organisationId: string, shiftIds: string[]): Promise<Map<string, ShiftFill>> {
    if (shiftIds.length === 0) return new Map();
    const rows: Array<{ id: string; offered: number; booked: number }> = await this.em.fork().execute(
      `select s.id,
              (select count(*)::int from offers f where f.shift_id = s.id and f.status = 'pending' and f.expires_at > now()) as offered,
              (select count(*)::int from bookings b where b.shift_id = s.id and b.status in ('confirmed', 'attended', 'no_show')) as booked
         from shifts s where s.organisation_id = ? and s.id = any(cast(? as uuid[]))`,
      [organisationId, pgArray(shiftIds)],
    );
    return new Map(rows.map((row) => [row.id, { offered: row.offered, booked: row.booked }]));
  }

  progress(organisationId: string, shiftId: string): Promise<ShiftProgressView> {
    return this.queries.progress(organisationId, shiftId);
  }

  async roster(organisationId: string, shiftId: string): Promise<RosterEntry[]> {
    const [roster, [shift]] = await Promise.all([
      this.queries.roster(organisationId, shiftId),
      this.em
        .fork()
        .execute(`select starts_at <= now() as started from shifts where id = ? and organisation_id = ?`, [
          shiftId,
          organisationId,
        ]),
    ]);
    const started = Boolean(shift?.started);
    return roster.entries.map((entry) => {
      const label = ROSTER_STATUS[entry.status] ?? entry.status;
      if (entry.kind !== 'booking' || entry.status === 'cancelled') {
        return {
          name: entry.name,
          kind: entry.kind as RosterEntry['kind'],
          status: label,
          ...(entry.cancelReason ? { reason: entry.cancelReason } : {}),
        };
      }
      const href = `/org/shifts/${shiftId}/bookings/${entry.bookingId}/attendance`;
      // Attendance can be marked (and corrected) once the shift has started, not before.
      const actions = !started
        ? []
        : [
            ...(entry.status !== 'attended'
              ? [{ label: 'Mark attended', href, method: 'post' as const, fields: { status: 'attended' } }]
              : []),
            ...(entry.status !== 'no_show'
              ? [{ label: 'Mark no-show', href, method: 'post' as const, fields: { status: 'no_show' } }]
              : []),
          ];
      return {
        name: entry.name,
        kind: 'booking' as const,
        status:
          !started && entry.status === 'confirmed'
            ? `${label} · attendance can be marked once the shift starts`
            : label,
        actions,
      };
    });
  }
}

interface CalendarRow {
  status: string;
  title: string;
  description: string | null;
  starts_at: Date;
  ends_at: Date;
  sequence: number;
  lat: number;
  lon: number;
  organisation_name: string;
  place_label: string;
  street: string | null;
  email: string;
  volunteer_name: string;
}

/** The iCalendar entry of a booking, identical in UID and SEQUENCE to the one the emails carry. */
@Injectable()
export class BookingCalendar {
  private readonly domain: string;

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.domain = new URL(config.PUBLIC_BASE_URL).hostname;
  }

  /** METHOD:REQUEST for the volunteer's own confirmed booking; anyone else's is "not found". */
  async invite(volunteerId: string, bookingId: string): Promise<{ content: string; title: string }> {
    const [row] = await this.em.fork().execute<CalendarRow[]>(
      `select b.status, s.title, s.description, s.starts_at, s.ends_at, ${CALENDAR_SEQUENCE_SQL} as sequence, s.lat, s.lon, o.name as organisation_name,
              ad.label as place_label, ad.street, a.email, v.name as volunteer_name
         from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id
         join organisation_addresses ad on ad.id = s.address_id join volunteers v on v.account_id = b.volunteer_id
         join accounts a on a.id = v.account_id
        where b.id = ? and b.volunteer_id = ? and b.status in ('confirmed', 'attended')`,
      [bookingId, volunteerId],
    );
    if (!row) throw new NotFoundError('Booking');
    const from = /<([^>]+)>/.exec(this.config.MAIL_FROM)?.[1] ?? this.config.MAIL_FROM;
    const content = calendarInvite({
      uid: `booking-${bookingId}@${this.domain}`,
      sequence: row.sequence,
      method: 'REQUEST',
      startsAt: new Date(row.starts_at),
      endsAt: new Date(row.ends_at),
      summary: `${row.title} — ${row.organisation_name}`,
      description: row.description ?? '',
      location: [row.place_label, row.street].filter(Boolean).join(', '),
      organizerEmail: from,
      organizerName: row.organisation_name,
      attendeeEmail: row.email,
      attendeeName: row.volunteer_name,
      lat: row.lat,
      lon: row.lon,
    });
    return { content, title: row.title };
  }
}

const volunteerIdOf = (request: FastifyRequest) =>
  (principalOf(request) as Extract<Principal, { kind: 'volunteer' }>).accountId;
const coordinatorOf = (request: FastifyRequest) => principalOf(request) as Extract<Principal, { kind: 'coordinator' }>;

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

/** Answering one's own offers from /me; the same result pages as the email links. */
@ApiExcludeController()
@Controller('me/offers')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerOfferPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly responses: OfferResponsesService,
    private readonly queries: OffersQueries,
  ) {}

  @Post(':offerId/answer')
  async answer(
    @Param('offerId', UuidPipe) offerId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const action = text(asFormBody(body), 'action');
    if (action !== 'accept' && action !== 'decline')
      throw InvalidInputError.field('action', 'must be accept or decline');
    const result = await this.responses.answerAsVolunteer(volunteerIdOf(request), offerId, action);
    const details = result.outcome === 'booked' ? await this.queries.bookingSummary(result.bookingId) : [];
    return this.pages.render(request, reply, 'link-done.eta', { ...RESULT_PAGES[result.outcome], details });
  }
}

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

/** A volunteer's own bookings: calendar file and cancelling. Every POST needs the page's CSRF token. */
@ApiExcludeController()
@Controller('me/bookings')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerBookingPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly bookings: BookingsService,
    private readonly calendar: BookingCalendar,
    private readonly em: EntityManager,
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
    const booking = await this.booking(volunteerIdOf(request), bookingId);
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

  @Get(':bookingId/cancelled')
  async cancelled(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const booking = await this.booking(volunteerIdOf(request), bookingId);
    if (booking.status !== 'cancelled') return this.pages.redirect(reply, '/me');
    return this.pages.render(request, reply, 'volunteer/booking-cancelled.eta', {
      title: 'Your booking is cancelled',
      booking,
    });
  }

  private async booking(volunteerId: string, bookingId: string) {
    const [row] = await this.em.fork().execute(
      `select b.status, s.title, s.starts_at, s.ends_at, s.starts_at <= now() as started, o.name as organisation_name, v.time_zone
         from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id
         join volunteers v on v.account_id = b.volunteer_id
        where b.id = ? and b.volunteer_id = ?`,
      [bookingId, volunteerId],
    );
    if (!row) throw new NotFoundError('Booking');
    return {
      id: bookingId,
      status: row.status as string,
      title: row.title as string,
      organisationName: row.organisation_name as string,
      started: Boolean(row.started),
      localTime: formatLocalInterval(new Date(row.starts_at), new Date(row.ends_at), row.time_zone),
    };
  }
}

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
