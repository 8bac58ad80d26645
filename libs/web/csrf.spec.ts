import { csrfPluginOptions, CSRF_COOKIE } from './csrf.js';

describe('csrfPluginOptions', () => {
  const secret = 'a-session-secret-of-some-length';

  it('marks the CSRF cookie Secure exactly when the public URL is https', () => {
    expect(
      csrfPluginOptions({ PUBLIC_BASE_URL: 'https://kindshift.example.org', SESSION_SECRET: secret }).cookieOpts,
    ).toEqual({
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: true,
    });
    expect(
      csrfPluginOptions({ PUBLIC_BASE_URL: 'http://localhost:3000', SESSION_SECRET: secret }).cookieOpts.secure,
    ).toBe(false);
  });

  it('binds tokens to the session cookie with a key derived from, not equal to, the session secret', () => {
    const options = csrfPluginOptions({ PUBLIC_BASE_URL: 'http://localhost:3000', SESSION_SECRET: secret });
    expect(options.cookieKey).toBe(CSRF_COOKIE);
    expect(options.csrfOpts.userInfo).toBe(true);
    expect(options.csrfOpts.hmacKey).not.toContain(secret);
    expect(options.getUserInfo({ cookies: { ks_session: 'abc' } } as never)).toBe('abc');
    expect(options.getUserInfo({ cookies: {} } as never)).toBe('');
    expect(options.getToken({ body: { _csrf: 'from-form' }, headers: {} } as never)).toBe('from-form');
    expect(options.getToken({ body: undefined, headers: { 'x-csrf-token': 'from-header' } } as never)).toBe(
      'from-header',
    );
  });
});
