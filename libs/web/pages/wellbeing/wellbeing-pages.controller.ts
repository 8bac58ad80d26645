import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { APP_CONFIG, type AppConfig } from '../../../platform/index.js';
import { Allow, type Principal } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, text } from '../../forms.js';
import { PageRenderer, principalOf } from '../../page-renderer.js';
import {
  trendChartSvg,
  MOOD_QUESTION,
  MOOD_SCALE,
  resourcesFor,
  WellbeingService,
  type MyCheckIn,
} from '../../../wellbeing/index.js';

/** The trend covers the last six months. */
const TREND_MONTHS = 6;

const volunteerIdOf = (request: FastifyRequest) =>
  (principalOf(request) as Extract<Principal, { kind: 'volunteer' }>).accountId;

/** A form checkbox is ticked when it is sent at all (unticked boxes are not sent). */
const ticked = (value: string) => value !== '';

/**
 * The volunteer's own wellbeing page: consent, their answers and trend, and where to find help.
 * Volunteers only (organisations, API keys and the operator are refused); every POST needs the page's CSRF token.
 */
@ApiExcludeController()
@Controller('me/wellbeing')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class WellbeingPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly wellbeing: WellbeingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    const volunteerId = volunteerIdOf(request);
    const now = new Date();
    const volunteer = await this.wellbeing.zoneAndCountry(volunteerId);
    const zone = volunteer.timeZone;
    const from = DateTime.fromJSDate(now, { zone }).minus({ months: TREND_MONTHS }).startOf('day').toJSDate();
    const [consent, checkIns, shiftsPerWeek] = await Promise.all([
      this.wellbeing.consent(volunteerId),
      this.wellbeing.mine(volunteerId),
      this.wellbeing.attendedPerWeek(volunteerId, from, zone),
    ]);
    const answered = checkIns.filter(
      (c): c is MyCheckIn & { answeredAt: string } => c.status === 'answered' && c.answeredAt !== null,
    );
    const recent = answered.filter((c) => new Date(c.answeredAt) >= from);
    const hasTrend = recent.length > 0 || shiftsPerWeek.length > 0;
    const chart = hasTrend
      ? trendChartSvg({
          from,
          to: now,
          shiftsPerWeek,
          who5: recent
            .filter((c) => c.who5)
            .map((c) => ({ at: new Date(c.answeredAt), percentage: c.who5!.percentage })),
          moods: recent.filter((c) => c.mood !== null).map((c) => ({ at: new Date(c.answeredAt), mood: c.mood! })),
        })
      : null;
    const resources = this.wellbeing.helpResources;
    return this.pages.render(request, reply, 'wellbeing/mine.eta', {
      title: 'Your wellbeing',
      consent,
      chart,
      shiftsCounted: shiftsPerWeek.reduce((n, w) => n + w.count, 0),
      answers: answered
        .slice()
        .reverse()
        .map((c) => answerView(c, zone)),
      waiting: checkIns.filter((c) => c.status === 'sent').length,
      zone,
      months: TREND_MONTHS,
      moodQuestion: MOOD_QUESTION,
      weeklyMax: this.config.CHECK_IN_WEEKLY_MAX,
      who5Days: this.config.WHO5_INTERVAL_DAYS,
      resources: resourcesFor(resources, volunteer.country),
      resourcesChecked: resources.checked,
      saved: query.saved === '1',
    });
  }

  @Post()
  async save(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = asFormBody(body);
    await this.wellbeing.setConsent(volunteerIdOf(request), {
      checkIns: ticked(text(form, 'checkIns')),
      suggestions: ticked(text(form, 'suggestions')),
    });
    return this.pages.redirect(reply, '/me/wellbeing?saved=1');
  }
}

/** One answer as the list shows it, in the volunteer's own zone. */
function answerView(checkIn: MyCheckIn & { answeredAt: string }, zone: string) {
  const date = DateTime.fromISO(checkIn.answeredAt, { zone }).toFormat('ccc d LLL yyyy');
  if (checkIn.who5) {
    return {
      date,
      kind: 'WHO-5 Well-Being Index',
      answer: `${checkIn.who5.percentage}% (${checkIn.who5.raw} of 25)`,
      note: checkIn.note,
    };
  }
  const mood = checkIn.mood ?? 0;
  return {
    date,
    kind: 'Mood after a shift',
    answer: `${MOOD_SCALE[mood - 1] ?? '—'} (${mood} of 5)`,
    note: checkIn.note,
  };
}
