import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiExcludeEndpoint,
  ApiGoneResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, Allow, ApiJsonOrPageResponse, wantsJson } from '../platform/index.js';
import { EmailChangeService } from './email-change.service.js';
import { EmailChangeCancelledDto, EmailChangedDto, LinkTokenDto, SessionResponseDto } from './identity.dto.js';
import { IdentityService } from './identity.service.js';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie.js';

type AccountLink = 'verify_email' | 'sign_in' | 'email_change' | 'email_change_cancel';
const PAGES: Record<AccountLink, { title: string; intro: string; button: string }> = {
  verify_email: {
    title: 'Confirm your email',
    intro: 'One more step: confirm that this is your email address.',
    button: 'Confirm my email',
  },
  sign_in: {
    title: 'Sign in to Kindshift',
    intro: 'Press the button to finish signing in on this device.',
    button: 'Sign in',
  },
  email_change: {
    title: 'Confirm your new email address',
    intro: 'Press the button and this address becomes the one of your Kindshift account.',
    button: 'Use this address',
  },
  email_change_cancel: {
    title: 'Stop the change of your email address',
    intro: 'Press the button and your account keeps this address.',
    button: 'Cancel the change',
  },
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
    private readonly emailChanges: EmailChangeService,
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
  @ApiJsonOrPageResponse(
    SessionResponseDto,
    'Email confirmed; a session starts (JSON: a bearer token; a browser: a cookie and a page).',
  )
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
  @ApiJsonOrPageResponse(
    SessionResponseDto,
    'Signed in; a session starts (JSON: a bearer token; a browser: a cookie and a page).',
  )
  confirmSignIn(@Body() body: LinkTokenDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.complete('sign_in', body.token, request, reply);
  }

  @Get('email-change')
  @ApiExcludeEndpoint()
  showEmailChange(@Query() query: LinkTokenDto, @Res() reply: FastifyReply) {
    return this.showPage('email_change', '/links/email-change', query.token, reply);
  }

  @Post('email-change')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a new email address (the link sent to it)' })
  @ApiOkResponse({ type: EmailChangedDto, description: 'The account has the new address; sessions stay signed in.' })
  @ApiConflictResponse({ description: 'Another account took the address meanwhile (problem+json naming email).' })
  @ApiGoneResponse({ description: 'The link was used, expired, cancelled or replaced by a newer request.' })
  async confirmEmailChange(@Body() body: LinkTokenDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { email } = await this.emailChanges.confirm(body.token);
    if (wantsJson(request)) return reply.send({ email });
    return reply.type('text/html; charset=utf-8').view('link-done.eta', {
      title: 'Your email address is changed',
      message: `From now on, Kindshift writes to ${email}, and that is the address you sign in with.`,
    });
  }

  @Get('email-change-cancel')
  @ApiExcludeEndpoint()
  showEmailChangeCancel(@Query() query: LinkTokenDto, @Res() reply: FastifyReply) {
    return this.showPage('email_change_cancel', '/links/email-change-cancel', query.token, reply);
  }

  @Post('email-change-cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a pending change of email address (the link sent to the old address)' })
  @ApiOkResponse({ type: EmailChangeCancelledDto })
  @ApiGoneResponse({ description: 'The link was used or expired, or the change was already made.' })
  async cancelEmailChange(@Body() body: LinkTokenDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.emailChanges.cancel(body.token);
    const message = 'The change of your email address is cancelled. Your account keeps this address.';
    if (wantsJson(request)) return reply.send({ message });
    return reply.type('text/html; charset=utf-8').view('link-done.eta', {
      title: 'Nothing changes',
      message: `${message} If you did not ask for it, someone may be using a device where you are signed in to Kindshift: sign out there.`,
    });
  }

  private async showPage(purpose: AccountLink, action: string, token: string, reply: FastifyReply) {
    await this.identity.peekLinkToken(token, purpose);
    return reply.type('text/html; charset=utf-8').view('link-confirm.eta', { ...PAGES[purpose], action, token });
  }

  private async complete(
    purpose: 'verify_email' | 'sign_in',
    token: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const session = await this.identity.completeLink(token, purpose);
    if (wantsJson(request)) {
      return reply.send({ token: session.token, expiresAt: session.expiresAt.toISOString(), role: session.role });
    }
    reply.setCookie(
      SESSION_COOKIE,
      session.token,
      sessionCookieOptions(this.config.PUBLIC_BASE_URL, this.config.SESSION_TTL_SECONDS),
    );
    return reply.type('text/html; charset=utf-8').view('link-done.eta', {
      title: purpose === 'verify_email' ? 'Thank you — your email is confirmed' : 'You are signed in',
      message:
        purpose === 'verify_email'
          ? 'We will email you when a shift fits your time, skills and area.'
          : 'Welcome back.',
    });
  }
}
