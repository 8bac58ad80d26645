import type { PrincipalKind } from '../platform/index.js';
import { SESSION_COOKIE } from './session-cookie.js';

/**
 * The credentials the AuthGuard accepts, as OpenAPI security schemes. Every token is opaque (random,
 * stored as a hash), so no scheme claims JWT.
 */
export const SECURITY_SCHEMES = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session a magic link starts in a browser (HttpOnly cookie).',
  },
  sessionToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'opaque session token',
    description: 'The session token a JSON client gets from POST /links/sign-in or /links/verify.',
  },
  organisationApiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ks_key_…',
    description: 'An organisation API key (ks_key_…), created by its coordinators.',
  },
  operatorToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'opaque operator token',
    description: 'The operator token (ADMIN_TOKEN).',
  },
} as const;

type SchemeName = keyof typeof SECURITY_SCHEMES;

/** Which credential proves which kind of caller: the one place @Allow meets OpenAPI. */
const SCHEMES_OF: Record<PrincipalKind, SchemeName[]> = {
  volunteer: ['sessionCookie', 'sessionToken'],
  coordinator: ['sessionCookie', 'sessionToken'],
  api_key: ['organisationApiKey'],
  operator: ['operatorToken'],
};

/** The OpenAPI `security` of a route from its @Allow kinds: `[]` (anyone) for public routes. */
export function securityRequirementsFor(
  kinds: ReadonlyArray<PrincipalKind | 'public'>,
): Array<Record<string, string[]>> {
  if (kinds.includes('public')) return [];
  const names = new Set(kinds.flatMap((kind) => SCHEMES_OF[kind as PrincipalKind] ?? []));
  return [...names].map((name) => ({ [name]: [] }));
}
