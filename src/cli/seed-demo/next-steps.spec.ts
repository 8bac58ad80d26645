import { inboxHint, signInHint } from './next-steps.js';

describe("the seed's sign-in hint", () => {
  it('names Mailpit only for the compose mail catcher', () => {
    expect(inboxHint('smtp://mailpit:1025')).toBe('open the link in Mailpit at http://localhost:8025');
    expect(signInHint('http://localhost:3000', 'smtp://mailpit:1025', 'c@example.org')).toBe(
      `seed:demo: sign in as a demo coordinator: curl -X POST http://localhost:3000/api/auth/sign-in -H 'content-type: application/json' ` +
        `-d '{"email":"c@example.org"}', then open the link in Mailpit at http://localhost:8025.`,
    );
  });

  it('points at the configured SMTP server otherwise', () => {
    expect(inboxHint('smtp://mail.example.org:587')).toBe(
      'check the SMTP server at mail.example.org:587 for the email and open its link',
    );
    expect(inboxHint('smtps://user:secret@mail.example.org')).toBe(
      'check the SMTP server at mail.example.org:465 for the email and open its link',
    );
    expect(inboxHint('smtps://user:secret@mail.example.org')).not.toContain('secret');
    expect(inboxHint('smtp://localhost:1025')).toBe(
      'check the SMTP server at localhost:1025 for the email and open its link (if it is `npm run dev:services`, its inbox is http://localhost:8025)',
    );
    expect(inboxHint(undefined)).toBe('open the link in the email sent through the SMTP server in SMTP_URL');
    expect(inboxHint('smtp://localhost:2525')).not.toContain('Mailpit');
  });
});
