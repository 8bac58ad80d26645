import type { FastifyRequest } from 'fastify';

/**
 * The kiosk's own cookie, scoped to /kiosk: the browser never sends it to /org or /me, and the
 * kiosk pages never read the session cookie, so neither can stand in for the other.
 */
export const KIOSK_COOKIE = 'ks_kiosk';
export const KIOSK_PATH = '/kiosk';

export function kioskTokenOf(request: FastifyRequest): string | undefined {
  return (request.cookies as Record<string, string | undefined> | undefined)?.[KIOSK_COOKIE];
}
