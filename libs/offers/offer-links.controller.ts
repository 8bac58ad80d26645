import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiJsonOrPageResponse, InvalidLinkError, oneClickToken, wantsJson } from '../platform/index.js';
import { Allow, IdentityService } from '../identity/index.js';
import {
  OfferAnswerDto,
  OfferAnswerResultDto,
  OffersPausedDto,
  OfferLinkQueryDto,
  UnsubscribeBodyDto,
  UnsubscribeQueryDto,
} from './offers.dto.js';
import { OfferResponsesService, type OfferAnswer } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';

/** The page after answering an offer, from an email link or the volunteer's own page. */
export const RESULT_PAGES: Record<OfferAnswer['outcome'], { title: string; message: string }> = {
  booked: {
    title: 'You’re booked — thank you!',
    message:
      'A confirmation with a calendar invite is on its way to your inbox. If plans change, you can cancel from your page.',
  },
  declined: {
    title: 'Thanks for letting us know',
    message: 'No problem at all — no is a perfectly good answer. We’ll keep an eye out for other shifts that fit you.',
  },
  filled: {
    title: 'This shift filled up just before you',
    message:
      'Thank you for saying yes. Someone else took the last place a moment earlier. You can join the waitlist in case a place frees, and we’ll offer you the next shift that fits.',
  },
  overlap: {
    title: 'You already have a shift at that time',
    message: 'So we didn’t book this one. Thank you for offering your time.',
  },
  closed: {
    title: 'This offer is no longer open',
    message: 'It may have expired, been answered already, or the shift changed. Thank you all the same.',
  },
};

/** The page after an answer: a cover offer someone else took first has words of its own. */
export function resultPage(result: OfferAnswer): { title: string; message: string } {
  if (result.outcome === 'filled' && result.cover)
    return {
      title: 'Someone else covered it just before you',
      message:
        'Thank you for saying yes. Another volunteer took the place over a moment earlier (or the time to find cover ran out), so there is nothing you need to do.',
    };
  return RESULT_PAGES[result.outcome];
}

/** A shift that filled before its volunteer said yes can still be waited for. */
export function nextStep(result: OfferAnswer): { href: string; label: string } | null {
  return result.outcome === 'filled'
    ? { href: `/me/shifts/${result.shiftId}/waitlist`, label: 'Join the waitlist' }
    : null;
}

/**
 * Offer and unsubscribe links. GET only shows a page (mail scanners open every link); the buttons POST.
 * The unsubscribe POST also accepts RFC 8058 one-click requests, whose token is in the query string.
 */
@ApiTags('links')
@Controller('links')
@Allow('public')
export class OfferLinksController {
  constructor(
    private readonly responses: OfferResponsesService,
    private readonly identity: IdentityService,
    private readonly queries: OffersQueries,
  ) {}

  @Get('offer')
  @ApiExcludeEndpoint()
  async showOffer(@Query() query: OfferLinkQueryDto, @Res() reply: FastifyReply) {
    let link: { subjectId: string | null; accountId: string };
    try {
      link = await this.identity.peekLinkToken(query.token, 'offer_response');
    } catch (error) {
      // Opening the email's link again after saying yes: the booking, not "link not valid".
      const booked = error instanceof InvalidLinkError ? await this.responses.bookedWith(query.token) : null;
      if (!booked) throw error;
      return reply.type('text/html; charset=utf-8').view('link-done.eta', {
        ...RESULT_PAGES.booked,
        details: await this.queries.bookingSummary(booked.bookingId),
      });
    }
    const { subjectId, accountId } = link;
    const offer = await this.queries.offerForLink(subjectId, accountId);
    if (!offer) throw new InvalidLinkError();
    return reply.type('text/html; charset=utf-8').view('offer-confirm.eta', {
      title: offer.title,
      offer,
      token: query.token,
      preselected: query.action ?? 'accept',
    });
  }

  @Post('offer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer an offer (from the emailed link)' })
  @ApiJsonOrPageResponse(OfferAnswerResultDto, 'Accept books the slot atomically; decline lets the next volunteer in.')
  async answerOffer(@Body() body: OfferAnswerDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const result = await this.responses.answer(body.token, body.action);
    if (wantsJson(request)) return reply.send(result);
    const details = result.outcome === 'booked' ? await this.queries.bookingSummary(result.bookingId) : [];
    return reply
      .type('text/html; charset=utf-8')
      .view('link-done.eta', { ...resultPage(result), details, next: nextStep(result) });
  }

  @Get('unsubscribe')
  @ApiExcludeEndpoint()
  async showUnsubscribe(@Query() query: UnsubscribeQueryDto, @Res() reply: FastifyReply) {
    await this.identity.peekLinkToken(query.token, 'unsubscribe');
    return reply.type('text/html; charset=utf-8').view('link-confirm.eta', {
      title: 'Pause shift offers?',
      intro: 'We will stop sending you shift offers until you resume them from your page. Nothing else changes.',
      action: '/links/unsubscribe',
      token: query.token,
      button: 'Pause offers',
    });
  }

  @Post('unsubscribe')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause offers (one-click unsubscribe)' })
  @ApiJsonOrPageResponse(
    OffersPausedDto,
    'Offers are paused. Accepts RFC 8058 one-click POSTs (token in the query string).',
  )
  async unsubscribe(
    @Query() query: Record<string, string>,
    @Body() body: UnsubscribeBodyDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.responses.unsubscribe(oneClickToken(query, body));
    if (wantsJson(request)) return reply.send({ paused: true });
    return reply.type('text/html; charset=utf-8').view('link-done.eta', {
      title: 'Offers paused',
      message:
        'You won’t get shift offers for now. Whenever you feel like it, resume them from your page — no need to explain.',
    });
  }
}
