import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { ForbiddenError, UnauthenticatedError } from '../http/index.js';
import { ALLOWED_PRINCIPALS } from './auth.decorators.js';
import { IdentityService } from './identity.service.js';
import type { Principal, PrincipalKind } from './principal.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { API_KEY_PREFIX, safeEqual } from './tokens.js';

/** Global guard: resolves the caller from a bearer token or the session cookie, then checks @Allow. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = this.reflector.getAllAndOverride<Array<PrincipalKind | 'public'> | undefined>(ALLOWED_PRINCIPALS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!allowed) throw new ForbiddenError('This route is not open to anyone.');
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = await this.resolve(request);
    request.principal = principal ?? undefined;
    if (allowed.includes('public')) return true;
    if (!principal) throw new UnauthenticatedError();
    if (!allowed.includes(principal.kind)) throw new ForbiddenError();
    return true;
  }

  private async resolve(request: FastifyRequest): Promise<Principal | null> {
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
    if (cookie) return this.identity.principalForSession(cookie);
    return null;
  }
}
