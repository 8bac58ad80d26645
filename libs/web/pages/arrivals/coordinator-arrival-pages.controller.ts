import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, InvalidInputError, NotFoundError, UuidPipe } from '../../../platform/index.js';
import { Allow, IdentityService, SESSION_COOKIE } from '../../../identity/index.js';
import { ArrivalsService, windowState } from '../../../arrivals/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, text } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { coordinatorOf } from '../offers/principals.js';
import { clockTime, qrSvg, shiftTime } from './arrival-view.js';
import { KIOSK_COOKIE, KIOSK_PATH } from './kiosk-cookie.js';

const ACTIONS = new Set(['arrived', 'left']);
/** A kiosk is for a published shift that still takes place. */
const OPENABLE = new Set(['open', 'full', 'completed']);

/**
 * The coordinator's side of arrival: marking someone arrived or left on the roster, the printable
 * poster with the shift's QR code, and opening the kiosk for a tablet at the door.
 */
@ApiExcludeController()
@Controller('org/shifts')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorArrivalPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly arrivals: ArrivalsService,
    private readonly identity: IdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':shiftId/bookings/:bookingId/arrival')
  async mark(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('bookingId', UuidPipe) bookingId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const action = text(asFormBody(body), 'action');
    if (!ACTIONS.has(action)) throw InvalidInputError.field('action', 'must be arrived or left');
    await this.arrivals.markByCoordinator(
      coordinatorOf(request).organisationId,
      shiftId,
      bookingId,
      action as 'arrived' | 'left',
    );
    return this.pages.redirect(reply, `/org/shifts/${shiftId}#roster-heading`);
  }

  /** A page made for printing: A4, the QR code big, the shift and "Scan when you arrive". */
  @Get(':shiftId/arrival-poster')
  async poster(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const found = await this.arrivals.rosterArrivals(coordinatorOf(request).organisationId, shiftId);
    if (!found) throw new NotFoundError('Shift');
    const { shift, window } = found;
    const zone = shift.time_zone;
    const url = new URL(this.arrivals.arrivalPath(shift.id), this.config.PUBLIC_BASE_URL).toString();
    reply.header('cache-control', 'no-store');
    return reply.type('text/html; charset=utf-8').view('arrivals/poster.eta', {
      title: shift.title,
      organisationName: shift.organisation_name,
      when: shiftTime(shift.starts_at, shift.ends_at, zone),
      window: `${clockTime(window.opensAt, zone)}–${clockTime(window.closesAt, zone)}`,
      qrSvg: await qrSvg(url),
      url,
      backHref: `/org/shifts/${shift.id}`,
    });
  }

  /** A confirmation first: opening the kiosk hands this browser to the people at the door. */
  @Get(':shiftId/kiosk')
  async confirmKiosk(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const found = await this.arrivals.rosterArrivals(coordinatorOf(request).organisationId, shiftId);
    if (!found) throw new NotFoundError('Shift');
    const zone = found.shift.time_zone;
    return this.pages.render(request, reply, 'arrivals/kiosk-open.eta', {
      title: 'Open the kiosk',
      shift: {
        id: found.shift.id,
        title: found.shift.title,
        when: shiftTime(found.shift.starts_at, found.shift.ends_at, zone),
      },
      open: OPENABLE.has(found.shift.status) && windowState(found.window, new Date()) === 'open',
      idleMinutes: this.config.KIOSK_IDLE_MINUTES,
      closesAt: `${clockTime(found.window.closesAt, zone)} (${zone})`,
    });
  }

  @Post(':shiftId/kiosk')
  async openKiosk(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    // Outside the arrival window, a draft or a cancelled shift: its 409/410 problem page.
    const kiosk = await this.arrivals.openKiosk(coordinator.organisationId, shiftId, coordinator.accountId);
    reply.setCookie(KIOSK_COOKIE, kiosk.token, {
      path: KIOSK_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.PUBLIC_BASE_URL.startsWith('https://'),
      expires: kiosk.endsAt,
    });
    // On a shared tablet the coordinator's own session must not stay behind the kiosk.
    if (text(asFormBody(body), 'signOut') === 'yes') {
      await this.identity.signOut(coordinator.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return this.pages.redirect(reply, KIOSK_PATH);
  }
}
