import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiJsonOrPageResponse,
  InvalidInputError,
  InvalidLinkError,
  oneClickToken,
  wantsJson,
} from '../platform/index.js';
import { Allow } from '../identity/index.js';
import { MOOD_QUESTION, MOOD_SCALE, WHO5_CREDIT, WHO5_INTRO, WHO5_ITEMS, WHO5_SCALE } from './core/who5.js';
import {
  CheckInAnswerDto,
  CheckInOutcomeDto,
  CheckInsStoppedDto,
  CheckInTokenQueryDto,
  StopCheckInsDto,
  SuggestionsStoppedDto,
} from './wellbeing.dto.js';
import { STOP_LINKS, type StoppableMail } from './stop-links.js';
import { WellbeingService } from './wellbeing.service.js';

/** Check-in links: GET shows the form (changes nothing); the POST stores the answer. */
@ApiTags('links')
@Controller('links')
@Allow('public')
export class WellbeingLinksController {
  constructor(private readonly wellbeing: WellbeingService) {}

  @Get('check-in')
  @ApiExcludeEndpoint()
  async showForm(@Query() query: CheckInTokenQueryDto, @Res() reply: FastifyReply) {
    const form = await this.wellbeing.formFor(query.token);
    return reply.type('text/html; charset=utf-8').view('wellbeing/check-in.eta', {
      title: 'Your check-in',
      token: query.token,
      form,
      values: {},
      errors: {},
      text: { MOOD_QUESTION, MOOD_SCALE, WHO5_INTRO, WHO5_ITEMS, WHO5_SCALE, WHO5_CREDIT },
    });
  }

  @Post('check-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer a check-in (from the emailed link)' })
  @ApiJsonOrPageResponse(
    CheckInOutcomeDto,
    'Stored. The answer shows supportive words and, when answers are low, help for your country.',
  )
  async answer(@Body() body: CheckInAnswerDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const who5Fields = [body.who5_1, body.who5_2, body.who5_3, body.who5_4, body.who5_5];
    const fromForm = who5Fields.some((value) => value !== undefined);
    if (fromForm && who5Fields.some((value) => value === undefined)) {
      throw InvalidInputError.field(
        `who5_${who5Fields.findIndex((value) => value === undefined) + 1}`,
        'please answer all five statements',
      );
    }
    const outcome = await this.wellbeing.answer(body.token, {
      mood: body.mood,
      who5: body.who5 ?? (fromForm ? (who5Fields as number[]) : undefined),
      note: body.note,
    });
    if (wantsJson(request)) return reply.send(outcome);
    return reply.type('text/html; charset=utf-8').view('wellbeing/check-in-done.eta', { title: 'Thank you', outcome });
  }

  @Get('check-in-stop')
  @ApiExcludeEndpoint()
  showStopCheckIns(@Query() query: CheckInTokenQueryDto, @Res() reply: FastifyReply) {
    return this.showStopPage('checkIns', query.token, reply);
  }

  @Post('check-in-stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop check-ins (one-click)' })
  @ApiJsonOrPageResponse(
    CheckInsStoppedDto,
    'Check-ins stopped. Accepts RFC 8058 one-click POSTs (token in the query string).',
  )
  async stopCheckIns(
    @Query() query: Record<string, string>,
    @Body() body: StopCheckInsDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.stop('checkIns', oneClickToken(query, body), request, reply);
  }

  @Get('suggestions-stop')
  @ApiExcludeEndpoint()
  showStopSuggestions(@Query() query: CheckInTokenQueryDto, @Res() reply: FastifyReply) {
    return this.showStopPage('suggestions', query.token, reply);
  }

  @Post('suggestions-stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop shift suggestions (one-click)' })
  @ApiJsonOrPageResponse(
    SuggestionsStoppedDto,
    'Shift suggestions stopped. Accepts RFC 8058 one-click POSTs (token in the query string).',
  )
  async stopSuggestions(
    @Query() query: Record<string, string>,
    @Body() body: StopCheckInsDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.stop('suggestions', oneClickToken(query, body), request, reply);
  }

  /** The button only where pressing it can work: not for mail already stopped, nor for a dead link. */
  private async showStopPage(what: StoppableMail, token: string, reply: FastifyReply) {
    const state = await this.wellbeing.stopLinkState(token, what);
    if (state === 'active')
      return reply
        .type('text/html; charset=utf-8')
        .view('link-confirm.eta', { ...STOP_PAGES[what].ask, action: STOP_LINKS[what].path, token });
    return reply
      .status(state === 'gone' ? 410 : 200)
      .type('text/html; charset=utf-8')
      .view('link-done.eta', state === 'gone' ? STOP_GONE : STOP_PAGES[what].already);
  }

  private async stop(what: StoppableMail, token: string, request: FastifyRequest, reply: FastifyReply) {
    try {
      await this.wellbeing.stopFromLink(token, what);
    } catch (error) {
      // A person pressing the button of a page opened before their account was deleted: the same words as the page.
      if (error instanceof InvalidLinkError && !wantsJson(request))
        return reply.status(410).type('text/html; charset=utf-8').view('link-done.eta', STOP_GONE);
      throw error;
    }
    return stopped(what, request, reply);
  }
}

/** What each one-click stop link says: GET shows `ask` (and changes nothing); the POST stops and shows `done`. */
const STOP_PAGES: Record<
  StoppableMail,
  {
    ask: { title: string; intro: string; button: string };
    done: { title: string; message: string };
    already: { title: string; message: string };
  }
> = {
  checkIns: {
    ask: {
      title: 'Stop check-ins?',
      intro:
        'We will stop sending check-ins and cancel any that are waiting. Your earlier answers stay yours, on your page, until you delete them.',
      button: 'Stop check-ins',
    },
    done: {
      title: 'Check-ins stopped',
      message: 'You won’t get any more check-ins. If you ever want them back, switch them on from your page.',
    },
    already: {
      title: 'Check-ins are already stopped',
      message:
        'There is nothing to do: we send you no check-ins. If you ever want them back, switch them on from your page.',
    },
  },
  suggestions: {
    ask: {
      title: 'Stop shift suggestions?',
      intro:
        'We will stop emailing you suggestions of regular shifts. Offers for shifts you match, and everything on your page, stay as they are.',
      button: 'Stop suggestions',
    },
    done: {
      title: 'Suggestions stopped',
      message: 'You won’t get any more shift suggestions. If you ever want them back, switch them on from your page.',
    },
    already: {
      title: 'Suggestions are already stopped',
      message:
        'There is nothing to do: we send you no shift suggestions. If you ever want them back, switch them on from your page.',
    },
  },
};

/** A stop link that no longer works: expired, or its account was deleted (and with it every token and consent). */
const STOP_GONE = {
  title: 'Nothing to stop',
  message:
    'This link no longer works. If you deleted your account, everything about you is gone and we send you nothing more. Otherwise, the newest email we sent has a link that works.',
};

function stopped(what: StoppableMail, request: FastifyRequest, reply: FastifyReply) {
  if (wantsJson(request)) return reply.send({ [what]: false });
  return reply.type('text/html; charset=utf-8').view('link-done.eta', STOP_PAGES[what].done);
}
