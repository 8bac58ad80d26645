import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { InvalidLinkError, NotFoundError, JobName, OutboxService, recordOfferOutcome } from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import { BookingsService } from './bookings.service.js';
import { CoverService } from './cover.service.js';
import { queueNextAsk } from './next-ask.js';
import { OffersRepository } from './offers.repository.js';

export type OfferAction = 'accept' | 'decline';

export type OfferAnswer =
  | { outcome: 'booked'; bookingId: string; shiftId: string }
  | { outcome: 'declined'; shiftId: string }
  /** `cover`: a cover offer whose request someone else covered (or whose deadline passed) just before. */
  | { outcome: 'filled'; shiftId: string; cover?: boolean }
  | { outcome: 'overlap'; shiftId: string }
  | { outcome: 'closed'; status: string; shiftId: string };

/**
 * What happens when a volunteer answers an offer (from its emailed link or their own page) or
 * unsubscribes. Every state change is one conditional UPDATE, so races settle in the database.
 */
@Injectable()
export class OfferResponsesService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: OffersRepository,
    private readonly identity: IdentityService,
    private readonly outbox: OutboxService,
    private readonly bookings: BookingsService,
    private readonly cover: CoverService,
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
    const row = await this.repo.bookedWithOffer(used.subjectId, used.accountId);
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
    const offer = await this.repo.shiftOfOwnOffer(tx, offerId, volunteerId);
    return offer ? String(offer.shift_id) : null;
  }

  private async accept(tx: EntityManager, offerId: string, shiftId: string): Promise<OfferAnswer> {
    // Lock order: the shift row, then offers. Locking the offer first deadlocks under concurrent
    // accepts: the one that fills the last slot holds the shift and withdraws the other pending
    // offers, while each other accept holds its own offer and waits for the shift.
    await this.repo.lockShift(tx, shiftId);
    const coverRequestId = await this.cover.coverRequestOfOffer(tx, offerId);
    if (coverRequestId) {
      const taken = await this.cover.takeOver(tx, offerId, coverRequestId);
      return taken.outcome === 'closed' ? this.closed(tx, offerId) : taken;
    }
    const offer = await this.repo.acceptOffer(tx, offerId);
    if (!offer) return this.closed(tx, offerId);
    // A held offer's seat was taken for it when the waitlist promoted its volunteer.
    const shift = offer.held_seat
      ? await this.repo.heldSeat(tx, offer.shift_id, offer.role_id)
      : await this.repo.takeSeat(tx, offer.shift_id, offer.role_id);
    if (!shift) {
      await this.repo.withdrawOffer(tx, offerId);
      return { outcome: 'filled', shiftId: offer.shift_id };
    }
    const overlap = await this.repo.overlappingBooking(tx, offer.volunteer_id, shift.period);
    if (overlap) {
      // Give the slot back: the volunteer already has a shift at that time.
      await this.repo.giveSeatBack(tx, offer.shift_id, offer.role_id);
      await this.repo.withdrawOffer(tx, offerId);
      this.outbox.add(
        tx,
        JobName.OfferWave,
        { shiftId: offer.shift_id },
        `${JobName.OfferWave}-${offer.shift_id}-overlap-${offerId}`,
      );
      await tx.flush();
      return { outcome: 'overlap', shiftId: offer.shift_id };
    }
    const bookingId = await this.bookings.confirm(
      tx,
      { shiftId: offer.shift_id, volunteerId: offer.volunteer_id, offerId },
      shift,
    );
    return { outcome: 'booked', bookingId, shiftId: offer.shift_id };
  }

  private async decline(tx: EntityManager, offerId: string): Promise<OfferAnswer> {
    const offer = await this.repo.declineOffer(tx, offerId);
    if (!offer) return this.closed(tx, offerId);
    // A declined cover offer lets the next cover offer out; an ordinary one, the next wave.
    queueNextAsk(this.outbox, tx, { ...offer, id: offerId }, 'declined');
    await tx.flush();
    return { outcome: 'declined', shiftId: offer.shift_id };
  }

  /**
   * Why an offer can no longer be accepted. One withdrawn because its shift filled is answered
   * "filled" — the same words as losing the race for the last place — rather than a vaguer "closed".
   */
  private async closed(tx: EntityManager, offerId: string): Promise<OfferAnswer> {
    const row = await this.repo.offerState(tx, offerId);
    if (!row) throw new NotFoundError('Offer');
    if (row.status === 'withdrawn' && row.shift_full) return { outcome: 'filled', shiftId: row.shift_id };
    return {
      outcome: 'closed',
      status: row.status === 'pending' && row.overdue ? 'expired' : row.status,
      shiftId: row.shift_id,
    };
  }

  /**
   * One-click unsubscribe (RFC 8058): pauses offers; the volunteer resumes from their profile.
   * The token is not used up: mail clients may POST it more than once, and pausing twice is harmless.
   */
  async unsubscribe(token: string): Promise<void> {
    const { accountId } = await this.identity.peekLinkToken(token, 'unsubscribe');
    await this.repo.pauseOffers(accountId);
  }
}
