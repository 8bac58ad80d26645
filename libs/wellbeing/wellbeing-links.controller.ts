import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, oneClickToken } from '../http/index.js';
import { Allow } from '../identity/index.js';
import { MOOD_QUESTION, MOOD_SCALE, WHO5_CREDIT, WHO5_INTRO, WHO5_ITEMS, WHO5_SCALE } from './core/who5.js';
import { CheckInAnswerDto, CheckInTokenQueryDto, StopCheckInsDto } from './wellbeing.dto.js';
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
      title: 'Your check-in', token: query.token, form, values: {}, errors: {},
      text: { MOOD_QUESTION, MOOD_SCALE, WHO5_INTRO, WHO5_ITEMS, WHO5_SCALE, WHO5_CREDIT },
    });
  }

  @Post('check-in')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Stored. The answer shows supportive words and, when answers are low, help for your country.' })
  async answer(@Body() body: CheckInAnswerDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const who5Fields = [body.who5_1, body.who5_2, body.who5_3, body.who5_4, body.who5_5];
    const fromForm = who5Fields.some((value) => value !== undefined);
    if (fromForm && who5Fields.some((value) => value === undefined)) {
      throw InvalidInputError.field(`who5_${who5Fields.findIndex((value) => value === undefined) + 1}`, 'please answer all five statements');
    }
    const outcome = await this.wellbeing.answer(body.token, {
      mood: body.mood,
      who5: body.who5 ?? (fromForm ? (who5Fields as number[]) : undefined),
      note: body.note,
    });
    if ((request.headers.accept ?? '').includes('application/json')) return reply.send(outcome);
    return reply.type('text/html; charset=utf-8').view('wellbeing/check-in-done.eta', { title: 'Thank you', outcome });
  }

  @Get('check-in-stop')
  @ApiExcludeEndpoint()
  async showStop(@Query() query: CheckInTokenQueryDto, @Res() reply: FastifyReply) {
    return reply.type('text/html; charset=utf-8').view('link-confirm.eta', {
      title: 'Stop check-ins?',
      intro: 'We will stop sending check-ins and cancel any that are waiting. Your earlier answers stay yours, on your page, until you delete them.',
      action: '/links/check-in-stop',
      token: query.token,
      button: 'Stop check-ins',
    });
  }

  @Post('check-in-stop')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Check-ins stopped. Accepts RFC 8058 one-click POSTs (token in the query string).' })
  async stop(@Query() query: Record<string, string>, @Body() body: StopCheckInsDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.wellbeing.stopFromLink(oneClickToken(query, body));
    if ((request.headers.accept ?? '').includes('application/json')) return reply.send({ checkIns: false });
    return reply.type('text/html; charset=utf-8').view('link-done.eta', {
      title: 'Check-ins stopped',
      message: 'You won’t get any more check-ins. If you ever want them back, switch them on from your page.',
    });
  }
}
