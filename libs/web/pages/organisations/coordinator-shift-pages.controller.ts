import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { plural } from '../../../common/index.js';
import { type FieldProblem, UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { whyNoMatchList, EXCLUSION_RULES, MatchingService } from '../../../matching/index.js';
import {
  CreateShiftDto,
  UpdateShiftDto,
  type OrganisationResponseDto,
  type ShiftResponseDto,
  OrganisationsService,
  ShiftsService,
} from '../../../organisations/index.js';
import { VolunteersService } from '../../../volunteers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, problemsOf, validateAs } from '../../forms.js';
import { EXCLUSION_LABELS, SHIFT_STATUS_LABELS, SKILL_GROUPS, skillLabel } from '../../labels.js';
import { PageExtensions } from '../../page-extensions.js';
import { PageRenderer } from '../../page-renderer.js';
import { round1, todayIn } from '../../time.js';
import { coordinatorOf, defaultAddress, DONE } from './coordinator-pages.shared.js';
import {
  localInterval,
  parseShiftForm,
  shiftFormFromShift,
  shiftFormView,
  shiftPayload,
  type ShiftForm,
} from './shift-form.js';

const ACTIVE = new Set(['draft', 'open', 'full']);

/**
 * A coordinator's one-off shifts: posting one, and its page with matches, roster and the edit form.
 * Every POST here needs the page's CSRF token.
 */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorShiftPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly shifts: ShiftsService,
    private readonly matching: MatchingService,
    private readonly volunteers: VolunteersService,
    private readonly extensions: PageExtensions,
  ) {}

  @Get('shifts/new')
  async newShift(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const form: ShiftForm = {
      title: '',
      description: '',
      date: todayIn(organisation.timeZone, 1),
      start: '17:00',
      end: '20:00',
      addressId: defaultAddress(organisation),
      capacity: '4',
      requiredSkills: [],
      niceSkills: [],
      publish: true,
    };
    return this.renderShiftForm(request, reply, organisation, form, []);
  }

  @Post('shifts')
  async createShift(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const coordinator = coordinatorOf(request);
    const organisation = await this.organisations.get(coordinator.organisationId);
    const form = parseShiftForm(asFormBody(body));
    const interval = localInterval(form.date, form.start, form.end, organisation.timeZone);
    const { dto, problems } = await validateAs(CreateShiftDto, {
      ...shiftPayload(form, interval),
      publish: form.publish,
    });
    const all = [
      ...interval.problems,
      ...(interval.problems.length ? problems.filter((p) => !/^(startsAt|endsAt)$/.test(p.field)) : problems),
    ];
    if (all.length) return this.renderShiftForm(request, reply, organisation, form, all, 422);
    try {
      const shift = await this.shifts.create(organisation.id, dto, coordinator.accountId);
      return this.pages.redirect(reply, `/org/shifts/${shift.id}?done=created`);
    } catch (error) {
      return this.renderShiftForm(request, reply, organisation, form, problemsOf(error), 422);
    }
  }

  @Get('shifts/:shiftId')
  async shift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: Record<string, string>,
  ) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const shift = await this.shifts.get(organisation.id, shiftId);
    return this.renderShift(
      request,
      reply,
      organisation,
      shift,
      shiftFormFromShift(shift, organisation.timeZone),
      [],
      DONE[query.done ?? ''] ?? null,
      200,
      query.live !== '0',
    );
  }

  @Post('shifts/:shiftId')
  async updateShift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    const organisation = await this.organisations.get(coordinator.organisationId);
    const shift = await this.shifts.get(organisation.id, shiftId);
    const form = parseShiftForm(asFormBody(body));
    const interval = localInterval(form.date, form.start, form.end, organisation.timeZone);
    const payload = shiftPayload(form, interval);
    // Unchanged times are not sent: a shift already under way can still get a new description.
    const sameTimes =
      interval.startsAt &&
      interval.endsAt &&
      new Date(interval.startsAt).getTime() === new Date(shift.startsAt).getTime() &&
      new Date(interval.endsAt).getTime() === new Date(shift.endsAt).getTime();
    if (sameTimes || interval.problems.length) {
      delete payload.startsAt;
      delete payload.endsAt;
    }
    const { dto, problems } = await validateAs(UpdateShiftDto, payload);
    const all = [...interval.problems, ...problems];
    if (all.length) return this.renderShift(request, reply, organisation, shift, form, all, null, 422);
    try {
      await this.shifts.update(organisation.id, shiftId, dto, coordinator.accountId);
    } catch (error) {
      return this.renderShift(request, reply, organisation, shift, form, problemsOf(error), null, 422);
    }
    return this.pages.redirect(reply, `/org/shifts/${shiftId}?done=updated`);
  }

  private renderShiftForm(
    request: FastifyRequest,
    reply: FastifyReply,
    organisation: OrganisationResponseDto,
    form: ShiftForm,
    problems: FieldProblem[],
    status = 200,
  ) {
    return this.pages.render(
      request,
      reply,
      'org/shift-new.eta',
      {
        title: 'Post a shift',
        organisation,
        form: shiftFormView(form, problems),
        skillGroups: SKILL_GROUPS,
      },
      status,
    );
  }

  private async renderShift(
    request: FastifyRequest,
    reply: FastifyReply,
    organisation: OrganisationResponseDto,
    shift: ShiftResponseDto,
    form: ShiftForm,
    problems: FieldProblem[],
    done: string | null,
    status = 200,
    live = false,
  ) {
    const active = ACTIVE.has(shift.status) && new Date(shift.endsAt).getTime() > Date.now();
    // A shift that can take no one more says why instead of listing matches (as the API does).
    const matchesReason = whyNoMatchList(
      { ...shift, startsAt: new Date(shift.startsAt), endsAt: new Date(shift.endsAt) },
      Date.now(),
    );
    const [matches, roster, fill, progress, arrivals] = await Promise.all([
      active && !matchesReason ? this.matchesFor(shift.id) : Promise.resolve(null),
      this.extensions.shiftActivity.roster(organisation.id, shift.id),
      this.extensions.shiftActivity.fillFor(organisation.id, [shift.id]),
      this.extensions.shiftActivity.progress(organisation.id, shift.id),
      this.extensions.shiftArrivals.forShift(organisation.id, shift.id),
    ]);
    // Without JavaScript the page reloads itself while a wave goes out (a few seconds, never
    // while merely waiting for answers, which may take hours); `?live=0` turns that off.
    const waveMoving = progress?.state === 'preparing' || progress?.state === 'sending';
    const address = organisation.addresses.find((a) => a.id === shift.addressId);
    return this.pages.render(
      request,
      reply,
      'org/shift.eta',
      {
        title: shift.title,
        organisation,
        shift,
        address,
        active,
        done,
        matches,
        matchesReason,
        roster,
        fill: fill.get(shift.id) ?? null,
        statusLabel: SHIFT_STATUS_LABELS[shift.status],
        requiredSkills: shift.requiredSkills.map(skillLabel),
        niceSkills: shift.niceSkills.map(skillLabel),
        form: shiftFormView(form, problems),
        skillGroups: SKILL_GROUPS,
        editOpen: problems.length > 0,
        offerPipeline: this.extensions.hasOfferPipeline,
        progress,
        arrivals,
        live,
        refreshSeconds: live && waveMoving && problems.length === 0 ? progress?.refreshSeconds : null,
      },
      status,
    );
  }

  private async matchesFor(shiftId: string) {
    const result = await this.matching.findMatchesForShift(shiftId, { limit: 20 });
    const names = await this.volunteers.displayNames(result.matches.map((m) => m.volunteerId));
    const excluded = EXCLUSION_RULES.map((rule) => ({ rule, count: result.excluded[rule] ?? 0 }))
      .filter((e) => e.count > 0)
      .map((e) => ({ ...e, label: EXCLUSION_LABELS[e.rule] ? plural(e.count, EXCLUSION_LABELS[e.rule]) : e.rule }));
    return {
      list: result.matches.map((m) => ({
        name: names.get(m.volunteerId) ?? 'Volunteer',
        distanceKm: round1(m.distanceKm),
        explanation: m.explanation,
        score: Math.round(m.score.total * 100),
      })),
      excluded,
      totalCandidates: result.totalCandidates,
      complete: result.complete,
      examinedRadiusKm: round1(result.examinedRadiusKm),
    };
  }
}
