// The seed's last words: how to sign in as a demo coordinator, and where the sign-in email lands.
// Only docker compose has Mailpit; without it the mail goes to whatever SMTP_URL names.

/** Where to read the sign-in email, from SMTP_URL. */
export function inboxHint(smtpUrl: string | undefined): string {
  let host = '';
  let port = '';
  try {
    const url = new URL(smtpUrl ?? '');
    host = url.hostname;
    port = url.port || (url.protocol === 'smtps:' ? '465' : '25');
  } catch {
    return 'open the link in the email sent through the SMTP server in SMTP_URL';
  }
  if (host === 'mailpit') return 'open the link in Mailpit at http://localhost:8025';
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(host);
  const devCatcher =
    local && port === '1025' ? ' (if it is `npm run dev:services`, its inbox is http://localhost:8025)' : '';
  return `check the SMTP server at ${host}:${port} for the email and open its link${devCatcher}`;
}

export function signInHint(baseUrl: string, smtpUrl: string | undefined, email: string): string {
  return (
    `seed:demo: sign in as a demo coordinator: curl -X POST ${baseUrl}/api/auth/sign-in -H 'content-type: application/json' ` +
    `-d '{"email":"${email}"}', then ${inboxHint(smtpUrl)}.`
  );
}
