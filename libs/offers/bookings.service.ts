import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig, ConflictError, NotFoundError, JobName, OutboxService } from '../platform/index.js';
import { whyNoMatchList, MatchingService } from '../matching/index.js';
import { ShiftDoesNotFitError } from './core/self-booking.js';

export { ShiftDoesNotFitError };
import { OfferEngine } from './offer-engine.service.js';
import type { Seat } from './offers.rows.js';
import { OffersRepository } from './offers.repository.js';
import { CoverRepository } from './cover.repository.js';

export interface SelfBooking {
  outcome: 'booked';
  shiftId: string;
  bookingId: string;
  /** True when the volunteer already held this place: nothing was taken or sent again. */
  alreadyBooked: boolean;
}

const LIVE_BOOKING = new Set(['confirmed', 'attended']);

const filledUp = () =>
  new ConflictError('shift-filled', 'This shift filled up just before you. Thank you for offering your time.');

/**
 * Bookings: a volunteer books an open shift or cancels their place, a coordinator marks attendance,
 * and the confirmation every new booking gets (also when an offer is accepted). Every state change
 * is one conditional UPDATE, so races settle in the database.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: OffersRepository,
    private readonly outbox: OutboxService,
    private readonly engine: OfferEngine,
    private readonly matching: MatchingService,
    private readonly cover: CoverRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A volunteer books an open shift that fits them, from /me or the API: every hard rule of
   * matching re-checked inside the transaction (MatchingService.checkPair), then the same seat and
   * confirmation as accepting an offer. Their own pending offer for it is withdrawn (they took the
   * place; no "filled" note for them). Booking a shift they already hold returns that booking: a
   * resubmitted form or a retried request must neither fail nor take or mail anything twice.
   */
  async bookShift(volunteerId: string, shiftId: string): Promise<SelfBooking> {
    try {
      return await this.em.fork().transactional(async (tx) => {
        // Lock order: the shift, as accepting does; then the volunteer, so two bookings of theirs
        // at once cannot both pass the overlap and weekly-cap checks.
        const shift = await this.repo.lockShiftForBooking(tx, shiftId);
        if (!shift || shift.status === 'draft') throw new NotFoundError('Shift'); // a draft is not public yet
        await this.repo.lockVolunteer(tx, volunteerId);
        const existing = await this.repo.bookingOf(tx, shiftId, volunteerId);
        if (existing && LIVE_BOOKING.has(existing.status))
          return { outcome: 'booked', shiftId, bookingId: existing.id, alreadyBooked: true };
        if (existing?.status === 'cancelled')
          throw new ConflictError(
            'booking-cancelled',
            'You cancelled your place on this shift, so it can’t be booked again here.',
          );
        const state = whyNoMatchList(
          {
            status: shift.status,
            filled: shift.filled,
            capacity: shift.capacity,
            startsAt: new Date(shift.starts_at),
            endsAt: new Date(shift.ends_at),
          },
          Date.now(),
        );
        if (state?.code === 'full') throw filledUp();
        if (state) throw new ConflictError('shift-not-open', state.message);
        // The first role with a free seat that they fit (ADR 0029); a one-role shift has just the one.
        const open = (await this.repo.waveRoles(tx, shiftId)).filter((role) => role.filled < role.capacity);
        let fit = await this.matching.checkPair(tx, shiftId, volunteerId, ['already_offered'], open[0]?.id ?? null);
        let roleId = open[0]?.id ?? null;
        for (const role of open.slice(1)) {
          if (fit.ok) break;
          fit = await this.matching.checkPair(tx, shiftId, volunteerId, ['already_offered'], role.id);
          roleId = role.id;
        }
        if (!fit.ok) throw new ShiftDoesNotFitError(fit.rule);
        await this.repo.withdrawOwnPendingOffer(tx, shiftId, volunteerId);
        const seat = await this.repo.takeSeat(tx, shiftId, roleId);
        if (!seat) throw filledUp();
        const bookingId = await this.confirm(tx, { shiftId, volunteerId, offerId: null }, seat);
        return { outcome: 'booked', shiftId, bookingId, alreadyBooked: false };
      });
    } catch (error) {
      // The no-overlap constraint: an offer of theirs at the same time was accepted in the same instant.
      if ((error as { code?: string }).code === '23P01') throw new ShiftDoesNotFitError('booking_overlap');
      throw error;
    }
  }

  /**
   * The booking on a taken place: its confirmation with the iCalendar invite, its reminders, and,
   * if it was the last place, the other pending offers withdrawn politely.
   */
  async confirm(
    tx: EntityManager,
    who: { shiftId: string; volunteerId: string; offerId: string | null },
    shift: Seat,
  ): Promise<string> {
    const booking = await this.repo.insertBooking(tx, { ...who, roleId: shift.role_id }, shift.period);
    this.outbox.add(
      tx,
      JobName.BookingConfirmedEmail,
      { bookingId: booking.id },
      `${JobName.BookingConfirmedEmail}-${booking.id}`,
    );
    const volunteer = await this.repo.quietHours(tx, who.volunteerId);
    this.engine.scheduleReminders(tx, {
      id: booking.id,
      startsAt: new Date(shift.starts_at),
      zone: volunteer.time_zone,
      quiet: { start: volunteer.quiet_hours_start.slice(0, 5), end: volunteer.quiet_hours_end.slice(0, 5) },
    });
    if (shift.filled === shift.capacity) await this.withdrawPending(tx, who.shiftId);
    else if (shift.role_filled === shift.role_capacity) await this.withdrawPending(tx, who.shiftId, shift.role_id);
    await tx.flush();
    return booking.id;
  }

  /** The shift is full: the other pending offers are withdrawn, each with a short thank-you. */
  async withdrawPending(tx: EntityManager, shiftId: string, roleId?: string): Promise<void> {
    const rows = roleId
      ? await this.repo.withdrawRolePendingOffers(tx, shiftId, roleId)
      : await this.repo.withdrawPendingOffers(tx, shiftId);
    for (const row of rows)
      this.outbox.add(tx, JobName.OfferWithdrawnEmail, { offerId: row.id }, `${JobName.OfferWithdrawnEmail}-${row.id}`);
  }

  /**
   * A volunteer cancels their own upcoming booking; the slot reopens and the cascade resumes, and
   * they get a confirmation whose calendar CANCEL removes the shift from their calendar. Within
   * LATE_CANCEL_HOURS of the start it is marked late (the roster shows it; reliability counts it gently).
   */
  async cancelBooking(volunteerId: string, bookingId: string, reason?: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      // The shift first, as accepting a cover offer does: it may be handing this very booking over.
      const shiftId = await this.cover.bookingShift(tx, volunteerId, bookingId);
      if (shiftId) await this.repo.lockShift(tx, shiftId);
      const booking = await this.repo.cancelBooking(
        tx,
        volunteerId,
        bookingId,
        reason?.trim() || null,
        this.config.LATE_CANCEL_HOURS,
      );
      if (!booking) {
        const exists = await this.repo.bookingStatus(tx, volunteerId, bookingId);
        if (!exists) throw new NotFoundError('Booking');
        throw new ConflictError(
          'booking-not-cancellable',
          `This booking is ${exists.status} or its shift has started, so it can't be cancelled here.`,
        );
      }
      await this.repo.releaseSeat(tx, booking.shift_id, booking.role_id);
      // Cancelling ends a search for cover: there is no place left to hand over.
      await this.cover.withdrawRequestOfBooking(tx, bookingId);
      this.outbox.add(
        tx,
        JobName.OfferWave,
        { shiftId: booking.shift_id },
        `${JobName.OfferWave}-${booking.shift_id}-freed-${bookingId}`,
      );
      this.outbox.add(
        tx,
        JobName.BookingCancelledEmail,
        { bookingId },
        `${JobName.BookingCancelledEmail}-${bookingId}`,
      );
      await tx.flush();
    });
  }

  /**
   * A walk-in at the door (the arrivals kiosk): a registered volunteer who turns up gets a place if
   * one is free, through the same conditional seat update as every booking, and the no-overlap
   * constraint still holds. No hard rule of matching beyond that: they are here. No confirmation
   * mail or reminders either — they would arrive after the fact. Runs in the caller's transaction.
   */
  async bookWalkIn(tx: EntityManager, shiftId: string, volunteerId: string): Promise<SelfBooking> {
    const shift = await this.repo.lockShiftForBooking(tx, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    await this.repo.lockVolunteer(tx, volunteerId);
    const existing = await this.repo.bookingOf(tx, shiftId, volunteerId);
    if (existing && LIVE_BOOKING.has(existing.status))
      return { outcome: 'booked', shiftId, bookingId: existing.id, alreadyBooked: true };
    if (existing)
      throw new ConflictError('booking-cancelled', 'This volunteer’s earlier booking of this shift was cancelled.');
    const seat = await this.repo.takeWalkInSeat(tx, shiftId);
    if (!seat) throw filledUp();
    if (await this.repo.overlappingBooking(tx, volunteerId, seat.period))
      throw new ShiftDoesNotFitError('booking_overlap');
    await this.repo.withdrawOwnPendingOffer(tx, shiftId, volunteerId);
    const booking = await this.repo.insertBooking(tx, { shiftId, volunteerId, offerId: null }, seat.period);
    if (seat.filled === seat.capacity) await this.withdrawPending(tx, shiftId);
    return { outcome: 'booked', shiftId, bookingId: booking.id, alreadyBooked: false };
  }

  /**
   * An arrival marks the booking attended, in the caller's transaction. A scan or the kiosk only
   * replaces "confirmed" (a coordinator's no-show stands); the coordinator's own arrival mark also
   * corrects a no-show.
   */
  attendByArrival(tx: EntityManager, bookingId: string, by: 'volunteer' | 'coordinator'): Promise<boolean> {
    return this.repo.attendByArrival(tx, bookingId, by === 'coordinator' ? ['confirmed', 'no_show'] : ['confirmed']);
  }

  /** Unmarked (still confirmed) bookings become no-shows; any mark already made is kept. */
  async markNoShows(tx: EntityManager, bookingIds: string[]): Promise<number> {
    if (bookingIds.length === 0) return 0;
    return (await this.repo.markNoShows(tx, bookingIds)).length;
  }

  /** Coordinator marks attendance once the shift has started; it feeds reliability in matching. */
  async markAttendance(
    organisationId: string,
    shiftId: string,
    bookingId: string,
    status: 'attended' | 'no_show',
  ): Promise<void> {
    const rows = await this.repo.markAttendance(organisationId, shiftId, bookingId, status);
    if (rows.length === 0) {
      const row = await this.repo.attendanceState(organisationId, shiftId, bookingId);
      if (!row) throw new NotFoundError('Booking');
      if (row.upcoming)
        throw new ConflictError('shift-not-started', 'Attendance can be marked once the shift has started.');
      throw new ConflictError('booking-cancelled', 'This booking was cancelled.');
    }
  }
}
