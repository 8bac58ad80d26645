import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, ForbiddenError } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { KioskLockedError, KioskService, type WalkInOutcome } from '../../../arrivals/index.js';
import { asFormBody, type FormBody, text } from '../../forms.js';
import { clockTime, shiftTime } from './arrival-view.js';
import { KIOSK_COOKIE, KIOSK_PATH, kioskTokenOf } from './kiosk-cookie.js';

const WALK_IN_SAID: Record<string, string> = {
  added: 'Added and marked arrived. Welcome!',
  'not-added':
    'Nobody was added. Only registered volunteers can be added, while a place is free and they have no other shift at this time. The coordinator can help.',
};

const KIOSK_FORM = 'The kiosk page was out of date. Tap again.';

/**
 * The kiosk: a shared tablet at the door, opened by a coordinator for one shift (its own cookie,
 * scoped to /kiosk). It lists the booked volunteers by first name and initial only; a tap marks
 * arrived, a second tap left; registered walk-ins are added by email. It never reads the session
 * cookie and links nowhere else. Locked or ended: a page that says so, and the cookie is dropped.
 */
@ApiExcludeController()
@Controller('kiosk')
@Allow('public')
export class KioskPagesController {
  constructor(
    private readonly kiosk: KioskService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    return this.unlessLocked(reply, async () => {
      const view = await this.kiosk.kioskView(kioskTokenOf(request));
      const zone = view.shift.time_zone;
      const tapped = view.people.find((p) => p.bookingId === query.tapped);
      return this.view(reply, 'arrivals/kiosk.eta', {
        title: `Arrivals: ${view.shift.title}`,
        shiftTitle: view.shift.title,
        when: shiftTime(view.shift.starts_at, view.shift.ends_at, zone),
        formToken: view.formToken,
        refreshSeconds: this.config.KIOSK_IDLE_MINUTES * 60,
        people: view.people.map((p) => ({
          bookingId: p.bookingId,
          name: p.name,
          state: p.leftAt ? 'left' : p.arrivedAt ? 'arrived' : 'expected',
          detail: p.leftAt
            ? `arrived ${clockTime(p.arrivedAt as Date, zone)} · left ${clockTime(p.leftAt, zone)}`
            : p.arrivedAt
              ? `arrived ${clockTime(p.arrivedAt, zone)} · tap when leaving`
              : 'tap when arriving',
        })),
        tapped: tapped
          ? `${tapped.name} ${tapped.leftAt ? `left at ${clockTime(tapped.leftAt, zone)}` : tapped.arrivedAt ? `arrived at ${clockTime(tapped.arrivedAt, zone)}` : ''}. Thank you!`
          : null,
        walkIn: WALK_IN_SAID[query['walk-in'] ?? ''] ?? null,
        walkInAdded: query['walk-in'] === 'added',
      });
    });
  }

  @Post('tap')
  async tap(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.unlessLocked(reply, async () => {
      const form = asFormBody(body);
      this.checkForm(request, form);
      const bookingId = text(form, 'bookingId');
      if (!/^[0-9a-f-]{36}$/i.test(bookingId)) return reply.redirect(KIOSK_PATH, 303);
      await this.kiosk.kioskTap(kioskTokenOf(request), bookingId);
      return reply.redirect(`${KIOSK_PATH}?tapped=${bookingId}`, 303);
    });
  }

  @Post('walk-in')
  async walkIn(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.unlessLocked(reply, async () => {
      const form = asFormBody(body);
      this.checkForm(request, form);
      const email = text(form, 'email').slice(0, 254);
      const outcome: WalkInOutcome = await this.kiosk.kioskWalkIn(kioskTokenOf(request), email);
      return reply.redirect(`${KIOSK_PATH}?walk-in=${outcome === 'not-added' ? 'not-added' : 'added'}`, 303);
    });
  }

  @Post('lock')
  async lock(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.unlessLocked(reply, async () => {
      this.checkForm(request, asFormBody(body));
      await this.kiosk.lockKiosk(kioskTokenOf(request));
      throw new KioskLockedError();
    });
  }

  /** The kiosk's forms carry a token bound to its own cookie (it has no session for the usual CSRF token). */
  private checkForm(request: FastifyRequest, form: FormBody) {
    // No kiosk cookie (dropped when it locked): the locked page, not "out of date".
    if (!kioskTokenOf(request)) throw new KioskLockedError();
    if (!this.kiosk.kioskFormValid(kioskTokenOf(request), text(form, '_kiosk'))) throw new ForbiddenError(KIOSK_FORM);
  }

  private async unlessLocked(reply: FastifyReply, action: () => Promise<unknown>) {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof KioskLockedError)) throw error;
      reply.clearCookie(KIOSK_COOKIE, { path: KIOSK_PATH });
      return this.view(reply, 'arrivals/kiosk-locked.eta', { title: 'Kiosk locked' }, 401);
    }
  }

  private view(reply: FastifyReply, view: string, data: Record<string, unknown>, status = 200) {
    return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').view(view, data);
  }
}
