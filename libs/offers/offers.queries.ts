import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, NotFoundError } from '../platform/index.js';
import { formatLocalInterval } from '../organisations/index.js';
import { waveSize } from './core/offer-rules.js';
import { shiftProgress, type ProgressFacts } from './core/shift-progress.js';
import type { MyBookingDto, MyOfferDto, RosterDto, ShiftProgressDto } from './offers.dto.js';
import { OffersRepository } from './offers.repository.js';
import { CoverRepository } from './cover.repository.js';
import { shortName } from './core/cover-rules.js';

/** Read models of the offer pipeline for volunteers and coordinators. */
@Injectable()
export class OffersQueries {
  constructor(
    private readonly repo: OffersRepository,
    private readonly cover: CoverRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async myOffers(volunteerId: string): Promise<MyOfferDto[]> {
    const rows = await this.repo.myOffers(volunteerId);
    return rows.map((r) => ({
      offerId: r.id,
      shiftId: r.shift_id,
      title: r.title,
      organisationName: r.organisation_name,
      localTime: formatLocalInterval(new Date(r.starts_at), new Date(r.ends_at), r.time_zone),
      explanation: r.explanation,
      expiresAt: new Date(r.expires_at).toISOString(),
    }));
  }

  async myBookings(volunteerId: string): Promise<MyBookingDto[]> {
    const rows = await this.repo.myBookings(volunteerId);
    return rows.map((r) => ({
      bookingId: r.id,
      shiftId: r.shift_id,
      title: r.title,
      organisationName: r.organisation_name,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      localTime: formatLocalInterval(new Date(r.starts_at), new Date(r.ends_at), r.time_zone),
      status: r.status,
    }));
  }

  /** What a "You're booked" page lists: the shift, where and when (in the volunteer's zone). */
  async bookingSummary(bookingId: string): Promise<Array<{ term: string; value: string }>> {
    const row = await this.repo.bookingSummary(bookingId);
    if (!row) return [];
    return [
      { term: 'Shift', value: row.title },
      { term: 'Where', value: `${row.organisation_name} — ${[row.place, row.street].filter(Boolean).join(', ')}` },
      { term: 'When', value: formatLocalInterval(new Date(row.starts_at), new Date(row.ends_at), row.time_zone) },
    ];
  }

  /** Who is offered and booked on a shift: what a coordinator needs, never wellbeing or contact data. */
  async roster(organisationId: string, shiftId: string): Promise<RosterDto> {
    const shift = await this.repo.rosterShift(organisationId, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    const bookings = await this.repo.rosterBookings(shiftId);
    const offers = await this.repo.rosterOffers(shiftId);
    const [requests, swaps] = await Promise.all([
      this.cover.rosterOpenRequests(shiftId),
      this.cover.rosterSwaps(shiftId),
    ]);
    return {
      shiftId,
      capacity: shift.capacity,
      filled: shift.filled,
      status: shift.status,
      entries: [
        ...bookings.map((b) => ({
          volunteerId: b.volunteer_id,
          name: b.name,
          kind: 'booking',
          status: b.status,
          roleId: b.role_id,
          roleName: b.role_name,
          bookingId: b.id,
          ...(b.cancel_reason ? { cancelReason: b.cancel_reason } : {}),
          ...(b.status === 'cancelled' ? { cancelledLate: Boolean(b.cancelled_late) } : {}),
        })),
        ...offers.map((f) => ({
          volunteerId: f.volunteer_id,
          name: f.name,
          kind: 'offer',
          status: f.status,
          roleId: f.role_id,
          roleName: f.role_name,
          offerId: f.id,
          wave: f.wave,
          ...(f.cover ? { cover: true } : {}),
        })),
      ],
      coverRequests: requests.map((r) => ({
        coverRequestId: String(r.id),
        bookingId: String(r.booking_id),
        volunteerId: String(r.volunteer_id),
        name: r.name,
        deadline: new Date(r.deadline).toISOString(),
      })),
      swaps: swaps.map((w) => ({
        at: new Date(w.created_at).toISOString(),
        atLocal: w.at_local,
        fromBookingId: w.from_booking_id,
        toBookingId: w.to_booking_id,
        fromName: shortName(w.from_name ?? ''),
        toName: shortName(w.to_name ?? ''),
      })),
    };
  }

  /**
   * Where a shift's offers stand, from the database alone: offers.sent_at follows the delivery log,
   * so "queued" is written but not yet emailed. A wave is "being prepared" when something asked for
   * one (publish, a decline, an expiry, a cancelled booking) after the last offer was written, the
   * next wave would have offers to send, and the worker has not said there is nobody to ask.
   */
  async progress(organisationId: string, shiftId: string): Promise<ShiftProgressDto> {
    const row = await this.repo.progress(organisationId, shiftId);
    if (!row) throw new NotFoundError('Shift');
    const facts: ProgressFacts = {
      status: row.status,
      capacity: row.capacity,
      filled: row.filled,
      startsAt: new Date(row.starts_at),
      queued: row.queued,
      queuedRecent: row.queued_recent,
      sent: row.sent,
      waiting: row.waiting,
      accepted: row.accepted,
      declined: row.declined,
      expired: row.expired,
      withdrawn: row.withdrawn,
      preparing:
        Boolean(row.triggered) &&
        waveSize({
          capacity: row.capacity,
          filled: row.filled,
          pending: row.pending,
          fanout: this.config.OFFER_FANOUT,
        }) > 0,
    };
    const progress = shiftProgress(facts, new Date());
    return {
      shiftId,
      ...progress,
      capacity: facts.capacity,
      filled: facts.filled,
      offers: {
        queued: facts.queued,
        sent: facts.sent,
        waiting: facts.waiting,
        accepted: facts.accepted,
        declined: facts.declined,
        expired: facts.expired,
        withdrawn: facts.withdrawn,
      },
    };
  }

  /** The offer an emailed link answers, with its local time; null unless it is that volunteer's own. */
  async offerForLink(offerId: string | null, volunteerId: string): Promise<Record<string, any> | null> {
    const offer = await this.repo.offerForLink(offerId, volunteerId);
    if (!offer) return null;
    return {
      ...offer,
      localTime: formatLocalInterval(new Date(offer.starts_at), new Date(offer.ends_at), offer.time_zone),
    };
  }

  /** Pending offers and live bookings per shift of the organisation. */
  shiftFills(organisationId: string, shiftIds: string[]) {
    return this.repo.shiftFills(organisationId, shiftIds);
  }

  async shiftStarted(organisationId: string, shiftId: string): Promise<boolean> {
    const shift = await this.repo.shiftStarted(organisationId, shiftId);
    return Boolean(shift?.started);
  }

  /** The volunteer's own confirmed or attended booking, with what its calendar entry says; null if none. */
  async calendarBooking(volunteerId: string, bookingId: string) {
    return (await this.repo.calendarBooking(volunteerId, bookingId)) ?? null;
  }

  /** The volunteer's own booking as the cancel pages show it; anyone else's is "not found". */
  async ownBooking(volunteerId: string, bookingId: string) {
    const row = await this.repo.ownBooking(volunteerId, bookingId);
    if (!row) throw new NotFoundError('Booking');
    return {
      id: bookingId,
      status: row.status as string,
      title: row.title as string,
      organisationName: row.organisation_name as string,
      started: Boolean(row.started),
      localTime: formatLocalInterval(new Date(row.starts_at), new Date(row.ends_at), row.time_zone),
    };
  }
}
