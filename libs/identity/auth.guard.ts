import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  APP_CONFIG,
  type AppConfig,
  ForbiddenError,
  UnauthenticatedError,
  ALLOWED_PRINCIPALS,
  type Principal,
  type PrincipalKind,
} from '../platform/index.js';
import { IdentityService } from './identity.service.js';
import { CROSS_SITE_REFUSED, hasValidCsrfToken, requestSource, SAFE_METHODS } from './cross-site.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { API_KEY_PREFIX, safeEqual } from '../common/index.js';

/** Global guard: resolves the caller from a bearer token or the session cookie, then checks @Allow. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly publicOrigin = new URL(this.config.PUBLIC_BASE_URL).origin;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = this.reflector.getAllAndOverride<Array<PrincipalKind | 'public'> | undefined>(ALLOWED_PRINCIPALS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!allowed) throw new ForbiddenError('This route is not open to anyone.');
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = await this.resolve(request, allowed.includes('public'));
    request.principal = principal ?? undefined;
    if (allowed.includes('public')) return true;
    if (!principal) throw new UnauthenticatedError();
    if (!allowed.includes(principal.kind)) throw new ForbiddenError();
    return true;
  }

  private async resolve(request: FastifyRequest, isPublic: boolean): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.length > 0) {
      const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
      if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
      const token = match[1];
      if (safeEqual(token, this.config.ADMIN_TOKEN)) return { kind: 'operator' };
      const principal = token.startsWith(API_KEY_PREFIX)
        ? await this.identity.principalForApiKey(token)
        : await this.identity.principalForSession(token);
      if (!principal) throw new UnauthenticatedError('The token is not valid, expired or revoked.');
      return principal;
    }
    const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    if (!cookie) return null;
    // The browser attaches the cookie to requests other sites make too (SameSite=Lax is all that
    // stops a cross-site form POST): a state change must come from our own pages.
    if (!SAFE_METHODS.has(request.method) && !(await this.fromOwnPages(request))) {
      // A public route (an email link's POST carries its own token) goes on without the cookie.
      if (isPublic) return null;
      throw new ForbiddenError(CROSS_SITE_REFUSED);
    }
    return this.identity.principalForSession(cookie);
  }

  /** Same origin by the browser's headers, or a valid CSRF token of this session (another site cannot read one). */
  private async fromOwnPages(request: FastifyRequest): Promise<boolean> {
    const source = requestSource(request.headers, this.publicOrigin);
    return source === 'same' || (await hasValidCsrfToken(request));
  }
}
