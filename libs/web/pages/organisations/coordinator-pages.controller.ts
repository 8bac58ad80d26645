import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { plural } from '../../../common/index.js';
import { type FieldProblem, UuidPipe } from '../../../platform/index.js';
import { Allow, IdentityService, type Principal, CreateApiKeyDto } from '../../../identity/index.js';
import { whyNoMatchList, EXCLUSION_RULES, MatchingService } from '../../../matching/index.js';
import {
  CancelShiftDto,
  CreateSeriesDto,
  CreateShiftDto,
  UpdateShiftDto,
  type OrganisationResponseDto,
  type ShiftResponseDto,
  OrganisationsService,
  SeriesService,
  ShiftsService,
} from '../../../organisations/index.js';
import { VolunteersService } from '../../../volunteers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, problemsOf, text, validateAs } from '../../forms.js';
import {
  EXCLUSION_LABELS,
  KIND_LABELS,
  SHIFT_STATUS_LABELS,
  SKILL_GROUPS,
  skillLabel,
  WEEKDAYS,
  weekdayLabel,
} from '../../labels.js';
import { PageExtensions } from '../../page-extensions.js';
import { PageRenderer, principalOf } from '../../page-renderer.js';
import {
  localInterval,
  parseSeriesForm,
  parseShiftForm,
  seriesPayload,
  shiftFormFromShift,
  shiftFormView,
  shiftPayload,
  type SeriesForm,
  type ShiftForm,
} from './shift-form.js';
import { formatInstant, round1, startOfLocalDay, todayIn } from '../../time.js';

type Coordinator = Extract<Principal, { kind: 'coordinator' }>;
const coordinatorOf = (request: FastifyRequest) => principalOf(request) as Coordinator;

/** Confirmations after POST → redirect → GET, keyed so a URL cannot inject text. */
const DONE: Record<string, string> = {
  created: 'The shift is saved.',
  published: 'The shift is open: matching volunteers will be offered it.',
  updated: 'Your changes are saved. Booked volunteers are told about changes to the time or place.',
  cancelled: 'The shift is cancelled.',
  'series-created': 'The weekly series is saved and its first shifts are created.',
  'series-cancelled': 'The series and its upcoming shifts are cancelled.',
  revoked: 'The API key is revoked. Systems using it can no longer post shifts.',
};

const CANCEL_MESSAGES = [{ field: 'reason', say: 'Keep the reason to 500 characters or fewer, or leave it empty' }];
const API_KEY_MESSAGES = [
  { field: 'name', say: 'Enter a name for the key (up to 100 characters), like “Rota system”' },
];
const ACTIVE = new Set(['draft', 'open', 'full']);

/** A coordinator's pages for their own organisation. Every POST here needs the page's CSRF token. */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly shifts: ShiftsService,
    private readonly seriesService: SeriesService,
    private readonly matching: MatchingService,
    private readonly identity: IdentityService,
    private readonly volunteers: VolunteersService,
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

  // ---- one-off shifts -------------------------------------------------------------------------

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

  @Post('shifts/:shiftId/publish')
  async publishShift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    await this.shifts.publish(coordinator.organisationId, shiftId, coordinator.accountId);
    return this.pages.redirect(reply, `/org/shifts/${shiftId}?done=published`);
  }

  @Get('shifts/:shiftId/cancel')
  confirmCancelShift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.renderCancelShift(request, reply, shiftId, new FormState({ reason: '' }));
  }

  @Post('shifts/:shiftId/cancel')
  async cancelShift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    const reason = text(asFormBody(body), 'reason');
    const { problems } = await validateAs(CancelShiftDto, reason ? { reason } : {});
    if (problems.length)
      return this.renderCancelShift(request, reply, shiftId, new FormState({ reason }, problems, CANCEL_MESSAGES), 422);
    await this.shifts.cancel(coordinator.organisationId, shiftId, coordinator.accountId, reason);
    return this.pages.redirect(reply, `/org/shifts/${shiftId}?done=cancelled`);
  }

  private async renderCancelShift(
    request: FastifyRequest,
    reply: FastifyReply,
    shiftId: string,
    form: FormState,
    status = 200,
  ) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const shift = await this.shifts.get(organisation.id, shiftId);
    return this.pages.render(
      request,
      reply,
      'org/confirm.eta',
      {
        title: `Cancel “${shift.title}”?`,
        intro: `${shift.localTime}. ${shift.filled > 0 ? `${plural(shift.filled, { one: '# booked volunteer is', other: '# booked volunteers are' })} told by email.` : 'Nobody is booked yet.'} Pending offers are withdrawn. This cannot be undone.`,
        action: `/org/shifts/${shift.id}/cancel`,
        button: 'Cancel this shift',
        back: `/org/shifts/${shift.id}`,
        backLabel: 'Keep the shift',
        form,
        reasonHint:
          shift.filled > 0
            ? 'Booked volunteers read this in the cancellation email. Up to 500 characters.'
            : 'Kept with the shift. Up to 500 characters.',
      },
      status,
    );
  }

  // ---- weekly series --------------------------------------------------------------------------

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

  // ---- API keys -------------------------------------------------------------------------------

  @Get('api-keys')
  async apiKeys(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    return this.renderApiKeys(request, reply, new FormState(), null, DONE[query.done ?? ''] ?? null);
  }

  @Post('api-keys')
  async createApiKey(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const coordinator = coordinatorOf(request);
    const name = text(asFormBody(body), 'name');
    const { problems } = await validateAs(CreateApiKeyDto, { name });
    if (problems.length)
      return this.renderApiKeys(request, reply, new FormState({ name }, problems, API_KEY_MESSAGES), null, null, 422);
    const { apiKey, key } = await this.identity.createApiKey(coordinator.organisationId, name, coordinator.accountId);
    return this.renderApiKeys(request, reply, new FormState(), { name: apiKey.name, key }, null, 201);
  }

  @Post('api-keys/:apiKeyId/revoke')
  async revokeApiKey(
    @Param('apiKeyId', UuidPipe) apiKeyId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.identity.revokeApiKey(coordinatorOf(request).organisationId, apiKeyId);
    return this.pages.redirect(reply, '/org/api-keys?done=revoked');
  }

  // ---- rendering ------------------------------------------------------------------------------

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
    const [matches, roster, fill, progress] = await Promise.all([
      active && !matchesReason ? this.matchesFor(shift.id) : Promise.resolve(null),
      this.extensions.shiftActivity.roster(organisation.id, shift.id),
      this.extensions.shiftActivity.fillFor(organisation.id, [shift.id]),
      this.extensions.shiftActivity.progress(organisation.id, shift.id),
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

  private async renderApiKeys(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    created: { name: string; key: string } | null,
    done: string | null,
    status = 200,
  ) {
    const { organisationId } = coordinatorOf(request);
    const organisation = await this.organisations.get(organisationId);
    const keys = await this.identity.listApiKeys(organisationId);
    return this.pages.render(
      request,
      reply,
      'org/api-keys.eta',
      {
        title: 'API keys',
        organisation,
        form,
        created,
        done,
        keys: keys.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          revoked: Boolean(k.revokedAt),
          createdAt: formatInstant(k.createdAt, organisation.timeZone),
          lastUsedAt: k.lastUsedAt ? formatInstant(k.lastUsedAt, organisation.timeZone) : null,
          revokedAt: k.revokedAt ? formatInstant(k.revokedAt, organisation.timeZone) : null,
        })),
      },
      status,
    );
  }
}

function defaultAddress(organisation: OrganisationResponseDto): string {
  return (organisation.addresses.find((a) => a.isDefault) ?? organisation.addresses[0])?.id ?? '';
}
