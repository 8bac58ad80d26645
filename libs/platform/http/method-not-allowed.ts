import type { FastifyReply, FastifyRequest } from 'fastify';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * An onRequest hook for the api: a request the router did not match, on a path that other methods
 * serve, answers 405 with `Allow` listing them (RFC 9110) instead of 404. Unknown paths stay 404.
 */
export async function methodNotAllowed(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  if (!request.is404) return undefined;
  const path = request.url.split('?', 1)[0];
  const allowed = METHODS.filter(
    (method) => method !== request.method && request.server.findRoute({ method, url: path }) !== null,
  );
  if (allowed.length === 0) return undefined;
  return reply
    .code(405)
    .header('allow', allowed.join(', '))
    .type('application/problem+json')
    .send({
      type: 'https://kindshift.org/problems/http-405',
      title: 'Method Not Allowed',
      status: 405,
      detail: `${request.method} is not supported here; this address accepts ${allowed.join(', ')}.`,
    });
}
