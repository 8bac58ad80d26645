import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../platform/index.js';
import {
  Allow,
  AuthRateLimited,
  EmailChangeService,
  type Principal,
  ChangeEmailDto,
  SESSION_COOKIE,
} from '../../../identity/index.js';
import { VolunteersService } from '../../../volunteers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, problemsOf, text, validateAs } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { volunteerIdOf } from './volunteer-pages.shared.js';

const EMAIL_MESSAGES = [
  { field: 'email', when: /already your/, say: 'This is already your email address' },
  { field: 'email', when: /another account/, say: 'This email address belongs to another account' },
  { field: 'email', say: 'Enter your new email address, like name@example.org' },
];

/**
 * A signed-in volunteer's account: changing the email address, the data export page and deleting
 * the account. Every POST here needs the page's CSRF token.
 */
@ApiExcludeController()
@Controller('me')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerAccountPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly volunteers: VolunteersService,
    private readonly emailChanges: EmailChangeService,
  ) {}

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
}
