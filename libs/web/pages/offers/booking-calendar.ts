import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, NotFoundError, calendarInvite } from '../../../platform/index.js';
import { OffersQueries } from '../../../offers/index.js';

/** The iCalendar entry of a booking, identical in UID and SEQUENCE to the one the emails carry. */
@Injectable()
export class BookingCalendar {
  private readonly domain: string;

  constructor(
    private readonly queries: OffersQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.domain = new URL(config.PUBLIC_BASE_URL).hostname;
  }

  /** METHOD:REQUEST for the volunteer's own confirmed booking; anyone else's is "not found". */
  async invite(volunteerId: string, bookingId: string): Promise<{ content: string; title: string }> {
    const row = await this.queries.calendarBooking(volunteerId, bookingId);
    if (!row) throw new NotFoundError('Booking');
    const from = /<([^>]+)>/.exec(this.config.MAIL_FROM)?.[1] ?? this.config.MAIL_FROM;
    const content = calendarInvite({
      uid: `booking-${bookingId}@${this.domain}`,
      sequence: row.sequence,
      method: 'REQUEST',
      startsAt: new Date(row.starts_at),
      endsAt: new Date(row.ends_at),
      summary: `${row.title} — ${row.organisation_name}`,
      description: row.description ?? '',
      location: [row.place_label, row.street].filter(Boolean).join(', '),
      organizerEmail: from,
      organizerName: row.organisation_name,
      attendeeEmail: row.email,
      attendeeName: row.volunteer_name,
      lat: row.lat,
      lon: row.lon,
    });
    return { content, title: row.title };
  }
}
