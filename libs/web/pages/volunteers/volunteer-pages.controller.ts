import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { DomainError, type FieldProblem } from '../../../platform/index.js';
import {
  Allow,
  AuthRateLimited,
  EmailChangeService,
  type Principal,
  ChangeEmailDto,
  SESSION_COOKIE,
} from '../../../identity/index.js';
import { MatchingService } from '../../../matching/index.js';
import { formatLocalInterval, ShiftsService } from '../../../organisations/index.js';
import {
  RegisterVolunteerDto,
  UpdateVolunteerDto,
  type VolunteerProfileDto,
  VolunteersService,
  unknownPostcodeMessage,
} from '../../../volunteers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, problemsOf, text, validateAs } from '../../forms.js';
import {
  CAUSE_LABELS,
  CAUSES,
  SKILL_GROUPS,
  skillLabel,
  timeZoneGroups,
  WEEKDAYS,
  weekdayLabel,
} from '../../labels.js';
import { PageExtensions } from '../../page-extensions.js';
import { PageRenderer, principalOf } from '../../page-renderer.js';
import { round1 } from '../../time.js';
import {
  applyRowAction,
  emptyVolunteerForm,
  parseVolunteerForm,
  volunteerFormFromProfile,
  volunteerFormProblems,
  volunteerFormView,
  volunteerPayload,
  type VolunteerForm,
} from './volunteer-form.js';

/** What the sign-up and profile templates share: the pickers' options. */
function formChoices(form: VolunteerForm) {
  return { zoneGroups: timeZoneGroups(form.timeZone), skillGroups: SKILL_GROUPS, causes: CAUSES, weekdays: WEEKDAYS };
}

/**
 * Resolves the typed home area with the offline gazetteer before anything is stored, so the page can
 * say which place it understood (and name the field when it understood none).
 */
async function resolveHome(
  volunteers: VolunteersService,
  query: string,
): Promise<{ label?: string; problem?: FieldProblem }> {
  if (query.length < 2) return { problem: { field: 'home.query', message: 'required' } };
  const [best] = await volunteers.geocode(query.slice(0, 100));
  if (!best)
    return {
      problem: {
        field: 'home.query',
        message: unknownPostcodeMessage(query) ?? `no place called "${query}" was found; try a nearby town or city`,
      },
    };
  return { label: best.label };
}

/** Volunteer sign-up: public, no session yet, so no CSRF token (nothing of a signed-in person changes). */
@ApiExcludeController()
@Controller('sign-up')
@Allow('public')
export class SignUpPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly volunteers: VolunteersService,
  ) {}

  @Get()
  show(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = emptyVolunteerForm();
    return this.render(request, reply, form, [], { detectZone: true });
  }

  @Post()
  @AuthRateLimited()
  async submit(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = parseVolunteerForm(asFormBody(body));
    const home = await resolveHome(this.volunteers, form.homeQuery);
    const { dto, problems } = await validateAs(RegisterVolunteerDto, volunteerPayload(form, 'register', home.label));
    const all = [
      ...(home.problem ? [home.problem] : []),
      ...problems.filter((p) => !p.field.startsWith('home')),
      ...volunteerFormProblems(form),
    ];
    if (all.length) return this.render(request, reply, form, all, {}, 422);
    try {
      await this.volunteers.register(dto);
    } catch (error) {
      return this.render(request, reply, form, problemsOf(error), {}, 422);
    }
    return this.pages.render(request, reply, 'volunteer/sign-up-done.eta', {
      title: 'Check your inbox',
      email: form.email,
      homeLabel: home.label,
    });
  }

  /** "Add another" and "Remove" without JavaScript: the form comes back changed, nothing is stored. */
  @Post('rows')
  rows(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = asFormBody(body);
    const { form, focus } = applyRowAction(parseVolunteerForm(parsed, true), text(parsed, '_action'));
    return this.render(request, reply, form, [], { exactRows: true, focus });
  }

  private render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: VolunteerForm,
    problems: FieldProblem[],
    options: { detectZone?: boolean; exactRows?: boolean; focus?: string },
    status = 200,
  ) {
    const view = volunteerFormView(form, problems, options);
    return this.pages.render(
      request,
      reply,
      'volunteer/sign-up.eta',
      {
        title: 'Volunteer with Kindshift',
        ...view,
        ...formChoices(form),
        mode: 'register',
        detectZone: Boolean(options.detectZone),
        action: '/sign-up',
        rowsAction: '/sign-up/rows',
      },
      status,
    );
  }
}

const EMAIL_MESSAGES = [
  { field: 'email', when: /already your/, say: 'This is already your email address' },
  { field: 'email', when: /another account/, say: 'This email address belongs to another account' },
  { field: 'email', say: 'Enter your new email address, like name@example.org' },
];

const volunteerIdOf = (request: FastifyRequest) =>
  (principalOf(request) as Extract<Principal, { kind: 'volunteer' }>).accountId;

/** A signed-in volunteer's pages. Every POST here needs the page's CSRF token. */
@ApiExcludeController()
@Controller('me')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly volunteers: VolunteersService,
    private readonly matching: MatchingService,
    private readonly shifts: ShiftsService,
    private readonly extensions: PageExtensions,
    private readonly emailChanges: EmailChangeService,
  ) {}

  @Get()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    const volunteerId = volunteerIdOf(request);
    const profile = await this.volunteers.profile(volunteerId);
    const [found, activity] = await Promise.all([
      this.matching.findShiftsForVolunteer(volunteerId, { limit: 10 }),
      this.extensions.volunteerActivity.forVolunteer(volunteerId, profile.timeZone),
    ]);
    const titles = await this.shifts.titles(found.map((shift) => shift.shiftId));
    const fits = found.map((shift) => ({
      shiftId: shift.shiftId,
      title: titles.get(shift.shiftId)?.title ?? 'Shift',
      organisationName: titles.get(shift.shiftId)?.organisationName ?? '',
      localTime: formatLocalInterval(shift.startsAt, shift.endsAt, profile.timeZone),
      distanceKm: round1(shift.distanceKm),
      explanation: shift.explanation,
    }));
    return this.pages.render(request, reply, 'volunteer/home.eta', {
      title: `Hello, ${profile.name}`,
      profile,
      summary: profileSummary(profile),
      fits,
      activity,
      offerPipeline: this.extensions.hasOfferPipeline,
      saved: query.saved === '1',
    });
  }

  @Get('profile')
  async showProfile(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const profile = await this.volunteers.profile(volunteerIdOf(request));
    return this.renderProfile(request, reply, volunteerFormFromProfile(profile), profile, []);
  }

  @Post('profile')
  async saveProfile(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const volunteerId = volunteerIdOf(request);
    const profile = await this.volunteers.profile(volunteerId);
    const form = parseVolunteerForm(asFormBody(body));
    // The home area is looked up again only when the text changed.
    const home =
      form.homeQuery === (profile.home.label ?? '') ? {} : await resolveHome(this.volunteers, form.homeQuery);
    const { dto, problems } = await validateAs(UpdateVolunteerDto, volunteerPayload(form, 'update', home.label));
    const all = [
      ...(home.problem ? [home.problem] : []),
      ...problems.filter((p) => !p.field.startsWith('home')),
      ...volunteerFormProblems(form),
    ];
    if (all.length) return this.renderProfile(request, reply, form, profile, all, {}, 422);
    try {
      await this.volunteers.update(volunteerId, dto);
    } catch (error) {
      return this.renderProfile(request, reply, form, profile, problemsOf(error), {}, 422);
    }
    return this.pages.redirect(reply, '/me?saved=1');
  }

  @Post('profile/rows')
  async profileRows(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const profile = await this.volunteers.profile(volunteerIdOf(request));
    const parsed = asFormBody(body);
    const { form, focus } = applyRowAction(parseVolunteerForm(parsed, true), text(parsed, '_action'));
    return this.renderProfile(request, reply, form, profile, [], { exactRows: true, focus });
  }

  @Get('email')
  async showEmail(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const profile = await this.volunteers.profile(volunteerIdOf(request));
    return this.pages.render(request, reply, 'volunteer/email.eta', {
      title: 'Change your email address',
      profile,
      form: new FormState(),
    });
  }

  @Post('email')
  @AuthRateLimited()
  async changeEmail(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const volunteerId = volunteerIdOf(request);
    const email = text(asFormBody(body), 'email');
    let { problems } = await validateAs(ChangeEmailDto, { email });
    if (!problems.length) {
      try {
        await this.emailChanges.request(volunteerId, email);
        return this.pages.render(request, reply, 'volunteer/email-sent.eta', {
          title: 'Check your new inbox',
          email: email.toLowerCase(),
        });
      } catch (error) {
        problems = error instanceof DomainError && error.errors.length ? error.errors : problemsOf(error);
      }
    }
    const profile = await this.volunteers.profile(volunteerId);
    const form = new FormState({ email }, problems, EMAIL_MESSAGES);
    return this.pages.render(
      request,
      reply,
      'volunteer/email.eta',
      { title: 'Change your email address', profile, form },
      422,
    );
  }

  @Get('data')
  async data(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const profile = await this.volunteers.profile(volunteerIdOf(request));
    return this.pages.render(request, reply, 'volunteer/data.eta', { title: 'Your data', profile });
  }

  @Get('data/delete')
  async confirmDelete(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const profile = await this.volunteers.profile(volunteerIdOf(request));
    return this.pages.render(request, reply, 'volunteer/delete.eta', { title: 'Delete your account', profile });
  }

  @Post('data/delete')
  async delete(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.volunteers.deleteAccount(volunteerIdOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    (request as FastifyRequest & { principal?: Principal }).principal = undefined;
    return this.pages.render(request, reply, 'volunteer/deleted.eta', { title: 'Your account is deleted' });
  }

  private renderProfile(
    request: FastifyRequest,
    reply: FastifyReply,
    form: VolunteerForm,
    profile: VolunteerProfileDto,
    problems: FieldProblem[],
    options: { exactRows?: boolean; focus?: string } = {},
    status = 200,
  ) {
    const view = volunteerFormView(form, problems, options);
    return this.pages.render(
      request,
      reply,
      'volunteer/profile.eta',
      {
        title: 'Your profile',
        ...view,
        ...formChoices(form),
        mode: 'profile',
        detectZone: false,
        profile,
        action: '/me/profile',
        rowsAction: '/me/profile/rows',
      },
      status,
    );
  }
}

const longDate = (date: string) => DateTime.fromISO(date).toFormat('ccc d LLL yyyy');

/** The profile in words, for the home page. */
function profileSummary(profile: VolunteerProfileDto) {
  return {
    home: profile.home.label ?? `near ${profile.home.lat.toFixed(2)}, ${profile.home.lon.toFixed(2)}`,
    skills: profile.skills.map(skillLabel),
    causes: profile.causes.length
      ? profile.causes.map((c) => CAUSE_LABELS[c as keyof typeof CAUSE_LABELS] ?? c)
      : ['Any cause'],
    availability: profile.availability.map(
      (w) => `${weekdayLabel(w.weekday)} ${w.start}–${w.end}${w.end <= w.start ? ' (ends next day)' : ''}`,
    ),
    exceptions: profile.exceptions.map((e) =>
      e.startsOn === e.endsOn ? longDate(e.startsOn) : `${longDate(e.startsOn)} to ${longDate(e.endsOn)}`,
    ),
  };
}
