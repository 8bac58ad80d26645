import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../../../identity/index.js';
import { OrganisationsService, SeriesService, ShiftsService } from '../../../organisations/index.js';
import { CsrfGuard } from '../../csrf.js';
import { KIND_LABELS, SHIFT_STATUS_LABELS, weekdayLabel } from '../../labels.js';
import { PageExtensions } from '../../page-extensions.js';
import { PageRenderer } from '../../page-renderer.js';
import { startOfLocalDay, todayIn } from '../../time.js';
import { coordinatorOf, DONE } from './coordinator-pages.shared.js';

/** A coordinator's home page: the organisation's shifts (upcoming or past) and its weekly series. */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorOverviewPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly shifts: ShiftsService,
    private readonly seriesService: SeriesService,
    private readonly extensions: PageExtensions,
  ) {}

  @Get()
  async overview(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    const { organisationId } = coordinatorOf(request);
    const organisation = await this.organisations.get(organisationId);
    const zone = organisation.timeZone;
    const past = query.show === 'past';
    const today = todayIn(zone);
    const list = await this.shifts.list(
      organisationId,
      past
        ? { from: startOfLocalDay(todayIn(zone, -90), zone), to: startOfLocalDay(today, zone), limit: 200 }
        : { from: startOfLocalDay(today, zone), limit: 200 },
    );
    const shifts = past ? list.reverse() : list;
    const fill = await this.extensions.shiftActivity.fillFor(
      organisationId,
      shifts.map((s) => s.id),
    );
    const series = await this.seriesService.listSeries(organisationId);
    return this.pages.render(request, reply, 'org/overview.eta', {
      title: organisation.name,
      organisation,
      kindLabel: KIND_LABELS[organisation.kind as keyof typeof KIND_LABELS],
      shifts: shifts.map((shift) => ({
        ...shift,
        statusLabel: SHIFT_STATUS_LABELS[shift.status],
        fill: fill.get(shift.id) ?? null,
      })),
      series: series.map((s) => ({ ...s, weekdayLabel: weekdayLabel(s.weekday) })),
      past,
      done: DONE[query.done ?? ''] ?? null,
      offerPipeline: this.extensions.hasOfferPipeline,
    });
  }
}
