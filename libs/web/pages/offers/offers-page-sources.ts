import { Injectable } from '@nestjs/common';
import type {
  ActivityItem,
  RosterEntry,
  ShiftActivitySource,
  ShiftFill,
  ShiftProgressView,
  VolunteerActivity,
  VolunteerActivitySource,
} from '../../page-extensions.js';
import { formatInstant } from '../../time.js';
import { CoverService, type MyBookingDto, OffersQueries, WaitlistService } from '../../../offers/index.js';
import { formatLocalInterval } from '../../../organisations/index.js';

/** How a volunteer's own booking reads on their page (kind words; a no-show is never scolded). */
const BOOKING_STATUS: Record<string, string> = {
  confirmed: 'Booked',
  attended: 'Attended — thank you!',
  no_show: 'Marked as missed',
  cancelled: 'Cancelled',
};

/** Offer and booking states on a coordinator's roster. */
const ROSTER_STATUS: Record<string, string> = {
  pending: 'waiting for an answer',
  declined: 'declined',
  expired: 'expired without an answer',
  withdrawn: 'withdrawn',
  confirmed: 'confirmed',
  attended: 'attended',
  no_show: 'did not come (no-show)',
  cancelled: 'cancelled by the volunteer',
};

/**
 * What the offer pipeline adds to the web pages: the volunteer's pending offers, upcoming bookings
 * and history on /me, and the fill state and roster (with attendance actions) on /org.
 */
@Injectable()
export class OffersPageSources implements VolunteerActivitySource, ShiftActivitySource {
  constructor(
    private readonly queries: OffersQueries,
    private readonly waitlist: WaitlistService,
    private readonly cover: CoverService,
  ) {}

  async forVolunteer(volunteerId: string, timeZone: string): Promise<VolunteerActivity> {
    const [offers, bookings, waiting, covers] = await Promise.all([
      this.queries.myOffers(volunteerId),
      this.queries.myBookings(volunteerId),
      this.waitlist.mine(volunteerId),
      this.cover.myOpenRequests(volunteerId),
    ]);
    const coverSought = new Set(covers.map((c) => String(c.booking_id)));
    const now = Date.now();
    const pendingOffers: ActivityItem[] = offers.map((offer) => ({
      title: offer.title,
      organisationName: offer.organisationName,
      localTime: offer.localTime,
      status: 'Waiting for your answer',
      detail: `Why you: ${offer.explanation}. Answer here or from the offer email; it is open until ${formatInstant(offer.expiresAt, timeZone)}.`,
      actions: [
        {
          label: 'Yes, I’ll come',
          href: `/me/offers/${offer.offerId}/answer`,
          method: 'post' as const,
          fields: { action: 'accept' },
        },
        {
          label: 'No, thanks',
          href: `/me/offers/${offer.offerId}/answer`,
          method: 'post' as const,
          fields: { action: 'decline' },
        },
      ],
    }));
    const upcoming = bookings.filter((b) => b.status === 'confirmed' && new Date(b.endsAt).getTime() > now).reverse();
    const history = bookings.filter((b) => !upcoming.includes(b));
    const waitlists: ActivityItem[] = waiting.map((w) => ({
      title: w.title,
      organisationName: w.organisation_name,
      localTime: formatLocalInterval(new Date(w.starts_at), new Date(w.ends_at), timeZone),
      status: `Number ${w.position} on the waitlist`,
      actions: [
        { label: 'Waitlist details', href: `/me/shifts/${w.shift_id}/waitlist` },
        { label: 'Leave the waitlist', href: `/me/shifts/${w.shift_id}/waitlist/leave`, method: 'post' as const },
      ],
    }));
    return {
      pendingOffers,
      waitlists,
      upcomingBookings: upcoming.map((booking) => this.upcomingItem(booking, now, coverSought.has(booking.bookingId))),
      history: history.map((booking) => ({
        title: booking.title,
        organisationName: booking.organisationName,
        localTime: booking.localTime,
        status:
          booking.status === 'confirmed'
            ? 'Booked · attendance not marked yet'
            : (BOOKING_STATUS[booking.status] ?? booking.status),
      })),
    };
  }

  private upcomingItem(booking: MyBookingDto, now: number, coverSought: boolean): ActivityItem {
    const started = new Date(booking.startsAt).getTime() <= now;
    const cover = `/me/bookings/${booking.bookingId}/cover`;
    return {
      title: booking.title,
      organisationName: booking.organisationName,
      localTime: booking.localTime,
      status: started ? 'Happening now' : BOOKING_STATUS.confirmed,
      ...(coverSought && !started
        ? { detail: 'We’re looking for someone to cover you; until then the place is yours.' }
        : {}),
      actions: [
        { label: 'Add to calendar', href: `/me/bookings/${booking.bookingId}/calendar.ics` },
        // Confirmation pages first: one tap on a phone must not give the place away.
        ...(started
          ? []
          : [
              coverSought
                ? { label: 'Stop looking for cover', href: `${cover}/withdraw`, method: 'post' as const }
                : { label: 'Find someone to cover me…', href: cover },
              { label: 'Cancel booking…', href: `/me/bookings/${booking.bookingId}/cancel` },
            ]),
      ],
    };
  }

  async fillFor(organisationId: string, shiftIds: string[]): Promise<Map<string, ShiftFill>> {
    if (shiftIds.length === 0) return new Map();
    const rows = await this.queries.shiftFills(organisationId, shiftIds);
    return new Map(rows.map((row) => [row.id, { offered: row.offered, booked: row.booked }]));
  }

  progress(organisationId: string, shiftId: string): Promise<ShiftProgressView> {
    return this.queries.progress(organisationId, shiftId);
  }

  async roster(organisationId: string, shiftId: string): Promise<RosterEntry[]> {
    const [roster, started, line] = await Promise.all([
      this.queries.roster(organisationId, shiftId),
      this.queries.shiftStarted(organisationId, shiftId),
      this.waitlist.queue(organisationId, shiftId),
    ]);
    const waiting: RosterEntry[] = line.map((w, i) => ({
      name: w.name,
      kind: 'waitlist',
      status: `number ${i + 1} in line`,
    }));
    return [...this.withCover(this.rosterEntries(roster.entries, shiftId, started), roster), ...waiting];
  }

  /** A booking handed over reads "covered by Ben K. at …"; one looking for cover says until when. */
  private withCover(entries: RosterEntry[], roster: Awaited<ReturnType<OffersQueries['roster']>>): RosterEntry[] {
    const swaps = new Map(roster.swaps.map((w) => [w.fromBookingId, w]));
    const seeking = new Map(roster.coverRequests.map((r) => [r.bookingId, r]));
    const byBooking = new Map(roster.entries.map((e) => [e.bookingId, e]));
    return entries.map((entry, i) => {
      const bookingId = roster.entries[i]?.bookingId ?? entry.bookingId;
      const swap = bookingId ? swaps.get(bookingId) : undefined;
      if (swap) return { name: entry.name, kind: entry.kind, status: `→ covered by ${swap.toName} at ${swap.atLocal}` };
      const request =
        bookingId && byBooking.get(bookingId)?.status === 'confirmed' ? seeking.get(bookingId) : undefined;
      return request ? { ...entry, status: `${entry.status} · looking for someone to cover them` } : entry;
    });
  }

  private rosterEntries(
    entries: Awaited<ReturnType<OffersQueries['roster']>>['entries'],
    shiftId: string,
    started: boolean,
  ): RosterEntry[] {
    return entries.map((entry) => {
      const label = ROSTER_STATUS[entry.status] ?? entry.status;
      if (entry.kind !== 'booking' || entry.status === 'cancelled') {
        return {
          name: entry.name,
          kind: entry.kind as RosterEntry['kind'],
          status: entry.cancelledLate
            ? 'cancelled late by the volunteer'
            : entry.cover
              ? `cover offer · ${label}`
              : label,
          ...(entry.cancelReason ? { reason: entry.cancelReason } : {}),
        };
      }
      const href = `/org/shifts/${shiftId}/bookings/${entry.bookingId}/attendance`;
      // Attendance can be marked (and corrected) once the shift has started, not before.
      const actions = !started
        ? []
        : [
            ...(entry.status !== 'attended'
              ? [{ label: 'Mark attended', href, method: 'post' as const, fields: { status: 'attended' } }]
              : []),
            ...(entry.status !== 'no_show'
              ? [{ label: 'Mark no-show', href, method: 'post' as const, fields: { status: 'no_show' } }]
              : []),
          ];
      return {
        name: entry.name,
        kind: 'booking' as const,
        bookingId: entry.bookingId,
        status:
          !started && entry.status === 'confirmed'
            ? `${label} · attendance can be marked once the shift starts`
            : label,
        actions,
      };
    });
  }
}
