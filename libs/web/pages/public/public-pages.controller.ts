import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, AuthRateLimited, IdentityService, SignInRequestDto, SESSION_COOKIE } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, text, validateAs } from '../../forms.js';
import { PageRenderer, principalOf } from '../../page-renderer.js';
import { ARRIVE_RETURN_COOKIE, arriveReturnOf } from '../arrivals/arrive-return.js';

const SIGN_IN_MESSAGES = [{ field: 'email', say: 'Enter your email address, like name@example.org' }];

/** Pages anyone may open: the landing page, privacy, the operator's links and sign-in by email. */
@ApiExcludeController()
@Controller()
@Allow('public')
export class PublicPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly identity: IdentityService,
  ) {}

  @Get()
  landing(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    return this.pages.render(request, reply, 'public/landing.eta', {
      title: 'Volunteer shifts that fit your life',
      signedOut: query['signed-out'] === '1',
    });
  }

  @Get('privacy')
  privacy(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'public/privacy.eta', { title: 'Privacy' });
  }

  @Get('operator')
  operator(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'public/operator.eta', { title: 'Operator' });
  }

  /** Browsers and feed readers ask for /favicon.ico whatever the page links: send them to the SVG icon. */
  @Get('favicon.ico')
  favicon(@Res() reply: FastifyReply) {
    return reply.header('cache-control', 'public, max-age=86400').redirect('/static/favicon.svg', 301);
  }

  /** Where "Continue" after a sign-in link leads: each kind of account has its own start page. */
  @Get('home')
  start(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const kind = principalOf(request)?.kind;
    const arrival = kind === 'volunteer' ? arriveReturnOf(request) : null;
    if (arrival) {
      // Back to the shift's arrival page they scanned before signing in.
      reply.clearCookie(ARRIVE_RETURN_COOKIE, { path: '/' });
      return this.pages.redirect(reply, arrival);
    }
    return this.pages.redirect(reply, kind === 'volunteer' ? '/me' : kind === 'coordinator' ? '/org' : '/sign-in');
  }

  @Get('sign-in')
  showSignIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'public/sign-in.eta', { title: 'Sign in', form: new FormState() });
  }

  @Post('sign-in')
  @AuthRateLimited()
  async signIn(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const email = text(asFormBody(body), 'email');
    const { problems } = await validateAs(SignInRequestDto, { email });
    if (problems.length) {
      return this.pages.render(
        request,
        reply,
        'public/sign-in.eta',
        { title: 'Sign in', form: new FormState({ email }, problems, SIGN_IN_MESSAGES) },
        422,
      );
    }
    await this.identity.requestSignIn(email);
    return this.pages.render(request, reply, 'public/sign-in-sent.eta', { title: 'Check your inbox', email });
  }
}

/** Signing out of a cookie session: a POST with the page's CSRF token (a link could be forged). */
@ApiExcludeController()
@Controller()
@Allow('volunteer', 'coordinator')
@UseGuards(CsrfGuard)
export class SessionPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly identity: IdentityService,
  ) {}

  @Post('sign-out')
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const principal = principalOf(request);
    if (principal?.kind === 'volunteer' || principal?.kind === 'coordinator')
      await this.identity.signOut(principal.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return this.pages.redirect(reply, '/?signed-out=1');
  }
}
