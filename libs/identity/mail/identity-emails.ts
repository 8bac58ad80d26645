import { renderEmail } from '../../platform/index.js';
import { plural } from '../../common/index.js';
import { maskEmail } from '../email-change.service.js';

/** What an account email says, without its recipient. */
export interface AccountEmail {
  subject: string;
  html: string;
  text: string;
}

export function verificationEmail(link: string, ttlSeconds: number): AccountEmail {
  const { html, text } = renderEmail({
    heading: 'Please confirm your email',
    paragraphs: [
      'Thank you for signing up to volunteer with Kindshift.',
      'Confirm this address and we will start looking for shifts that fit your time, skills and area. Until then we will not send you any offers.',
      `The link works once and expires in ${plural(Math.round(ttlSeconds / 3600), { one: '# hour', other: '# hours' })}. If you did not sign up, ignore this email and your details will be deleted.`,
    ],
    button: { label: 'Confirm my email', url: link },
  });
  return { subject: 'Confirm your email for Kindshift', html, text };
}

export function signInEmail(link: string, ttlSeconds: number): AccountEmail {
  const { html, text } = renderEmail({
    heading: 'Your sign-in link',
    paragraphs: [
      'Use the button below to sign in to Kindshift.',
      `It works once and expires in ${plural(Math.round(ttlSeconds / 60), { one: '# minute', other: '# minutes' })}. If you did not ask for it, you can ignore this email.`,
    ],
    button: { label: 'Sign in', url: link },
  });
  return { subject: 'Sign in to Kindshift', html, text };
}

export function coordinatorInviteEmail(organisationName: string | undefined, link: string): AccountEmail {
  const { html, text } = renderEmail({
    heading: `You coordinate ${organisationName ?? 'your organisation'} on Kindshift`,
    paragraphs: [
      'Kindshift finds volunteers for your open shifts and sends them offers, so you can spend less time on the phone.',
      'Sign in to post your first shift. The link works once; later you can always ask for a new one.',
    ],
    button: { label: 'Sign in', url: link },
  });
  return { subject: 'Welcome to Kindshift', html, text };
}

/** To the new address: the link that makes the change. */
export function emailChangeConfirmEmail(link: string, ttlSeconds: number): AccountEmail {
  const { html, text } = renderEmail({
    heading: 'Confirm your new email address',
    paragraphs: [
      'You asked to use this address for your Kindshift account. Confirm it and we will write to you here from now on; you will also sign in with it.',
      `The link works once and expires in ${Math.round(ttlSeconds / 3600)} hours. Until then nothing changes. If you did not ask for this, ignore this email.`,
    ],
    button: { label: 'Use this address', url: link },
  });
  return { subject: 'Confirm your new email address for Kindshift', html, text };
}

/** To the old address, at the time of the request: what is happening, and a link that stops it. */
export function emailChangeNoticeEmail(newEmail: string, link: string): AccountEmail {
  const { html, text } = renderEmail({
    heading: 'Your email address is being changed',
    paragraphs: [
      `Someone signed in to your Kindshift account asked to change its email address to ${maskEmail(newEmail)}. Nothing changes until the new address is confirmed; until then you sign in with this one.`,
      'If that was you, there is nothing to do. If it was not, stop the change with the button below and sign out of Kindshift on any device you do not trust.',
    ],
    button: { label: 'Stop the change', url: link },
  });
  return { subject: 'Your Kindshift email address is being changed', html, text };
}

/** To the old address, after the confirmation: the last mail it gets from us. */
export function emailChangedEmail(newEmail: string): AccountEmail {
  const { html, text } = renderEmail({
    heading: 'Your email address was changed',
    paragraphs: [
      `Your Kindshift account now uses ${maskEmail(newEmail)}. Offers, reminders and sign-in links go there from now on, and this address no longer signs in.`,
      'If you did not make this change, reply to this email straight away and we will help you get your account back.',
    ],
  });
  return { subject: 'Your Kindshift email address was changed', html, text };
}
