/**
 * The iCalendar (RFC 5545) invite that goes with booking emails, as an iTIP (RFC 5546) message:
 * METHOD:REQUEST to add or update the entry, METHOD:CANCEL to remove it. Calendar clients match
 * updates by UID and keep the one with the highest SEQUENCE, so the caller keeps `uid` stable per
 * booking and raises `sequence` on every change (a CANCEL needs a higher SEQUENCE than the last
 * REQUEST too). Times are written in UTC ("…Z"), which every client converts to its own zone.
 */
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalLocation,
} from 'ical-generator';

export interface CalendarEventInput {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description: string;
  location: string;
  organizerEmail: string;
  organizerName: string;
  attendeeEmail: string;
  attendeeName: string;
  url?: string;
  lat?: number;
  lon?: number;
  /** DTSTAMP, when this message was created; defaults to now. Pass it for reproducible output. */
  stamp?: Date;
}

/** A VCALENDAR with one VEVENT, CRLF line endings, lines folded at 75 octets, text escaped. */
export function calendarInvite(input: CalendarEventInput): string {
  validate(input);
  const cancel = input.method === 'CANCEL';
  const calendar = ical({
    prodId: { company: 'Kindshift', product: 'Kindshift', language: 'EN' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    stamp: input.stamp ?? new Date(),
    start: input.startsAt,
    end: input.endsAt,
    summary: clean(input.summary),
    description: clean(input.description ?? '') || null,
    location: location(input),
    url: input.url ?? null,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: clean(input.organizerName), email: input.organizerEmail },
    attendees: [
      {
        email: input.attendeeEmail,
        name: clean(input.attendeeName),
        role: ICalAttendeeRole.REQ,
        // The volunteer already said yes on our page: the entry arrives accepted, no RSVP asked.
        status: cancel ? null : ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      },
    ],
  });
  // ical-generator ends without a line break; RFC 5545 ends every content line with CRLF.
  return `${calendar.toString()}\r\n`;
}

function location(input: CalendarEventInput): ICalLocation | string | null {
  const hasGeo = Number.isFinite(input.lat) && Number.isFinite(input.lon);
  const title = clean(input.location).trim();
  if (!hasGeo) return title || null;
  const geo = { lat: input.lat as number, lon: input.lon as number };
  return title ? { title, geo } : { geo };
}

/** RFC 5545 TEXT allows no control characters but tab and (escaped) line breaks. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}

function validate(input: CalendarEventInput): void {
  if (!input.uid || /[\r\n]/.test(input.uid)) throw new RangeError('uid must be a non-empty single line');
  if (!Number.isInteger(input.sequence) || input.sequence < 0)
    throw new RangeError(`sequence must be an integer >= 0, got ${input.sequence}`);
  if (input.method !== 'REQUEST' && input.method !== 'CANCEL')
    throw new RangeError(`method must be REQUEST or CANCEL, got ${String(input.method)}`);
  const start = input.startsAt?.getTime();
  const end = input.endsAt?.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end) || !(end > start))
    throw new RangeError('endsAt must be a valid date after startsAt');
  if (input.stamp !== undefined && !Number.isFinite(input.stamp.getTime()))
    throw new RangeError('stamp must be a valid date');
  for (const field of ['organizerEmail', 'attendeeEmail'] as const) {
    if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(input[field])) throw new RangeError(`${field} must be a bare email address`);
  }
}
