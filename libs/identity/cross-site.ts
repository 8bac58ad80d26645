import type { FastifyReply, FastifyRequest } from 'fastify';

/** Methods that change nothing, so a cross-site request of them cannot act for the user. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CROSS_SITE_REFUSED =
  'This request could not be accepted: it came from another site or from a page that is not Kindshift’s. Reload the Kindshift page and try again; API clients use a bearer token.';

/**
 * Where a browser says a request comes from: 'same' when Sec-Fetch-Site is same-origin or the
 * Origin (else the Referer) is the product's own origin; 'foreign' when any of them names something
 * else (including Origin "null" and same-site siblings, which another tenant may control);
 * 'unknown' when the client sent none of them (an old browser, or not a browser).
 */
export function requestSource(
  headers: FastifyRequest['headers'],
  publicOrigin: string,
): 'same' | 'foreign' | 'unknown' {
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined) return fetchSite === 'same-origin' ? 'same' : 'foreign';
  const origin = headers.origin;
  if (origin !== undefined) return origin === publicOrigin ? 'same' : 'foreign';
  const referer = headers.referer;
  if (referer !== undefined) return originOf(referer) === publicOrigin ? 'same' : 'foreign';
  return 'unknown';
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Runs @fastify/csrf-protection's check (registered in src/api/api-app.ts) on the request's token
 * (`_csrf` field or X-CSRF-Token header). The plugin reports failure through `reply.send`, which is
 * captured here. Without the plugin nothing verifies (fail closed).
 */
export async function hasValidCsrfToken(request: FastifyRequest): Promise<boolean> {
  const server = request.server as {
    csrfProtection?: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void;
  };
  if (typeof server.csrfProtection !== 'function') return false;
  return new Promise<boolean>((resolve) => {
    const capture = { send: () => resolve(false) } as unknown as FastifyReply;
    server.csrfProtection!(request, capture, () => resolve(true));
  });
}
