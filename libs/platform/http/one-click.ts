import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../../common/index.js';

/**
 * The token of a one-click link POST: from the form body (the page's button) or, for RFC 8058
 * `List-Unsubscribe=One-Click` requests from mail clients, from the URL's query string.
 */
export function oneClickToken(
  query: Record<string, unknown> | undefined,
  body: { token?: string } | undefined,
): string {
  const token = body?.token ?? query?.token;
  if (typeof token !== 'string' || token.length < 20 || token.length > 200)
    throw InvalidInputError.field('token', 'is missing or malformed');
  return token;
}

/** Link pages answer JSON clients (who ask for it) with JSON, people with a page. */
export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}
