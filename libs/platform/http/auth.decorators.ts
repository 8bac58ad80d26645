import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, PrincipalKind } from './principal.js';

export const ALLOWED_PRINCIPALS = Symbol('ALLOWED_PRINCIPALS');

/**
 * Who may call a route. Every route must say it: a route without @Allow is refused to everyone,
 * so forgetting it fails closed. `public` lets anonymous callers in.
 */
export const Allow = (...kinds: Array<PrincipalKind | 'public'>) => SetMetadata(ALLOWED_PRINCIPALS, kinds);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
});
