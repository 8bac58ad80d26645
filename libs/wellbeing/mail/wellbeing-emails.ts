import { renderEmail, type RenderedEmail } from '../../platform/index.js';

const NOT_MEDICAL =
  'Kindshift is not a medical service. If you are struggling, please talk to your doctor or a helpline.';

/** Check-ins and suggestions are subscription mail: a one-click stop (RFC 8058) in the headers and the body. */
function stopHeaders(stopUrl: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${stopUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

export function checkInEmail(input: {
  volunteerName: string;
  kind: 'mood' | 'who5';
  shiftTitle: string | null;
  answerUrl: string;
  stopUrl: string;
}): RenderedEmail {
  const question =
    input.kind === 'mood'
      ? 'One question, a few seconds: how do you feel after the shift?'
      : 'Five short statements about the last two weeks (the WHO-5 Well-Being Index), about a minute.';
  const { html, text } = renderEmail({
    heading: input.shiftTitle ? `Thank you for ${input.shiftTitle}` : 'Thank you for volunteering',
    preheader: 'An optional check-in, only for you.',
    paragraphs: [
      `Hi ${input.volunteerName}, thank you for giving your time.`,
      `${question} It is entirely optional, and only you will ever see your answers — not the organisation, not us.`,
      'You can look back at how you have been doing on your own page whenever you like.',
    ],
    button: { label: 'Answer the check-in', url: input.answerUrl },
    notes: [NOT_MEDICAL, { text: 'Rather not get these?', link: { label: 'Stop check-ins', url: input.stopUrl } }],
  });
  return {
    subject: input.kind === 'mood' ? 'How was your shift?' : 'A short check-in, just for you',
    html,
    text,
    headers: stopHeaders(input.stopUrl),
  };
}

/**
 * Opt-in from the volunteer's own page (settingsUrl); subscription mail like check-ins, so it also
 * carries a one-click "stop suggestions" (RFC 8058) in the headers and the body.
 */
export function shiftSuggestionsEmail(input: {
  volunteerName: string;
  shifts: Array<{ title: string; organisationName: string; localTime: string }>;
  pageUrl: string;
  settingsUrl: string;
  stopUrl: string;
}): RenderedEmail {
  const { html, text } = renderEmail({
    heading: 'A few regular shifts that fit you',
    paragraphs: [
      `Hi ${input.volunteerName}, no pressure at all — here are some regular shifts that match your time, skills and area, in case you feel like it.`,
      ...input.shifts.map((shift) => `${shift.title} at ${shift.organisationName}: ${shift.localTime}`),
    ],
    button: { label: 'See shifts that fit me', url: input.pageUrl },
    notes: [
      { text: 'You asked for these, at most once a month.', link: { label: 'Change this', url: input.settingsUrl } },
      { text: 'Rather not get these?', link: { label: 'Stop suggestions', url: input.stopUrl } },
    ],
  });
  return { subject: 'Some regular shifts that fit you', html, text, headers: stopHeaders(input.stopUrl) };
}
