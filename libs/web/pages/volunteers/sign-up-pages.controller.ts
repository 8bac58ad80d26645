import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldProblem } from '../../../platform/index.js';
import { Allow, AuthRateLimited } from '../../../identity/index.js';
import { RegisterVolunteerDto, VolunteersService } from '../../../volunteers/index.js';
import { asFormBody, problemsOf, text, validateAs } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import {
  applyRowAction,
  emptyVolunteerForm,
  parseVolunteerForm,
  volunteerFormProblems,
  volunteerFormView,
  volunteerPayload,
  type VolunteerForm,
} from './volunteer-form.js';
import { formChoices, resolveHome } from './volunteer-pages.shared.js';

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
