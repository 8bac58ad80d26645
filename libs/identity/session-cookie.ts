export const SESSION_COOKIE = 'ks_session';

/** HttpOnly, SameSite=Lax (links from email must carry it on top-level GET), Secure behind https. */
export function sessionCookieOptions(publicBaseUrl: string, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: publicBaseUrl.startsWith('https://'),
    path: '/',
    maxAge: maxAgeSeconds,
  };
}
