import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldProblem } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { UpdateVolunteerDto, type VolunteerProfileDto, VolunteersService } from '../../../volunteers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, problemsOf, text, validateAs } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import {
  applyRowAction,
  parseVolunteerForm,
  volunteerFormFromProfile,
  volunteerFormProblems,
  volunteerFormView,
  volunteerPayload,
  type VolunteerForm,
} from './volunteer-form.js';
import { formChoices, resolveHome, volunteerIdOf } from './volunteer-pages.shared.js';

/** A signed-in volunteer's profile form, incl. pause. Every POST here needs the page's CSRF token. */
@ApiExcludeController()
@Controller('me')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerProfilePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly volunteers: VolunteersService,
  ) {}

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
