import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { Allow } from './auth.decorators.js';
import { LinkTokenDto, SessionResponseDto } from './identity.dto.js';
import { IdentityService } from './identity.service.js';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie.js';
import { ApiJsonOrPageResponse, wantsJson } from '../http/index.js';

type AccountLink = 'verify_email' | 'sign_in';
const PAGES: Record<AccountLink, { title: string; intro: string; button: string }> = {
  verify_email: { title: 'Confirm your email', intro: 'One more step: confirm that this is your email address.', button: 'Confirm my email' },
  sign_in: { title: 'Sign in to Kindshift', intro: 'Press the button to finish signing in on this device.', button: 'Sign in' },
};

/**
 * The pages behind emailed links. GET only shows a page (mail scanners open every link);
 * the POST from its button uses the token. JSON clients get a bearer token instead of a cookie.
 */
@ApiTags('links')
@Controller('links')
@Allow('public')
export class LinkPagesController {
  constructor(
    private readonly identity: IdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('verify')
  @ApiExcludeEndpoint()
  showVerify(@Query() query: LinkTokenDto, @Res() reply: FastifyReply) {
    return this.showPage('verify_email', '/links/verify', query.token, reply);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm an email address (from the emailed link)' })
  @ApiJsonOrPageResponse(SessionResponseDto, 'Email confirmed; a session starts (JSON: a bearer token; a browser: a cookie and a page).')
  confirmVerify(@Body() body: LinkTokenDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.complete('verify_email', body.token, request, reply);
  }

  @Get('sign-in')
  @ApiExcludeEndpoint()
  showSignIn(@Query() query: LinkTokenDto, @Res() reply: FastifyReply) {
    return this.showPage('sign_in', '/links/sign-in', query.token, reply);
  }

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Finish signing in (from the emailed link)' })
  @ApiJsonOrPageResponse(SessionResponseDto, 'Signed in; a session starts (JSON: a bearer token; a browser: a cookie and a page).')
  confirmSignIn(@Body() body: LinkTokenDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.complete('sign_in', body.token, request, reply);
  }

  private async showPage(purpose: AccountLink, action: string, token: string, reply: FastifyReply) {
    await this.identity.peekLinkToken(token, purpose);
    return reply.type('text/html; charset=utf-8').view('link-confirm.eta', { ...PAGES[purpose], action, token });
  }

  private async complete(purpose: AccountLink, token: string, request: FastifyRequest, reply: FastifyReply) {
    const session = await this.identity.completeLink(token, purpose);
    if (wantsJson(request)) {
      return reply.send({ token: session.token, expiresAt: session.expiresAt.toISOString(), role: session.role });
    }
    reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(this.config.PUBLIC_BASE_URL, this.config.SESSION_TTL_SECONDS));
    return reply.type('text/html; charset=utf-8').view('link-done.eta', {
      title: purpose === 'verify_email' ? 'Thank you — your email is confirmed' : 'You are signed in',
      message: purpose === 'verify_email' ? 'We will email you when a shift fits your time, skills and area.' : 'Welcome back.',
    });
  }
}
