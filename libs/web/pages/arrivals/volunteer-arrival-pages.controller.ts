import { Controller, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, DomainError, UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { ArrivalRefusedError, ArrivalsService, type MyArrival } from '../../../arrivals/index.js';
import { CsrfGuard } from '../../csrf.js';
import { FormState } from '../../forms.js';
import { PageRenderer, principalOf } from '../../page-renderer.js';
import { volunteerIdOf } from '../offers/principals.js';
import { ARRIVE_RETURN_COOKIE } from './arrive-return.js';
import { clockTime, shiftTime, VIA_LABEL } from './arrival-view.js';

/**
 * The page a shift's QR code opens on the volunteer's phone: "I'm here", then "I'm leaving".
 * GET only shows; POST records (CSRF). A wrong, early, late or foreign code gets a clear page with a
 * 4xx status and nothing recorded.
 */
@ApiExcludeController()
@Controller('arrive')
@UseGuards(CsrfGuard)
export class VolunteerArrivalPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly arrivals: ArrivalsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':shiftId/:secret')
  @Allow('public')
  async show(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('secret') secret: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.refusing(request, reply, async () => {
      const principal = principalOf(request);
      if (principal?.kind !== 'volunteer') {
        // The code is checked first, so a bad one says so before anyone signs in for nothing.
        await this.arrivals.scannedShift(shiftId, secret);
        return this.signInFirst(request, reply, shiftId, secret, principal?.kind === 'coordinator');
      }
      const mine = await this.arrivals.myArrival(principal.accountId, shiftId, secret);
      return this.renderArrival(request, reply, mine, secret);
    });
  }

  @Post(':shiftId/:secret')
  @Allow('volunteer')
  async arrive(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('secret') secret: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.refusing(request, reply, async () => {
      await this.arrivals.arriveByQr(volunteerIdOf(request), shiftId, secret);
      return this.pages.redirect(reply, `/arrive/${shiftId}/${encodeURIComponent(secret)}`);
    });
  }

  @Post(':shiftId/:secret/leave')
  @Allow('volunteer')
  async leave(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('secret') secret: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.refusing(request, reply, async () => {
      await this.arrivals.leaveByQr(volunteerIdOf(request), shiftId, secret);
      return this.pages.redirect(reply, `/arrive/${shiftId}/${encodeURIComponent(secret)}`);
    });
  }

  /** A walk-in with the QR code: books a free place (the self-booking rules) and marks them arrived. */
  @Post(':shiftId/:secret/join')
  @Allow('volunteer')
  async join(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Param('secret') secret: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.refusing(request, reply, async () => {
      try {
        await this.arrivals.joinByQr(volunteerIdOf(request), shiftId, secret);
      } catch (error) {
        // Full, does not fit, cancelled earlier: a clear page in the offers library's words, nothing recorded.
        if (!(error instanceof DomainError) || error instanceof ArrivalRefusedError) throw error;
        return this.pages.render(
          request,
          reply,
          'arrivals/refused.eta',
          { title: 'You could not join this shift', detail: error.message, reason: 'join', shiftTitle: null },
          error.status,
        );
      }
      return this.pages.redirect(reply, `/arrive/${shiftId}/${encodeURIComponent(secret)}`);
    });
  }

  private async refusing(request: FastifyRequest, reply: FastifyReply, action: () => Promise<unknown>) {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ArrivalRefusedError)) throw error;
      const join =
        error.reason === 'no-booking' && error.shift && this.arrivals.canJoin(error.shift)
          ? `${this.arrivals.arrivalPath(error.shift.id)}/join`
          : null;
      const zone = error.shift?.time_zone;
      return this.pages.render(
        request,
        reply,
        'arrivals/refused.eta',
        {
          title: error.title,
          detail: error.message,
          reason: error.reason,
          shiftTitle: error.shift && error.reason !== 'wrong-code' ? error.shift.title : null,
          opensAt: error.window && zone ? `${clockTime(error.window.opensAt, zone)} (${zone})` : null,
          closedAt: error.window && zone ? `${clockTime(error.window.closesAt, zone)} (${zone})` : null,
          join,
        },
        error.status,
      );
    }
  }

  private signInFirst(
    request: FastifyRequest,
    reply: FastifyReply,
    shiftId: string,
    secret: string,
    coordinator: boolean,
  ) {
    if (!coordinator) {
      // After the emailed sign-in link, /home brings the volunteer back here (see arrive-return.ts).
      reply.setCookie(ARRIVE_RETURN_COOKIE, `/arrive/${shiftId}/${secret}`, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.PUBLIC_BASE_URL.startsWith('https://'),
        maxAge: 3600,
      });
    }
    return this.pages.render(
      request,
      reply,
      'arrivals/sign-in-first.eta',
      { title: 'Sign in to record your arrival', coordinator, form: new FormState() },
      401,
    );
  }

  private renderArrival(request: FastifyRequest, reply: FastifyReply, mine: MyArrival, secret: string) {
    const { shift, record } = mine;
    const zone = shift.time_zone;
    const path = `/arrive/${shift.id}/${encodeURIComponent(secret)}`;
    return this.pages.render(request, reply, 'arrivals/arrive.eta', {
      title: record.arrivedAt ? (record.leftAt ? 'Thank you for coming' : 'You have arrived') : 'Arrive at your shift',
      shiftTitle: shift.title,
      organisationName: shift.organisation_name,
      when: shiftTime(shift.starts_at, shift.ends_at, zone),
      arrivedAt: record.arrivedAt ? clockTime(record.arrivedAt, zone) : null,
      arrivedVia: record.arrivedVia ? VIA_LABEL[record.arrivedVia] : null,
      leftAt: record.leftAt ? clockTime(record.leftAt, zone) : null,
      zone,
      action: path,
    });
  }
}
