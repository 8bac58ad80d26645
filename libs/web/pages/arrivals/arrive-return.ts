import type { FastifyRequest } from 'fastify';

/**
 * A volunteer who scans a shift's QR code before signing in is sent through the emailed sign-in
 * link; this cookie remembers the arrival page so /home can bring them back to it.
 */
export const ARRIVE_RETURN_COOKIE = 'ks_arrive_next';

const ARRIVE_PATH = /^\/arrive\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{1,128}$/;

/** The remembered arrival page, if the cookie holds one (only our own /arrive paths: no open redirect). */
export function arriveReturnOf(request: FastifyRequest): string | null {
  const value = (request.cookies as Record<string, string | undefined> | undefined)?.[ARRIVE_RETURN_COOKIE];
  return value && ARRIVE_PATH.test(value) ? value : null;
}
