import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FieldProblem, UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import {
  CreateSeriesDto,
  type OrganisationResponseDto,
  OrganisationsService,
  SeriesService,
} from '../../../organisations/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, problemsOf, validateAs } from '../../forms.js';
import { SHIFT_STATUS_LABELS, SKILL_GROUPS, WEEKDAYS, weekdayLabel } from '../../labels.js';
import { PageExtensions } from '../../page-extensions.js';
import { PageRenderer } from '../../page-renderer.js';
import { todayIn } from '../../time.js';
import { coordinatorOf, defaultAddress, DONE } from './coordinator-pages.shared.js';
import { parseSeriesForm, seriesPayload, shiftFormView, type SeriesForm } from './shift-form.js';

/**
 * A coordinator's weekly series: posting one, its page with its shifts, and cancelling it.
 * Every POST here needs the page's CSRF token.
 */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorSeriesPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly seriesService: SeriesService,
    private readonly extensions: PageExtensions,
  ) {}

  @Get('series/new')
  async newSeries(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const form: SeriesForm = {
      title: '',
      description: '',
      weekday: '',
      start: '17:00',
      end: '20:00',
      startsOn: todayIn(organisation.timeZone, 1),
      until: todayIn(organisation.timeZone, 90),
      addressId: defaultAddress(organisation),
      capacity: '4',
      requiredSkills: [],
      niceSkills: [],
      publish: true,
    };
    return this.renderSeriesForm(request, reply, organisation, form, []);
  }

  @Post('series')
  async createSeries(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const coordinator = coordinatorOf(request);
    const organisation = await this.organisations.get(coordinator.organisationId);
    const form = parseSeriesForm(asFormBody(body));
    const { dto, problems } = await validateAs(CreateSeriesDto, seriesPayload(form));
    if (problems.length) return this.renderSeriesForm(request, reply, organisation, form, problems, 422);
    try {
      const series = await this.seriesService.createSeries(organisation.id, dto, coordinator.accountId);
      return this.pages.redirect(reply, `/org/series/${series.id}?done=series-created`);
    } catch (error) {
      return this.renderSeriesForm(request, reply, organisation, form, problemsOf(error), 422);
    }
  }

  @Get('series/:seriesId')
  async series(
    @Param('seriesId', UuidPipe) seriesId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: Record<string, string>,
  ) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const series = await this.seriesService.getSeries(organisation.id, seriesId);
    const fill = await this.extensions.shiftActivity.fillFor(
      organisation.id,
      series.shifts.map((s) => s.id),
    );
    return this.pages.render(request, reply, 'org/series.eta', {
      title: series.title,
      organisation,
      series,
      weekdayLabel: weekdayLabel(series.weekday),
      shifts: series.shifts.map((shift) => ({
        ...shift,
        statusLabel: SHIFT_STATUS_LABELS[shift.status],
        fill: fill.get(shift.id) ?? null,
      })),
      done: DONE[query.done ?? ''] ?? null,
    });
  }

  @Get('series/:seriesId/cancel')
  async confirmCancelSeries(
    @Param('seriesId', UuidPipe) seriesId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const series = await this.seriesService.getSeries(organisation.id, seriesId);
    return this.pages.render(request, reply, 'org/confirm.eta', {
      title: `Cancel the series “${series.title}”?`,
      intro: `Every ${weekdayLabel(series.weekday)}, ${series.start}–${series.end} (${organisation.timeZone}). All its upcoming shifts are cancelled and booked volunteers are told. This cannot be undone.`,
      action: `/org/series/${series.id}/cancel`,
      button: 'Cancel the series',
      back: `/org/series/${series.id}`,
      backLabel: 'Keep the series',
    });
  }

  @Post('series/:seriesId/cancel')
  async cancelSeries(
    @Param('seriesId', UuidPipe) seriesId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    await this.seriesService.cancelSeries(coordinator.organisationId, seriesId, coordinator.accountId);
    return this.pages.redirect(reply, `/org/series/${seriesId}?done=series-cancelled`);
  }

  private renderSeriesForm(
    request: FastifyRequest,
    reply: FastifyReply,
    organisation: OrganisationResponseDto,
    form: SeriesForm,
    problems: FieldProblem[],
    status = 200,
  ) {
    return this.pages.render(
      request,
      reply,
      'org/series-new.eta',
      {
        title: 'Post a weekly series',
        organisation,
        form: shiftFormView(form, problems),
        skillGroups: SKILL_GROUPS,
        weekdays: WEEKDAYS,
      },
      status,
    );
  }
}
