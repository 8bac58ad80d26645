import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  ConflictError,
  InvalidInputError,
  JobName,
  NotFoundError,
  OutboxService,
} from '../platform/index.js';
import { nextSendTime, offerExpiry } from '../common/index.js';
import { MatchingService } from '../matching/index.js';
import { ShiftDoesNotFitError } from './core/self-booking.js';
import { OffersRepository } from './offers.repository.js';
import { WaitlistRepository } from './waitlist.repository.js';

export interface WaitlistPlace {
  shiftId: string;
  /** 1 is next in line. */
  position: number;
  /** True when they were waiting already: joining twice keeps one place. */
  alreadyWaiting: boolean;
}

const LIVE_BOOKING = new Set(['confirmed', 'attended']);

/**
 * Waitlists: a volunteer who fits a full shift waits in line; when a seat frees, the first in line
 * who still fits gets it held (an offer with `held_seat`, a short deadline) before any wave goes to
 * others, and on a decline or expiry the next one does (the decline and expiry paths queue a wave,
 * which promotes first).
 */
@Injectable()
export class WaitlistService {
  private readonly logger = new Logger('waitlist');

  constructor(
    private readonly em: EntityManager,
    private readonly repo: WaitlistRepository,
    private readonly offers: OffersRepository,
    private readonly matching: MatchingService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Joins the shift's waitlist: only a full, upcoming shift the volunteer fits and does not hold a place on. */
  /** Joins the line of one role (`roleId`; default the only role — a shift with several needs it). */
  async join(volunteerId: string, shiftId: string, roleId: string | null = null): Promise<WaitlistPlace> {
    return this.em.fork().transactional(async (tx) => {
      const state = await this.repo.joinState(tx, shiftId, volunteerId);
      if (!state || state.status === 'draft') throw new NotFoundError('Shift');
      if (state.booking_status && LIVE_BOOKING.has(state.booking_status))
        throw new ConflictError('already-booked', 'You are booked on this shift already.');
      if (state.held)
        throw new ConflictError('seat-held', 'A place on this shift is held for you: answer its offer to take it.');
      if (state.status === 'cancelled' || new Date(state.starts_at).getTime() <= Date.now())
        throw new ConflictError('shift-not-open', 'This shift is cancelled, has started or is over.');
      const roles = await this.offers.waveRoles(tx, shiftId);
      if (!roleId && roles.length > 1)
        throw InvalidInputError.field('roleId', 'is required: this shift has several roles, each with its own line');
      const role = roleId ? roles.find((r) => r.id === roleId) : roles[0];
      if (!role) throw InvalidInputError.field('roleId', 'is not a role of this shift');
      if (role.filled < role.capacity)
        throw new ConflictError('shift-has-places', 'This shift still has places: book one, or wait for an offer.');
      const existing = await this.repo.position(tx, shiftId, volunteerId);
      if (existing) return { shiftId, position: existing, alreadyWaiting: true };
      // Their own withdrawn offer (the shift filled before they answered) does not stop them.
      const fit = await this.matching.checkPair(tx, shiftId, volunteerId, ['already_offered'], role.id);
      if (!fit.ok) throw new ShiftDoesNotFitError(fit.rule);
      const added = await this.repo.join(tx, shiftId, volunteerId, role.id);
      const position = (await this.repo.position(tx, shiftId, volunteerId)) as number;
      return { shiftId, position, alreadyWaiting: !added };
    });
  }

  /** Leaves the waitlist; leaving a list one is not on changes nothing. */
  async leave(volunteerId: string, shiftId: string): Promise<void> {
    await this.repo.leave(this.em.fork(), shiftId, volunteerId);
  }

  /** The shift as the waitlist page shows it, and the volunteer's place in its line (null: not waiting). */
  async page(volunteerId: string, shiftId: string) {
    const shift = await this.repo.shiftForVolunteer(shiftId, volunteerId);
    if (!shift) throw new NotFoundError('Shift');
    return { shift, position: await this.repo.position(this.em.fork(), shiftId, volunteerId) };
  }

  mine(volunteerId: string) {
    return this.repo.mine(volunteerId);
  }

  async queue(organisationId: string, shiftId: string) {
    const em = this.em.fork();
    const shift = await this.offers.rosterShift(organisationId, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    return this.repo.queue(em, shiftId);
  }

  /**
   * Holds each free seat of the shift for the next in line who still fits (those who no longer fit
   * leave the line), in one transaction under the shift's lock. The seat is taken at once, so the
   * wave that follows sees no place to offer; the hold's email and expiry go through the outbox.
   */
  async promote(shiftId: string): Promise<number> {
    // Most waves have nobody waiting: they take no lock here.
    if (!(await this.repo.hasQueue(shiftId))) return 0;
    return this.em.fork().transactional(async (tx) => {
      const shift = await this.offers.waveShift(tx, shiftId, true);
      if (!shift || shift.status !== 'open' || new Date(shift.starts_at).getTime() <= Date.now()) return 0;
      let open = shift.capacity - shift.filled;
      if (open <= 0) return 0;
      const line = await this.repo.queue(tx, shiftId);
      if (line.length === 0) return 0;
      const wave = (await this.offers.waveCounts(tx, shiftId)).last_wave + 1;
      let held = 0;
      for (const { volunteer_id: volunteerId, role_id: roleId } of line) {
        if (open === 0) break;
        const fit = await this.matching.checkPair(tx, shiftId, volunteerId, ['already_offered'], roleId);
        // Each role has its own line: no seat in this one's role, and they keep their place.
        const seat = fit.ok ? await this.offers.takeSeat(tx, shiftId, roleId) : undefined;
        if (fit.ok && !seat) continue;
        // Promoted, or no longer fitting (a booking at that time, away, paused…): out of the line either way.
        await this.repo.leave(tx, shiftId, volunteerId);
        if (!fit.ok) continue;
        const offerId = await this.hold(
          tx,
          { shiftId, volunteerId, roleId },
          wave,
          fit.match,
          new Date(shift.starts_at),
        );
        if (!offerId) {
          await this.offers.giveSeatBack(tx, shiftId, roleId);
          continue;
        }
        open -= 1;
        held += 1;
      }
      await tx.flush();
      if (held) this.logger.log({ shiftId, held }, 'waitlist seats held');
      return held;
    });
  }

  /** The held offer, its email (out of the volunteer's quiet hours) and its expiry, which starts when it is sent. */
  private async hold(
    tx: EntityManager,
    { shiftId, volunteerId, roleId }: { shiftId: string; volunteerId: string; roleId: string },
    wave: number,
    match: { score: { total: number }; explanation: string },
    startsAt: Date,
  ): Promise<string | null> {
    const volunteer = await this.offers.quietHours(tx, volunteerId);
    const quiet = { start: volunteer.quiet_hours_start.slice(0, 5), end: volunteer.quiet_hours_end.slice(0, 5) };
    const sendAt = nextSendTime(new Date(), volunteer.time_zone, quiet, new Date(startsAt.getTime() - 2 * 3600_000));
    const expiresAt = offerExpiry(sendAt, startsAt, {
      defaultHours: this.config.WAITLIST_HOLD_MINUTES / 60,
      minMinutes: Math.min(this.config.OFFER_MIN_EXPIRY_MINUTES, this.config.WAITLIST_HOLD_MINUTES),
    });
    // A pending cover offer of theirs becomes the hold: its request asks someone else next.
    const coverRequestId = await this.repo.pendingCoverRequest(tx, shiftId, volunteerId);
    const offerId = await this.repo.armHeldOffer(tx, {
      shiftId,
      volunteerId,
      wave,
      score: match.score.total,
      explanation: match.explanation,
      expiresAt,
      roleId,
    });
    if (!offerId) return null;
    if (coverRequestId)
      this.outbox.add(
        tx,
        JobName.CoverWave,
        { coverRequestId },
        `${JobName.CoverWave}-${coverRequestId}-held-${offerId}-${wave}`,
      );
    this.outbox.add(tx, JobName.HeldSeatEmail, { offerId }, `${JobName.HeldSeatEmail}-${offerId}-${wave}`, sendAt);
    this.outbox.add(tx, JobName.OfferExpire, { offerId }, `${JobName.OfferExpire}-${offerId}-held-${wave}`, expiresAt);
    return offerId;
  }
}
