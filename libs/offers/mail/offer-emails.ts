/**
 * The emails of the offer pipeline, as pure functions: data in, `{ subject, html, text, headers? }`
 * out (spread it into an OutgoingMail). Times arrive already formatted in the reader's own zone.
 *
 * Tone: many volunteers come to Kindshift while feeling low. Offers are invitations, never
 * pressure: "no" and silence are fine, nothing is counted against anyone, and every email says
 * plainly what happens next.
 */
import { renderEmail, type EmailContent, type EmailNote, type RenderedEmail } from '../../platform/index.js';

export type { RenderedEmail };

export interface EmailPlace {
  label: string;
  street?: string;
}

/** What every booking email about one shift knows. */
export interface ShiftEmailDetails {
  volunteerName: string;
  shiftTitle: string;
  organisationName: string;
  place: EmailPlace;
  /** The shift interval in the volunteer's zone, e.g. "Tue 1 Dec 2026, 17:00–20:00 (Europe/London)". */
  localTime: string;
  /** A page where the volunteer can cancel (GET shows a confirmation page; POST cancels). */
  cancelUrl?: string;
  /** Set when a calendar invite (.ics) goes with the email, so the text can mention it. */
  calendarAttached?: boolean;
}

export interface OfferEmailInput {
  volunteerName: string;
  shiftTitle: string;
  organisationName: string;
  place: EmailPlace;
  localTime: string;
  /** The match explanation: "2.1 km away · has cooking · fits your Tuesday evenings". */
  explanation: string;
  acceptUrl: string;
  declineUrl: string;
  /** Pauses offers: GET shows a page, POST (also RFC 8058 one-click) pauses. */
  unsubscribeUrl: string;
  /** When the offer lapses, in the volunteer's zone: "Tue 1 Dec, 09:00 (Europe/London)". */
  expiresLocal: string;
  /** The role offered, on a shift with more than one (ADR 0029); absent on a one-role shift. */
  roleName?: string | null;
}

export function offerEmail(input: OfferEmailInput): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  const role = input.roleName ? oneLine(input.roleName) : null;
  // As the booking mail and the invite say it: "Kitchen lead — Supper".
  const named = role ? `${role} — ${title}` : title;
  const content: EmailContent = {
    preheader: `${named} · ${oneLine(input.localTime)} — only if it suits you.`,
    heading: `Hi ${oneLine(input.volunteerName)}, would this shift suit you?`,
    paragraphs: [
      role
        ? `${organisation} could use a hand as ${role}, and this looks like a good fit for you. Have a look and see how you feel about it.`
        : `${organisation} could use a hand, and this shift looks like a good fit for you. Have a look and see how you feel about it.`,
    ],
    details: [
      { label: 'What', value: title },
      ...(role ? [{ label: 'Role', value: role }] : []),
      { label: 'Where', value: placeText(input.place, organisation) },
      { label: 'When', value: oneLine(input.localTime) },
      { label: 'Why you', value: oneLine(input.explanation) },
      { label: 'Reply by', value: oneLine(input.expiresLocal) },
    ],
    buttons: [
      { label: 'Yes, I can help', url: input.acceptUrl },
      { label: 'Not this time', url: input.declineUrl, variant: 'secondary' },
    ],
    notes: [
      'No is a perfectly good answer, and so is not replying: the offer simply closes at the time above and we ask someone else. Either way is fine.',
      'Opening a link changes nothing until you press the button on the page.',
      'The place is yours once you confirm on that page. If the shift fills before you do, the page will say so.',
      {
        text: 'Need a break? You can pause offers at any time, and switch them back on whenever you like.',
        link: { label: 'Pause offers', url: input.unsubscribeUrl },
      },
    ],
  };
  return {
    subject: `Could you help? ${named} at ${organisation}, ${withoutZone(input.localTime)}`,
    ...renderEmail(content),
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

export interface HeldSeatEmailInput extends ShiftEmailDetails {
  acceptUrl: string;
  declineUrl: string;
  /** Until when the place is held, in the volunteer's zone. */
  heldUntilLocal: string;
}

/** To the first on a waitlist who still fits: a place opened and is held for them, for a short while. */
export function heldSeatEmail(input: HeldSeatEmailInput): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  return {
    subject: `A place is held for you: ${title}, ${withoutZone(input.localTime)}`,
    ...renderEmail({
      preheader: `Held for you until ${oneLine(input.heldUntilLocal)}.`,
      heading: `Hi ${oneLine(input.volunteerName)}, a place opened up`,
      paragraphs: [
        `You were next on the waitlist for ${title} with ${organisation}, and a place has just come free. We are holding it for you until ${oneLine(input.heldUntilLocal)}.`,
      ],
      details: shiftDetails(input, organisation),
      buttons: [
        { label: 'Yes, I’ll take it', url: input.acceptUrl },
        { label: 'Not this time', url: input.declineUrl, variant: 'secondary' },
      ],
      notes: [
        'If you don’t answer by then, the place goes to the next person waiting — no hard feelings, and no need to reply.',
        'Opening a link changes nothing until you press the button on the page.',
      ],
    }),
  };
}

export interface OfferWithdrawnEmailInput {
  volunteerName: string;
  shiftTitle: string;
  organisationName: string;
  localTime: string;
}

export function offerWithdrawnEmail(input: OfferWithdrawnEmailInput): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  return {
    subject: `${title} has filled — thank you`,
    ...renderEmail({
      heading: `Hi ${oneLine(input.volunteerName)}, that shift has filled`,
      paragraphs: [
        `${title} at ${organisation} (${oneLine(input.localTime)}) now has all the help it needs, so the offer we sent you is closed. There is nothing you need to do.`,
        'Thank you for being someone we can ask. We will get in touch when another shift fits you.',
      ],
    }),
  };
}

export function bookingConfirmedEmail(input: ShiftEmailDetails): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  return {
    subject: `You're booked: ${title}, ${oneLine(input.localTime)}`,
    ...renderEmail({
      heading: `Thank you, ${oneLine(input.volunteerName)} — you're booked`,
      paragraphs: [`${organisation} is looking forward to seeing you. Here are the details:`],
      details: shiftDetails(input, organisation),
      notes: [
        ...(input.calendarAttached
          ? ['A calendar invite is attached; if anything changes, we will send you an update.']
          : []),
        cancelNote(
          input,
          'Plans change, and that is alright. If you cannot make it, please cancel as early as you can so someone else can take your place.',
        ),
      ],
    }),
  };
}

export function bookingReminderEmail(input: ShiftEmailDetails): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  return {
    subject: `Reminder: ${title}, ${oneLine(input.localTime)}`,
    ...renderEmail({
      heading: `Hi ${oneLine(input.volunteerName)}, a reminder about your shift`,
      paragraphs: [`${organisation} is looking forward to seeing you:`],
      details: shiftDetails(input, organisation),
      notes: [
        cancelNote(
          input,
          'If you are unwell or something has come up, it is alright to cancel — just let us know as early as you can.',
        ),
      ],
    }),
  };
}

export function shiftChangedEmail(input: ShiftEmailDetails & { changes: string[] }): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  const changes = input.changes.map(oneLine).filter(Boolean);
  return {
    subject: `A change to your shift: ${title}, ${oneLine(input.localTime)}`,
    ...renderEmail({
      heading: `Hi ${oneLine(input.volunteerName)}, your shift has changed`,
      paragraphs: [
        `${organisation} has made a change to a shift you are booked on.`,
        ...(changes.length ? changes : ['Some details have changed.']),
        'Here is how it looks now:',
      ],
      details: shiftDetails(input, organisation),
      notes: [
        ...(input.calendarAttached ? ['The attached calendar invite updates the entry in your calendar.'] : []),
        cancelNote(input, 'If the new arrangement does not work for you, you can cancel — no hard feelings.'),
      ],
    }),
  };
}

export function shiftCancelledEmail(input: ShiftEmailDetails & { reason?: string }): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  return {
    subject: `Cancelled: ${title}, ${oneLine(input.localTime)}`,
    ...renderEmail({
      heading: `Hi ${oneLine(input.volunteerName)}, this shift has been cancelled`,
      paragraphs: [
        `${organisation} has cancelled ${title} (${oneLine(input.localTime)}), so you do not need to go. Sorry for the change of plans.`,
        ...(input.reason ? [`Their reason: “${oneLine(input.reason)}”`] : []),
        'Thank you for saying yes. We will let you know when another shift fits you.',
      ],
      notes: input.calendarAttached ? ['The attached calendar update removes the shift from your calendar.'] : [],
    }),
  };
}

export interface RosterMessageEmailInput extends ShiftEmailDetails {
  subject: string;
  /** The message, a paragraph per line, as the coordinator wrote it (text, never HTML). */
  paragraphs: string[];
  /** Who wrote it: the coordinator's name, or the organisation's when sent through the API. */
  senderName: string;
  /** True when replies reach the coordinator (their address is the Reply-To). */
  replyGoesToSender: boolean;
  /** Set when the message went to one role's bookings only, so the reader knows who else got it. */
  roleName?: string | null;
}

/** A coordinator's message to everyone booked on a shift, with the shift it is about. */
export function rosterMessageEmail(input: RosterMessageEmailInput): RenderedEmail {
  const organisation = oneLine(input.organisationName);
  const sender = oneLine(input.senderName);
  return {
    subject: `${oneLine(input.subject)} — ${oneLine(input.shiftTitle)}, ${withoutZone(input.localTime)}`,
    ...renderEmail({
      heading: oneLine(input.subject),
      preheader: `A message from ${sender} about your shift`,
      paragraphs: [
        `Hi ${oneLine(input.volunteerName)}, ${sender === organisation ? organisation : `${sender} at ${organisation}`} wrote to everyone booked${input.roleName ? ` as ${oneLine(input.roleName)}` : ''} on your shift:`,
        ...input.paragraphs,
      ],
      details: shiftDetails(input, organisation),
      notes: [
        input.replyGoesToSender
          ? `Reply to this email to answer ${sender}; only they will see it.`
          : `To answer, contact ${organisation} as you usually would.`,
        cancelNote(input, 'If you can no longer come, please cancel so someone else can take your place.'),
      ],
      footer: ['You get this because you are booked on this shift.', 'Kindshift — volunteering that fits your life.'],
    }),
  };
}

export interface NoCandidatesEmailInput {
  coordinatorName?: string;
  shiftTitle: string;
  /** The shift interval in the organisation's zone. */
  localTime: string;
  /** Why no more volunteers could be offered the shift, in a sentence or two. */
  excludedSummary: string;
}

/** The volunteer cancelled their own place; the calendar CANCEL takes it out of their calendar. */
export function bookingCancelledEmail(input: ShiftEmailDetails): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  return {
    subject: `You cancelled: ${title}, ${oneLine(input.localTime)}`,
    ...renderEmail({
      heading: `Hi ${oneLine(input.volunteerName)}, your place is cancelled`,
      paragraphs: [
        `You are no longer booked for ${title} with ${oneLine(input.organisationName)} (${oneLine(input.localTime)}).`,
        'Thank you for letting them know in good time: the place is being offered to someone else now. Plans change, and that is fine. We will keep offering you shifts that fit.',
      ],
      notes: input.calendarAttached ? ['The attached calendar update removes the shift from your calendar.'] : [],
    }),
  };
}

export function noCandidatesEmail(input: NoCandidatesEmailInput): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const name = input.coordinatorName ? oneLine(input.coordinatorName) : '';
  return {
    subject: `No more volunteers to ask for ${title}, ${oneLine(input.localTime)}`,
    ...renderEmail({
      heading: name ? `Hi ${name}, we have run out of volunteers to ask` : 'We have run out of volunteers to ask',
      paragraphs: [
        `We have offered ${title} (${oneLine(input.localTime)}) to everyone who fits it, and there is nobody left to ask right now.`,
        input.excludedSummary.trim(),
        'It may help to loosen the required skills, adjust the time, or share the shift with people you know.',
      ].filter(Boolean),
    }),
  };
}

// ---------------------------------------------------------------------------------------------

/** Collapses line breaks and runs of spaces: these values go into subjects and single-line fields. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** "Tue 1 Dec 2026, 17:00–20:00 (Europe/London)" → "Tue 1 Dec 2026, 17:00–20:00": subjects stay short; the body names the zone. */
function withoutZone(localTime: string): string {
  return oneLine(localTime).replace(/\s*\([A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*\)$/, '');
}

function placeText(place: EmailPlace, organisation: string): string {
  const label = oneLine(place.label);
  const street = place.street ? oneLine(place.street) : '';
  const where = street && street !== label ? `${label}, ${street}` : label;
  return where || organisation;
}

function shiftDetails(input: ShiftEmailDetails, organisation: string): { label: string; value: string }[] {
  return [
    { label: 'What', value: oneLine(input.shiftTitle) },
    { label: 'With', value: organisation },
    { label: 'Where', value: placeText(input.place, organisation) },
    { label: 'When', value: oneLine(input.localTime) },
  ];
}

function cancelNote(input: ShiftEmailDetails, text: string): EmailNote {
  return input.cancelUrl ? { text, link: { label: 'Cancel my place', url: input.cancelUrl } } : text;
}

export interface CoverOfferEmailInput extends ShiftEmailDetails {
  acceptUrl: string;
  declineUrl: string;
  /** The first name of the volunteer who can no longer come. */
  askerFirstName: string;
  /** Until when the offer is open, in the volunteer's zone. */
  expiresLocal: string;
}

/** A booked volunteer can no longer come and asked for cover: would this volunteer take their place? */
export function coverOfferEmail(input: CoverOfferEmailInput): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const organisation = oneLine(input.organisationName);
  return {
    subject: `Could you cover a shift? ${title}, ${withoutZone(input.localTime)}`,
    ...renderEmail({
      preheader: `${oneLine(input.askerFirstName)} can no longer come and is looking for someone to take their place.`,
      heading: `Hi ${oneLine(input.volunteerName)}, could you cover a shift?`,
      paragraphs: [
        `${oneLine(input.askerFirstName)} is booked for ${title} with ${organisation} but can no longer come. If you can take their place, it is yours — the first to say yes takes it over.`,
      ],
      details: shiftDetails(input, organisation),
      buttons: [
        { label: 'Yes, I’ll cover it', url: input.acceptUrl },
        { label: 'Not this time', url: input.declineUrl, variant: 'secondary' },
      ],
      notes: [
        `This offer is open until ${oneLine(input.expiresLocal)}. Saying no, or not answering, is completely fine.`,
        'Opening a link changes nothing until you press the button on the page.',
      ],
    }),
  };
}

/** To the volunteer who asked for cover: someone took their place, or nobody could and the place was freed. */
export function coverAskerEmail(input: ShiftEmailDetails & { takerFirstName: string | null }): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const when = oneLine(input.localTime);
  const covered = input.takerFirstName !== null;
  return {
    subject: covered
      ? `${oneLine(input.takerFirstName ?? '')} is covering your shift — you’re free`
      : `You’re free: ${title}, ${withoutZone(input.localTime)}`,
    ...renderEmail({
      heading: `Hi ${oneLine(input.volunteerName)}, you’re free`,
      paragraphs: covered
        ? [
            `${oneLine(input.takerFirstName ?? '')} has taken your place on ${title} with ${oneLine(input.organisationName)} (${when}). You are no longer booked, and there is nothing more you need to do.`,
            'Thank you for finding cover rather than leaving a gap.',
          ]
        : [
            `Nobody could take your place on ${title} with ${oneLine(input.organisationName)} (${when}) in time, so we have freed it and are offering it to others. You are no longer booked, and there is nothing more you need to do.`,
            'Thank you for asking in good time — plans change, and that is fine.',
          ],
      notes: input.calendarAttached ? ['The attached calendar update removes the shift from your calendar.'] : [],
    }),
  };
}

export interface CoverCoordinatorEmailInput {
  coordinatorName?: string;
  shiftTitle: string;
  localTime: string;
  askerName: string;
  /** Who took the place over; null when nobody covered and the place was released. */
  takerName: string | null;
}

/** To the shift's coordinator: a swap happened, or nobody covered and the place is open again. */
export function coverCoordinatorEmail(input: CoverCoordinatorEmailInput): RenderedEmail {
  const title = oneLine(input.shiftTitle);
  const when = oneLine(input.localTime);
  const asker = oneLine(input.askerName);
  const name = input.coordinatorName ? oneLine(input.coordinatorName) : '';
  const covered = input.takerName !== null;
  return {
    subject: covered
      ? `${asker} → covered by ${oneLine(input.takerName ?? '')}: ${title}`
      : `Nobody could cover ${asker}’s place: ${title}`,
    ...renderEmail({
      heading: name ? `Hi ${name}` : 'Hello',
      paragraphs: covered
        ? [
            `${asker} could no longer come to ${title} (${when}), and ${oneLine(input.takerName ?? '')} has taken their place. The roster shows the swap; there is nothing you need to do.`,
          ]
        : [
            `Nobody could cover ${asker}’s place on ${title} (${when}); it is open again and being offered to volunteers now.`,
          ],
    }),
  };
}
