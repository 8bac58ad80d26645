import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type OutgoingMail, messageIdFor, calendarInvite } from '../platform/index.js';
import { plural } from '../common/index.js';
import {
  bookingCancelledEmail,
  bookingConfirmedEmail,
  bookingReminderEmail,
  coverAskerEmail,
  coverCoordinatorEmail,
  coverOfferEmail,
  heldSeatEmail,
  noCandidatesEmail,
  offerEmail,
  offerWithdrawnEmail,
  rosterMessageEmail,
  shiftCancelledEmail,
  shiftChangedEmail,
} from './mail/offer-emails.js';
import { formatLocalInstant, formatLocalInterval } from '../organisations/index.js';
import type { MailContext, NoCandidatesRow, OfferEmailContext, ShiftChangeRow } from './offers.rows.js';
import type { RosterMessageMail } from './roster-messages.repository.js';
import { paragraphsOf } from './core/roster-message-rules.js';
import { firstName, shortName } from './core/cover-rules.js';

/**
 * Builds the offer pipeline's emails from what the repository read: the template, the links, the
 * iCalendar invite and the threading headers. No database, no sending.
 */
@Injectable()
export class OfferMailComposer {
  /** Host of the iCalendar UIDs, which must stay as they were so calendars keep updating their entries. */
  private readonly domain: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.domain = new URL(config.PUBLIC_BASE_URL).hostname;
  }

  offer(
    offerId: string,
    {
      context: ctx,
      answerToken,
      unsubscribeToken,
    }: { context: OfferEmailContext; answerToken: string; unsubscribeToken: string },
  ): OutgoingMail {
    const mail = offerEmail({
      volunteerName: ctx.volunteer_name,
      shiftTitle: ctx.title,
      organisationName: ctx.organisation_name,
      place: { label: ctx.place_label, street: ctx.street ?? undefined },
      localTime: formatLocalInterval(new Date(ctx.starts_at), new Date(ctx.ends_at), ctx.time_zone),
      explanation: ctx.explanation,
      acceptUrl: this.link('/links/offer', answerToken, 'accept'),
      declineUrl: this.link('/links/offer', answerToken, 'decline'),
      unsubscribeUrl: this.link('/links/unsubscribe', unsubscribeToken),
      expiresLocal: formatLocalInstant(new Date(ctx.expires_at), ctx.time_zone),
      roleName: ctx.role_name,
    });
    return { to: ctx.email, ...mail, messageId: messageIdFor(`offer-${offerId}`, this.config.MAIL_FROM) };
  }

  /** A seat held for the head of a waitlist; answered through the same offer links. */
  heldSeat(ctx: MailContext, answerToken: string, expiresAt: Date): OutgoingMail {
    const mail = heldSeatEmail({
      ...this.shiftDetails(ctx),
      acceptUrl: this.link('/links/offer', answerToken, 'accept'),
      declineUrl: this.link('/links/offer', answerToken, 'decline'),
      heldUntilLocal: formatLocalInstant(expiresAt, ctx.time_zone),
    });
    return { to: ctx.email, ...mail };
  }

  /** "Could you cover a shift?": answered through the same offer links as any offer. */
  coverOffer(ctx: MailContext, askerName: string, answerToken: string, expiresAt: Date): OutgoingMail {
    const mail = coverOfferEmail({
      ...this.shiftDetails(ctx),
      askerFirstName: firstName(askerName),
      acceptUrl: this.link('/links/offer', answerToken, 'accept'),
      declineUrl: this.link('/links/offer', answerToken, 'decline'),
      expiresLocal: formatLocalInstant(expiresAt, ctx.time_zone),
    });
    return { to: ctx.email, ...mail };
  }

  /** To the asker, covered or released: with the calendar CANCEL of their booking, as booking-cancelled has. */
  coverAsker(bookingId: string, ctx: MailContext, takerName: string | null): OutgoingMail {
    const mail = coverAskerEmail({
      ...this.shiftDetails(ctx),
      calendarAttached: true,
      takerFirstName: takerName === null ? null : firstName(takerName),
    });
    return { to: ctx.email, ...mail, icalEvent: this.invite(ctx, bookingId, 'CANCEL') };
  }

  coverCoordinator(
    row: { title: string; starts_at: Date; ends_at: Date; time_zone: string; email: string; name: string | null },
    askerName: string,
    takerName: string | null,
  ): OutgoingMail {
    const mail = coverCoordinatorEmail({
      coordinatorName: row.name ?? undefined,
      shiftTitle: row.title,
      localTime: formatLocalInterval(new Date(row.starts_at), new Date(row.ends_at), row.time_zone),
      askerName: shortName(askerName),
      takerName: takerName === null ? null : shortName(takerName),
    });
    return { to: row.email, ...mail };
  }

  /** Threaded under the offer email it withdraws. */
  offerWithdrawn(offerId: string, ctx: MailContext): OutgoingMail {
    const mail = offerWithdrawnEmail({
      volunteerName: ctx.volunteer_name,
      shiftTitle: ctx.title,
      organisationName: ctx.organisation_name,
      localTime: this.localTime(ctx),
    });
    return {
      to: ctx.email,
      ...mail,
      headers: { ...mail.headers, 'In-Reply-To': messageIdFor(`offer-${offerId}`, this.config.MAIL_FROM) },
    };
  }

  bookingConfirmed(bookingId: string, ctx: MailContext): OutgoingMail {
    const mail = bookingConfirmedEmail({
      ...this.shiftDetails(ctx),
      calendarAttached: true,
      cancelUrl: this.pageUrl('/me'),
    });
    return { to: ctx.email, ...mail, icalEvent: this.invite(ctx, bookingId, 'REQUEST') };
  }

  bookingReminder(ctx: MailContext): OutgoingMail {
    return {
      to: ctx.email,
      ...bookingReminderEmail({ ...this.shiftDetails(ctx), cancelUrl: this.pageUrl('/me') }),
    };
  }

  bookingCancelled(bookingId: string, ctx: MailContext): OutgoingMail {
    const mail = bookingCancelledEmail({ ...this.shiftDetails(ctx), calendarAttached: true });
    return { to: ctx.email, ...mail, icalEvent: this.invite(ctx, bookingId, 'CANCEL') };
  }

  /** A changed shift's iCalendar update (REQUEST, higher SEQUENCE), or a cancelled one's CANCEL. */
  shiftChange(bookingId: string, ctx: MailContext, change: ShiftChangeRow): OutgoingMail {
    const cancelled = change.kind === 'cancelled';
    const details = this.shiftDetails(ctx);
    const mail = cancelled
      ? shiftCancelledEmail({
          ...details,
          calendarAttached: true,
          reason: typeof change.changes.reason === 'string' ? change.changes.reason : undefined,
        })
      : shiftChangedEmail({
          ...details,
          calendarAttached: true,
          cancelUrl: this.pageUrl('/me'),
          changes: describeChanges(change.changes),
        });
    const reason =
      cancelled && typeof change.changes.reason === 'string' ? `Cancelled: ${change.changes.reason}` : null;
    return {
      to: ctx.email,
      ...mail,
      icalEvent: this.invite(ctx, bookingId, cancelled ? 'CANCEL' : 'REQUEST', reason),
    };
  }

  /**
   * A coordinator's message to one booked volunteer: sent from MAIL_FROM (so it passes DKIM and
   * DMARC) with the coordinator's address as Reply-To, to this volunteer alone.
   */
  rosterMessage(ctx: MailContext, message: RosterMessageMail): OutgoingMail {
    const mail = rosterMessageEmail({
      ...this.shiftDetails(ctx),
      cancelUrl: this.pageUrl('/me'),
      subject: message.subject,
      paragraphs: paragraphsOf(message.body),
      senderName: message.sender_name ?? ctx.organisation_name,
      replyGoesToSender: Boolean(message.sender_email),
      roleName: message.role_name,
    });
    return { to: ctx.email, ...mail, ...(message.sender_email ? { replyTo: message.sender_email } : {}) };
  }

  noCandidates(row: NoCandidatesRow, wave: number): OutgoingMail {
    const mail = noCandidatesEmail({
      coordinatorName: row.name ?? undefined,
      shiftTitle: row.title,
      localTime: formatLocalInterval(new Date(row.starts_at), new Date(row.ends_at), row.time_zone),
      excludedSummary: `${row.filled} of ${plural(row.capacity, { one: '# place is', other: '# places are' })} booked after ${plural(wave - 1, { one: '# round', other: '# rounds' })} of offers. Open the shift's matches to see why volunteers were left out.`,
    });
    return { to: row.email, ...mail };
  }

  private shiftDetails(ctx: MailContext) {
    return {
      volunteerName: ctx.volunteer_name,
      shiftTitle: ctx.title,
      organisationName: ctx.organisation_name,
      place: { label: ctx.place_label, street: ctx.street ?? undefined },
      localTime: this.localTime(ctx),
    };
  }

  private localTime(ctx: MailContext): string {
    return formatLocalInterval(new Date(ctx.starts_at), new Date(ctx.ends_at), ctx.time_zone);
  }

  /**
   * The booking's calendar entry: its UID never changes; SEQUENCE follows the shift's changes.
   * `note` goes first in the description (a CANCEL says why the shift was cancelled).
   */
  private invite(ctx: MailContext, bookingId: string, method: 'REQUEST' | 'CANCEL', note: string | null = null) {
    const from = /<([^>]+)>/.exec(this.config.MAIL_FROM)?.[1] ?? this.config.MAIL_FROM;
    const content = calendarInvite({
      uid: `booking-${bookingId}@${this.domain}`,
      sequence: ctx.sequence,
      method,
      startsAt: new Date(ctx.starts_at),
      endsAt: new Date(ctx.ends_at),
      summary: `${ctx.title} — ${ctx.organisation_name}`,
      description: [note, ctx.description].filter(Boolean).join('\n\n'),
      location: [ctx.place_label, ctx.street].filter(Boolean).join(', '),
      organizerEmail: from,
      organizerName: ctx.organisation_name,
      attendeeEmail: ctx.email,
      attendeeName: ctx.volunteer_name,
      lat: ctx.lat,
      lon: ctx.lon,
    });
    return { method, content, filename: 'invite.ics' };
  }

  private pageUrl(path: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}`;
  }

  private link(path: string, token: string, action?: string): string {
    const base = `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;
    return action ? `${base}&action=${action}` : base;
  }
}

function describeChanges(changes: Record<string, { from: unknown; to: unknown }>): string[] {
  const labels: Record<string, string> = {
    startsAt: 'start time',
    endsAt: 'end time',
    addressId: 'place',
    title: 'title',
  };
  return Object.keys(changes)
    .filter((key) => key in labels)
    .map((key) => `The ${labels[key]} has changed.`);
}
