import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ConflictError,
  InvalidLinkError,
  NotFoundError,
  JobName,
  OutboxService,
  recordOfferOutcome,
} from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import { whyNoMatchList, MatchingService, type FitRule } from '../matching/index.js';
import { DOES_NOT_FIT } from './core/self-booking.js';
import { OfferEngine } from './offer-engine.service.js';

export type OfferAction = 'accept' | 'decline';

export type OfferAnswer =
  | { outcome: 'booked'; bookingId: string; shiftId: string }
  | { outcome: 'declined'; shiftId: string }
  | { outcome: 'filled'; shiftId: string }
  | { outcome: 'overlap'; shiftId: string }
  | { outcome: 'closed'; status: string; shiftId: string };

interface AcceptedRow {
  shift_id: string;
  volunteer_id: string;
}

/** A place just taken on a shift (the row of the seat-taking UPDATE). */
interface Seat {
  filled: number;
  capacity: number;
  starts_at: Date;
  ends_at: Date;
  period: string;
}

export interface SelfBooking {
  outcome: 'booked';
  shiftId: string;
  bookingId: string;
  /** True when the volunteer already held this place: nothing was taken or sent again. */
  alreadyBooked: boolean;
}

const LIVE_BOOKING = new Set(['confirmed', 'attended']);

/** The volunteer fails a hard rule of matching for the shift; `rule` names it (an RFC 9457 extension member). */
export class ShiftDoesNotFitError extends ConflictError {
  constructor(readonly rule: FitRule) {
    super('shift-does-not-fit', DOES_NOT_FIT[rule]);
    this.extensions = { rule };
  }
}

const filledUp = () =>
  new ConflictError('shift-filled', 'This shift filled up just before you. Thank you for offering your time.');

/**
 * What happens when a volunteer answers an offer, cancels a booking or a coordinator marks
 * attendance. Every state change is one conditional UPDATE, so races settle in the database.
 */
@Injectable()
export class OfferResponsesService {
  constructor(
    private readonly em: EntityManager,
    private readonly identity: IdentityService,
    private readonly outbox: OutboxService,
    private readonly engine: OfferEngine,
    private readonly matching: MatchingService,
  ) {}

  /**
   * Answers an offer from its emailed link. The token is used up in the same transaction. Pressing
   * "Yes" again on a link that already booked its volunteer answers "booked" again (a double tap,
   * or reopening the tab), and changes nothing.
   */
  async answer(token: string, action: OfferAction): Promise<OfferAnswer> {
    try {
      return await this.answerOnce(token, action);
    } catch (error) {
      if (!(error instanceof InvalidLinkError) || action !== 'accept') throw error;
      const again = await this.bookedWith(token);
      if (!again) throw error;
      return again;
    }
  }

  /**
   * The booking a used offer link made: only while that booking stands (a cancelled booking or a
   * declined offer keeps the link spent) and its shift has not ended.
   */
  async bookedWith(token: string): Promise<Extract<OfferAnswer, { outcome: 'booked' }> | null> {
    const used = await this.identity.usedLinkToken(token, 'offer_response');
    if (!used?.subjectId) return null;
    const [row] = await this.em.fork().execute(
      `select b.id, b.shift_id from offers f join bookings b on b.offer_id = f.id and b.volunteer_id = f.volunteer_id join shifts s on s.id = b.shift_id
        where f.id = ? and f.volunteer_id = ? and f.status = 'accepted' and b.status = 'confirmed' and s.ends_at > now()`,
      [used.subjectId, used.accountId],
    );
    return row ? { outcome: 'booked', bookingId: String(row.id), shiftId: String(row.shift_id) } : null;
  }

  private async answerOnce(token: string, action: OfferAction): Promise<OfferAnswer> {
    return this.respond(async (tx) => {
      const { subjectId: offerId, accountId } = await this.identity.consumeLinkToken(tx, token, 'offer_response');
      if (!offerId) throw new NotFoundError('Offer');
      // The link answers its own volunteer's offer only (the GET page checks the same).
      const shiftId = await this.shiftOfOwnOffer(tx, offerId, accountId);
      if (!shiftId) throw new InvalidLinkError();
      return { offerId, shiftId };
    }, action);
  }

  /** Answers one of the signed-in volunteer's own offers, from their page or the API. */
  async answerAsVolunteer(volunteerId: string, offerId: string, action: OfferAction): Promise<OfferAnswer> {
    return this.respond(async (tx) => {
      const shiftId = await this.shiftOfOwnOffer(tx, offerId, volunteerId);
      if (!shiftId) throw new NotFoundError('Offer'); // someone else's offer is "not found", as with bookings
      return { offerId, shiftId };
    }, action);
  }

  private async respond(
    find: (tx: EntityManager) => Promise<{ offerId: string; shiftId: string }>,
    action: OfferAction,
  ): Promise<OfferAnswer> {
    const answer = await this.em.fork().transactional(async (tx) => {
      const { offerId, shiftId } = await find(tx);
      return action === 'accept' ? this.accept(tx, offerId, shiftId) : this.decline(tx, offerId);
    });
    // Counted after the commit, so a rolled-back answer is never counted.
    if (answer.outcome === 'booked') recordOfferOutcome('accepted');
    if (answer.outcome === 'declined') recordOfferOutcome('declined');
    return answer;
  }

  private async shiftOfOwnOffer(tx: EntityManager, offerId: string, volunteerId: string): Promise<string | null> {
    const [offer] = await tx.execute(`select shift_id from offers where id = ? and volunteer_id = ?`, [
      offerId,
      volunteerId,
    ]);
    return offer ? String(offer.shift_id) : null;
  }

  private async accept(tx: EntityManager, offerId: string, shiftId: string): Promise<OfferAnswer> {
    // Lock order: the shift row, then offers. Locking the offer first deadlocks under concurrent
    // accepts: the one that fills the last slot holds the shift and withdraws the other pending
    // offers, while each other accept holds its own offer and waits for the shift.
    await tx.execute(`select 1 from shifts where id = ? for update`, [shiftId]);
    const [offer] = await tx.execute<AcceptedRow[]>(
      `update offers set status = 'accepted', responded_at = now()
       where id = ? and status = 'pending' and expires_at > now() returning shift_id, volunteer_id`,
      [offerId],
    );
    if (!offer) return this.closed(tx, offerId);
    const shift = await this.takeSeat(tx, offer.shift_id);
    if (!shift) {
      await tx.execute(`update offers set status = 'withdrawn' where id = ?`, [offerId]);
      return { outcome: 'filled', shiftId: offer.shift_id };
    }
    const [overlap] = await tx.execute(
      `select 1 from bookings where volunteer_id = ? and status in ('confirmed', 'attended') and period && cast(? as tstzrange)`,
      [offer.volunteer_id, shift.period],
    );
    if (overlap) {
      // Give the slot back: the volunteer already has a shift at that time.
      await tx.execute(`update shifts set filled = filled - 1, status = 'open' where id = ?`, [offer.shift_id]);
      await tx.execute(`update offers set status = 'withdrawn' where id = ?`, [offerId]);
      this.outbox.add(
        tx,
        JobName.OfferWave,
        { shiftId: offer.shift_id },
        `${JobName.OfferWave}-${offer.shift_id}-overlap-${offerId}`,
      );
      await tx.flush();
      return { outcome: 'overlap', shiftId: offer.shift_id };
    }
    const bookingId = await this.confirmBooking(
      tx,
      { shiftId: offer.shift_id, volunteerId: offer.volunteer_id, offerId },
      shift,
    );
    return { outcome: 'booked', bookingId, shiftId: offer.shift_id };
  }

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
        const [shift] = await tx.execute(
          `select status, filled, capacity, starts_at, ends_at from shifts where id = ? for update`,
          [shiftId],
        );
        if (!shift || shift.status === 'draft') throw new NotFoundError('Shift'); // a draft is not public yet
        await tx.execute(`select 1 from volunteers where account_id = ? for update`, [volunteerId]);
        const [existing] = await tx.execute(`select id, status from bookings where shift_id = ? and volunteer_id = ?`, [
          shiftId,
          volunteerId,
        ]);
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
        const fit = await this.matching.checkPair(tx, shiftId, volunteerId, ['already_offered']);
        if (!fit.ok) throw new ShiftDoesNotFitError(fit.rule);
        await tx.execute(
          `update offers set status = 'withdrawn', responded_at = now() where shift_id = ? and volunteer_id = ? and status = 'pending'`,
          [shiftId, volunteerId],
        );
        const seat = await this.takeSeat(tx, shiftId);
        if (!seat) throw filledUp();
        const bookingId = await this.confirmBooking(tx, { shiftId, volunteerId, offerId: null }, seat);
        return { outcome: 'booked', shiftId, bookingId, alreadyBooked: false };
      });
    } catch (error) {
      // The no-overlap constraint: an offer of theirs at the same time was accepted in the same instant.
      if ((error as { code?: string }).code === '23P01') throw new ShiftDoesNotFitError('booking_overlap');
      throw error;
    }
  }

  /** Takes a place. The last one can never be double-booked: only one transaction can move filled past capacity - 1. */
  private async takeSeat(tx: EntityManager, shiftId: string): Promise<Seat | null> {
    const [shift] = await tx.execute<Seat[]>(
      `update shifts set filled = filled + 1, updated_at = now(),
              status = case when filled + 1 = capacity then 'full'::shift_status else status end
       where id = ? and status = 'open' and filled < capacity and starts_at > now()
       returning filled, capacity, starts_at, ends_at, period::text as period`,
      [shiftId],
    );
    return shift ?? null;
  }

  /**
   * The booking on a taken place: its confirmation with the iCalendar invite, its reminders, and,
   * if it was the last place, the other pending offers withdrawn politely.
   */
  private async confirmBooking(
    tx: EntityManager,
    who: { shiftId: string; volunteerId: string; offerId: string | null },
    shift: Seat,
  ): Promise<string> {
    const [booking] = await tx.execute(
      `insert into bookings (shift_id, volunteer_id, offer_id, period) values (?, ?, ?, cast(? as tstzrange)) returning id`,
      [who.shiftId, who.volunteerId, who.offerId, shift.period],
    );
    this.outbox.add(
      tx,
      JobName.BookingConfirmedEmail,
      { bookingId: booking.id },
      `${JobName.BookingConfirmedEmail}-${booking.id}`,
    );
    const [volunteer] = await tx.execute(
      `select time_zone, quiet_hours_start::text, quiet_hours_end::text from volunteers where account_id = ?`,
      [who.volunteerId],
    );
    this.engine.scheduleReminders(tx, {
      id: booking.id,
      startsAt: new Date(shift.starts_at),
      zone: volunteer.time_zone,
      quiet: { start: volunteer.quiet_hours_start.slice(0, 5), end: volunteer.quiet_hours_end.slice(0, 5) },
    });
    if (shift.filled === shift.capacity) await this.withdrawPending(tx, who.shiftId);
    await tx.flush();
    return booking.id;
  }

  private async decline(tx: EntityManager, offerId: string): Promise<OfferAnswer> {
    const [offer] = await tx.execute(
      `update offers set status = 'declined', responded_at = now() where id = ? and status = 'pending' returning shift_id`,
      [offerId],
    );
    if (!offer) return this.closed(tx, offerId);
    this.outbox.add(
      tx,
      JobName.OfferWave,
      { shiftId: offer.shift_id },
      `${JobName.OfferWave}-${offer.shift_id}-declined-${offerId}`,
    );
    await tx.flush();
    return { outcome: 'declined', shiftId: offer.shift_id };
  }

  /**
   * Why an offer can no longer be accepted. One withdrawn because its shift filled is answered
   * "filled" — the same words as losing the race for the last place — rather than a vaguer "closed".
   */
  private async closed(tx: EntityManager, offerId: string): Promise<OfferAnswer> {
    const [row] = await tx.execute(
      `select f.status, f.shift_id, f.expires_at <= now() as overdue, s.status = 'full' as shift_full
       from offers f join shifts s on s.id = f.shift_id where f.id = ?`,
      [offerId],
    );
    if (!row) throw new NotFoundError('Offer');
    if (row.status === 'withdrawn' && row.shift_full) return { outcome: 'filled', shiftId: row.shift_id };
    return {
      outcome: 'closed',
      status: row.status === 'pending' && row.overdue ? 'expired' : row.status,
      shiftId: row.shift_id,
    };
  }

  /** The shift is full: the other pending offers are withdrawn, each with a short thank-you. */
  async withdrawPending(tx: EntityManager, shiftId: string): Promise<void> {
    const rows = await tx.execute(
      `update offers set status = 'withdrawn', responded_at = now() where shift_id = ? and status = 'pending' returning id`,
      [shiftId],
    );
    for (const row of rows)
      this.outbox.add(tx, JobName.OfferWithdrawnEmail, { offerId: row.id }, `${JobName.OfferWithdrawnEmail}-${row.id}`);
  }

  /**
   * A volunteer cancels their own upcoming booking; the slot reopens and the cascade resumes, and
   * they get a confirmation whose calendar CANCEL removes the shift from their calendar.
   */
  async cancelBooking(volunteerId: string, bookingId: string, reason?: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const [booking] = await tx.execute(
        `update bookings b set status = 'cancelled', updated_at = now(), sequence = b.sequence + 1, cancel_reason = ?
         from shifts s where b.id = ? and b.volunteer_id = ? and b.status = 'confirmed' and s.id = b.shift_id and s.starts_at > now()
         returning b.shift_id`,
        [reason?.trim() || null, bookingId, volunteerId],
      );
      if (!booking) {
        const [exists] = await tx.execute(`select status from bookings where id = ? and volunteer_id = ?`, [
          bookingId,
          volunteerId,
        ]);
        if (!exists) throw new NotFoundError('Booking');
        throw new ConflictError(
          'booking-not-cancellable',
          `This booking is ${exists.status} or its shift has started, so it can't be cancelled here.`,
        );
      }
      await tx.execute(
        `update shifts set filled = filled - 1, updated_at = now(), status = case when status = 'full' then 'open'::shift_status else status end where id = ?`,
        [booking.shift_id],
      );
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

  /** Coordinator marks attendance once the shift has started; it feeds reliability in matching. */
  async markAttendance(
    organisationId: string,
    shiftId: string,
    bookingId: string,
    status: 'attended' | 'no_show',
  ): Promise<void> {
    const rows = await this.em.fork().execute(
      `update bookings b set status = ?, updated_at = now()
       from shifts s where b.id = ? and b.shift_id = ? and s.id = b.shift_id and s.organisation_id = ?
         and b.status in ('confirmed', 'attended', 'no_show') and s.starts_at <= now()
       returning b.id`,
      [status, bookingId, shiftId, organisationId],
    );
    if (rows.length === 0) {
      const [row] = await this.em
        .fork()
        .execute(
          `select b.status, s.starts_at > now() as upcoming from bookings b join shifts s on s.id = b.shift_id where b.id = ? and s.id = ? and s.organisation_id = ?`,
          [bookingId, shiftId, organisationId],
        );
      if (!row) throw new NotFoundError('Booking');
      if (row.upcoming)
        throw new ConflictError('shift-not-started', 'Attendance can be marked once the shift has started.');
      throw new ConflictError('booking-cancelled', 'This booking was cancelled.');
    }
  }

  /**
   * One-click unsubscribe (RFC 8058): pauses offers; the volunteer resumes from their profile.
   * The token is not used up: mail clients may POST it more than once, and pausing twice is harmless.
   */
  async unsubscribe(token: string): Promise<void> {
    const { accountId } = await this.identity.peekLinkToken(token, 'unsubscribe');
    await this.em
      .fork()
      .execute(`update volunteers set status = 'paused', updated_at = now() where account_id = ?`, [accountId]);
  }
}
