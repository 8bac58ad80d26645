import { Body, Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, text } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { nextStep, resultPage, OfferResponsesService, OffersQueries } from '../../../offers/index.js';
import { volunteerIdOf } from './principals.js';

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
    return this.pages.render(request, reply, 'link-done.eta', {
      ...resultPage(result),
      details,
      next: nextStep(result),
    });
  }
}
