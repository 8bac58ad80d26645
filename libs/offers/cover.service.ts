import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig, ConflictError, JobName, NotFoundError, OutboxService } from '../platform/index.js';
import { nextSendTime, offerExpiry } from '../common/index.js';
import { MatchingService } from '../matching/index.js';
import { BookingsService } from './bookings.service.js';
import { coverDeadline, coverOfferExpiry, firstName } from './core/cover-rules.js';
import { CoverRepository, type CoverRequestRow } from './cover.repository.js';
import { OffersRepository } from './offers.repository.js';
import { WaitlistRepository } from './waitlist.repository.js';

export interface CoverAsked {
  coverRequestId: string;
  bookingId: string;
  deadline: string;
  /** True when the request was open already: asking twice keeps one. */
  alreadyOpen: boolean;
}

/** What accepting a cover offer came to (OfferResponsesService turns it into its answer). */
export type CoverTakeOver =
  | { outcome: 'booked'; bookingId: string; shiftId: string }
  | { outcome: 'filled'; shiftId: string; cover: true }
  | { outcome: 'overlap'; shiftId: string }
  | { outcome: 'closed' };

interface Candidate {
  volunteerId: string;
  score: number;
  explanation: string;
}

/** How many matches to ask for, per cover offer wanted (some were asked already or fit no more). */
const CANDIDATE_HEADROOM = 3;

/**
 * "Find someone to cover me": the asker keeps their seat (and stays responsible) while cover offers
 * go out — to the shift's waitlist in line order first, then to the best matches; the first who
 * accepts takes the booking over, in one transaction that locks the shift, then the request, then
 * offers (the same order as every accept and the deadline release, so they settle one after the other).
 * Nothing here takes a seat: the seat changes hands, so shifts.filled never moves on a swap.
 */
@Injectable()
export class CoverService {
  private readonly logger = new Logger('cover');

  constructor(
    private readonly em: EntityManager,
    private readonly repo: CoverRepository,
    private readonly offers: OffersRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly matching: MatchingService,
    private readonly bookings: BookingsService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens a cover request for the volunteer's own confirmed, upcoming booking, before its deadline. */
  async ask(volunteerId: string, bookingId: string): Promise<CoverAsked> {
    return this.em.fork().transactional(async (tx) => {
      const found = await this.repo.ownBooking(tx, volunteerId, bookingId);
      if (!found) throw new NotFoundError('Booking');
      await this.offers.lockShift(tx, found.shift_id);
      const booking = (await this.repo.ownBooking(tx, volunteerId, bookingId))!;
      const open = await this.repo.openRequestOf(tx, bookingId);
      if (open) return this.asked(open.id, bookingId, open.deadline, true);
      if (booking.status !== 'confirmed' || booking.shift_status === 'cancelled')
        throw new ConflictError(
          'booking-not-coverable',
          `This booking is ${booking.status}, so it has no place to hand over.`,
        );
      const deadline = coverDeadline(new Date(booking.starts_at), this.config.COVER_DEADLINE_HOURS);
      if (deadline.getTime() <= Date.now())
        throw new ConflictError(
          'cover-deadline-passed',
          `It is too close to the start to find cover (we stop looking ${this.config.COVER_DEADLINE_HOURS} hours before). Please cancel your place instead, so the organisers know.`,
        );
      const id = (await this.repo.insertRequest(tx, {
        bookingId,
        shiftId: booking.shift_id,
        volunteerId,
        deadline,
      }))!;
      this.outbox.add(tx, JobName.CoverWave, { coverRequestId: id }, `${JobName.CoverWave}-${id}-opened`);
      await tx.flush();
      return this.asked(id, bookingId, deadline, false);
    });
  }

  private asked(id: string, bookingId: string, deadline: Date, alreadyOpen: boolean): CoverAsked {
    return { coverRequestId: String(id), bookingId, deadline: new Date(deadline).toISOString(), alreadyOpen };
  }

  /** Withdraws the volunteer's open request for their booking (none open: nothing changes); they keep the booking. */
  async withdraw(volunteerId: string, bookingId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const found = await this.repo.ownBooking(tx, volunteerId, bookingId);
      if (!found) throw new NotFoundError('Booking');
      await this.offers.lockShift(tx, found.shift_id);
      const open = await this.repo.openRequestOf(tx, bookingId);
      if (!open) return;
      await this.repo.lockRequest(tx, open.id);
      await this.repo.withdrawCoverOffers(tx, open.id);
      await this.repo.resolve(tx, open.id, 'withdrawn');
    });
  }

  /** What the cover page says about the volunteer's own booking: whether cover can be asked, and any open request. */
  async pageState(volunteerId: string, bookingId: string) {
    const em = this.repo.fork();
    const booking = await this.repo.ownBooking(em, volunteerId, bookingId);
    if (!booking) throw new NotFoundError('Booking');
    const deadline = coverDeadline(new Date(booking.starts_at), this.config.COVER_DEADLINE_HOURS);
    const open = await this.repo.openRequestOf(em, bookingId);
    const askable =
      booking.status === 'confirmed' && booking.shift_status !== 'cancelled' && deadline.getTime() > Date.now();
    return { open: Boolean(open), askable, deadline, deadlineHours: this.config.COVER_DEADLINE_HOURS };
  }

  myOpenRequests(volunteerId: string) {
    return this.repo.myOpenRequests(volunteerId);
  }

  /**
   * Sends cover offers until COVER_FANOUT are out: the waitlist in line order (those who still fit),
   * then the best matches, skipping anyone asked for this request already or with a booking on the
   * shift; all matched for the asker's role. Matches are found before any lock is taken (matching uses a connection of its own).
   */
  async runWave(coverRequestId: string): Promise<{ sent: number }> {
    const request = await this.repo.request(this.repo.fork(), coverRequestId);
    if (!request || request.status !== 'open') return { sent: 0 };
    const { matches } = await this.matching.findMatchesForShift(request.shift_id, {
      limit: this.config.COVER_FANOUT * CANDIDATE_HEADROOM,
      excludeVolunteerIds: [request.volunteer_id],
      counts: false,
      // Someone to take the asker's part: that role's skills, not the first role's.
      roleId: request.role_id,
    });
    return this.em.fork().transactional(async (tx) => {
      const shift = await this.offers.waveShift(tx, request.shift_id, true);
      const locked = await this.repo.lockRequest(tx, coverRequestId);
      if (!shift || !locked || locked.status !== 'open' || locked.overdue) return { sent: 0 };
      const startsAt = new Date(shift.starts_at);
      if (startsAt.getTime() <= Date.now()) return { sent: 0 };
      let size = this.config.COVER_FANOUT - (await this.repo.pendingCoverOffers(tx, coverRequestId));
      if (size <= 0) return { sent: 0 };
      const asked = await this.repo.alreadyAsked(tx, coverRequestId, request.shift_id);
      asked.add(request.volunteer_id);
      const { last_wave: wave } = await this.offers.waveCounts(tx, request.shift_id);
      let sent = 0;
      for await (const candidate of this.candidates(tx, locked, asked, matches)) {
        if (size === 0) break;
        if (await this.offerCover(tx, locked, candidate, Math.max(1, wave), startsAt)) {
          size -= 1;
          sent += 1;
        }
      }
      await tx.flush();
      this.logger.log({ coverRequestId, sent }, 'cover wave');
      return { sent };
    });
  }

  /** The waitlist first, in line order, then the matches; each re-checked against the hard rules in this transaction. */
  private async *candidates(
    tx: EntityManager,
    request: CoverRequestRow,
    asked: Set<string>,
    matches: Array<{ volunteerId: string; score: { total: number }; explanation: string }>,
  ): AsyncGenerator<Candidate> {
    const line = await this.waitlist.queue(tx, request.shift_id);
    const ids = [...line.map((w) => String(w.volunteer_id)), ...matches.map((m) => m.volunteerId)];
    for (const volunteerId of ids) {
      if (asked.has(volunteerId)) continue;
      asked.add(volunteerId);
      const fit = await this.matching.checkPair(
        tx,
        request.shift_id,
        volunteerId,
        ['already_offered'],
        request.role_id,
      );
      if (!fit.ok) continue;
      yield { volunteerId, score: fit.match.score.total, explanation: fit.match.explanation };
    }
  }

  private async offerCover(
    tx: EntityManager,
    request: CoverRequestRow,
    candidate: Candidate,
    wave: number,
    startsAt: Date,
  ): Promise<boolean> {
    const volunteer = await this.offers.quietHours(tx, candidate.volunteerId);
    const quiet = { start: volunteer.quiet_hours_start.slice(0, 5), end: volunteer.quiet_hours_end.slice(0, 5) };
    const deadline = new Date(request.deadline);
    const sendAt = nextSendTime(new Date(), volunteer.time_zone, quiet, deadline);
    const expiresAt = coverOfferExpiry(
      offerExpiry(sendAt, startsAt, {
        defaultHours: this.config.OFFER_EXPIRY_HOURS,
        minMinutes: this.config.OFFER_MIN_EXPIRY_MINUTES,
      }),
      deadline,
    );
    if (expiresAt.getTime() <= sendAt.getTime()) return false;
    const offerId = await this.repo.armCoverOffer(tx, {
      shiftId: request.shift_id,
      volunteerId: candidate.volunteerId,
      wave,
      score: candidate.score,
      explanation: candidate.explanation,
      expiresAt,
      requestId: request.id,
      roleId: request.role_id,
    });
    if (!offerId) return false;
    const key = `${offerId}-${request.id}`;
    this.outbox.add(tx, JobName.CoverOfferEmail, { offerId }, `${JobName.CoverOfferEmail}-${key}`, sendAt);
    this.outbox.add(tx, JobName.OfferExpire, { offerId }, `${JobName.OfferExpire}-${key}-cover`, expiresAt);
    return true;
  }

  /** The cover request an offer belongs to, or null for an ordinary offer. Read under the shift's lock. */
  coverRequestOfOffer(tx: EntityManager, offerId: string): Promise<string | null> {
    return this.repo.coverRequestOfOffer(tx, offerId);
  }

  /**
   * Accepting a cover offer, in the caller's transaction with the shift row locked already: the
   * request (locked next) must still be open and the accepter free at that time; then the asker's
   * booking is cancelled (not late), a confirmed booking made for the accepter on the same seat,
   * the other cover offers withdrawn and the swap recorded for the roster.
   */
  async takeOver(tx: EntityManager, offerId: string, coverRequestId: string): Promise<CoverTakeOver> {
    const request = await this.repo.lockRequest(tx, coverRequestId);
    if (!request) return { outcome: 'closed' };
    if (request.status !== 'open' || request.overdue) {
      // Someone else covered it just before (or the deadline passed). An offer answered already
      // (this volunteer's own accepted one, pressed again) keeps its state and answer.
      const withdrawn =
        (await this.repo.withdrawIfPending(tx, offerId)) || (await this.repo.offerStatus(tx, offerId)) === 'withdrawn';
      return withdrawn ? { outcome: 'filled', shiftId: request.shift_id, cover: true } : { outcome: 'closed' };
    }
    const offer = await this.offers.acceptOffer(tx, offerId);
    if (!offer) return { outcome: 'closed' };
    // The taker gets the asker's seat, in the asker's role.
    const seat = (await this.offers.heldSeat(
      tx,
      request.shift_id,
      await this.offers.bookingRole(tx, request.booking_id),
    ))!;
    await this.offers.lockVolunteer(tx, offer.volunteer_id);
    const overlap = await this.offers.overlappingBooking(tx, offer.volunteer_id, seat.period);
    if (overlap || (await this.offers.bookingOf(tx, request.shift_id, offer.volunteer_id))) {
      await this.offers.withdrawOffer(tx, offerId);
      this.outbox.add(
        tx,
        JobName.CoverWave,
        { coverRequestId },
        `${JobName.CoverWave}-${coverRequestId}-overlap-${offerId}`,
      );
      await tx.flush();
      return { outcome: 'overlap', shiftId: request.shift_id };
    }
    const taker = await this.repo.volunteerName(tx, offer.volunteer_id);
    if (!(await this.repo.cancelAskersBooking(tx, request.booking_id, `Covered by ${firstName(taker)}`))) {
      // The asker's booking ended some other way (a coordinator's change): nothing to hand over.
      await this.offers.withdrawOffer(tx, offerId);
      await this.repo.resolve(tx, coverRequestId, 'withdrawn');
      return { outcome: 'filled', shiftId: request.shift_id, cover: true };
    }
    const bookingId = await this.bookings.confirm(
      tx,
      { shiftId: request.shift_id, volunteerId: offer.volunteer_id, offerId },
      seat,
    );
    await this.waitlist.leave(tx, request.shift_id, offer.volunteer_id); // booked now: out of the line
    await this.endRequest(tx, coverRequestId, 'covered', bookingId);
    await this.repo.recordSwap(tx, request.shift_id, request.booking_id, bookingId);
    await tx.flush();
    this.logger.log({ coverRequestId }, 'covered');
    return { outcome: 'booked', bookingId, shiftId: request.shift_id };
  }

  /** The request ends: its other pending cover offers are withdrawn (a thank-you to those who got one), both sides told. */
  private async endRequest(
    tx: EntityManager,
    coverRequestId: string,
    status: 'covered' | 'released',
    coveredBy: string | null,
  ): Promise<void> {
    for (const row of await this.repo.withdrawCoverOffers(tx, coverRequestId))
      if (row.sent && status === 'covered')
        this.outbox.add(
          tx,
          JobName.OfferWithdrawnEmail,
          { offerId: row.id },
          `${JobName.OfferWithdrawnEmail}-${row.id}`,
        );
    await this.repo.resolve(tx, coverRequestId, status, coveredBy);
    this.outbox.add(
      tx,
      JobName.CoverResolvedEmail,
      { coverRequestId },
      `${JobName.CoverResolvedEmail}-${coverRequestId}`,
    );
  }

  /** Releases every open request past its deadline (the offer sweeper runs this). */
  async releaseOverdue(): Promise<number> {
    let released = 0;
    for (const id of await this.repo.overdueRequests()) if (await this.release(id)) released += 1;
    return released;
  }

  /**
   * Nobody covered in time: the asker's booking is cancelled (not late: they asked in time), the
   * seat freed and a wave queued (the waitlist is promoted first, then the usual offers).
   */
  async release(coverRequestId: string): Promise<boolean> {
    const request = await this.repo.request(this.repo.fork(), coverRequestId);
    if (!request || request.status !== 'open') return false;
    return this.em.fork().transactional(async (tx) => {
      await this.offers.lockShift(tx, request.shift_id);
      const locked = await this.repo.lockRequest(tx, coverRequestId);
      if (!locked || locked.status !== 'open' || !locked.overdue) return false;
      if (!(await this.repo.cancelAskersBooking(tx, locked.booking_id, 'Nobody could cover in time'))) {
        // The booking ended another way (the shift was cancelled): no place to release, nobody to alert.
        await this.repo.withdrawCoverOffers(tx, coverRequestId);
        return this.repo.resolve(tx, coverRequestId, 'withdrawn');
      }
      await this.offers.releaseSeat(tx, locked.shift_id, await this.offers.bookingRole(tx, locked.booking_id));
      this.outbox.add(
        tx,
        JobName.OfferWave,
        { shiftId: locked.shift_id },
        `${JobName.OfferWave}-${locked.shift_id}-released-${coverRequestId}`,
      );
      await this.endRequest(tx, coverRequestId, 'released', null);
      await tx.flush();
      this.logger.log({ coverRequestId }, 'cover released');
      return true;
    });
  }

  /** The asker cancels their place themselves: their open request ends with it (caller's transaction). */
  withdrawForCancelledBooking(tx: EntityManager, bookingId: string): Promise<void> {
    return this.repo.withdrawRequestOfBooking(tx, bookingId);
  }
}
