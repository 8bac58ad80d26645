import { createHmac } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppConfig, ForbiddenError } from '../platform/index.js';
import { hasValidCsrfToken, SAFE_METHODS, SESSION_COOKIE } from '../identity/index.js';

/** Cookie holding the per-browser CSRF secret, and the hidden form field carrying the token. */
export const CSRF_COOKIE = 'ks_csrf';
export const CSRF_FIELD = '_csrf';

export const FORM_EXPIRED =
  'This form could not be accepted: it has expired or did not come from a Kindshift page. Go back, reload the page and try again.';

/** The session cookie a CSRF token is bound to ('' when there is none, which never verifies). */
export function sessionCookieOf(request: FastifyRequest): string {
  return (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE] ?? '';
}

/**
 * Options for @fastify/csrf-protection (registered in src/api/api-app.ts).
 *
 * Synchronizer tokens bound to the session: a random secret lives in an HttpOnly cookie of its own,
 * and each token is an HMAC over that secret and (a keyed hash of) the session cookie. A token
 * therefore only verifies for the browser and the session it was rendered for: signing out or in
 * again invalidates every open form. The HMAC key is derived from SESSION_SECRET, so it is not the
 * same key that hashes session and link tokens.
 */
export function csrfPluginOptions(config: Pick<AppConfig, 'PUBLIC_BASE_URL' | 'SESSION_SECRET'>) {
  return {
    sessionPlugin: '@fastify/cookie' as const,
    cookieKey: CSRF_COOKIE,
    cookieOpts: {
      path: '/',
      sameSite: 'lax' as const,
      httpOnly: true,
      secure: config.PUBLIC_BASE_URL.startsWith('https://'),
    },
    getUserInfo: (request: FastifyRequest) => sessionCookieOf(request),
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
      const header = request.headers['x-csrf-token'];
      return fromBody ?? (typeof header === 'string' ? header : undefined);
    },
    csrfOpts: {
      userInfo: true as const,
      hmacKey: createHmac('sha256', config.SESSION_SECRET).update('kindshift csrf v1').digest('base64url'),
    },
    logLevel: 'debug',
  };
}

/** A token for the forms of the page being rendered (bound to the current session cookie). */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: sessionCookieOf(request) });
}

/**
 * Refuses a state-changing request of a cookie-authenticated page unless it carries a valid token
 * (pages always do; the AuthGuard's same-origin check covers the cookie-authenticated API).
 * The refusal is a ForbiddenError and the usual 403 page; without the plugin every POST is refused.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (SAFE_METHODS.has(request.method)) return true;
    if (!(await hasValidCsrfToken(request))) throw new ForbiddenError(FORM_EXPIRED);
    return true;
  }
}
