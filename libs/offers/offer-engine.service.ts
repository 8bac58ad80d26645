import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig, JobName, OutboxService, recordOfferOutcome } from '../platform/index.js';
import { isoWeekBounds, nextSendTime, offerExpiry, reminderTimes } from '../common/index.js';
import { MatchingService } from '../matching/index.js';
import { waveSize } from './core/offer-rules.js';
import type { CandidateFacts } from './offers.rows.js';
import { OffersRepository } from './offers.repository.js';
import { WaitlistService } from './waitlist.service.js';
import { queueNextAsk } from './next-ask.js';

/** How many candidates to ask matching for, per offer we want to send (some fail the offer caps). */
const CANDIDATE_HEADROOM = 3;
/** At most this many candidates per wave: the largest wave (capacity 500 × fan-out 2) fits with headroom. */
const MAX_CANDIDATES = 1500;

/**
 * Turns matches into offers in waves. Runs in the worker, triggered through the outbox whenever a
 * shift is published or a slot frees up (decline, expiry, cancelled booking).
 */
@Injectable()
export class OfferEngine {
  private readonly logger = new Logger('offers');

  constructor(
    private readonly em: EntityManager,
    private readonly repo: OffersRepository,
    private readonly matching: MatchingService,
    private readonly outbox: OutboxService,
    private readonly waitlist: WaitlistService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sends the next wave for a shift, after holding any free seat for its waitlist. The shift row is locked while the offers are written, so two
   * waves for the same shift write one after the other and the second sees the first one's offers.
   *
   * Candidates are chosen BEFORE that lock is taken: matching runs its own read-only transaction on
   * a connection of its own, and a wave holding its locked transaction's connection while waiting
   * for a second one deadlocks the pool once WORKER_CONCURRENCY waves do so at the same time. A
   * concurrent wave may have offered some of them meanwhile (the insert skips those), so there are
   * spare candidates and the wave keeps going down the list until it has written `size` offers.
   */
  async runWave(shiftId: string): Promise<{ sent: number }> {
    // A freed seat goes to the waitlist first: held seats count as filled, so the wave offers none of them.
    await this.waitlist.promote(shiftId);
    // Each role's open seats get offers of their own, from matches for that role (ADR 0029).
    let sent = 0;
    for (const role of await this.repo.waveRoles(this.em.fork(), shiftId))
      sent += (await this.runRoleWave(shiftId, role.id)).sent;
    return { sent };
  }

  private async runRoleWave(shiftId: string, roleId: string): Promise<{ sent: number }> {
    const before = await this.waveState(this.em.fork(), shiftId, false, roleId);
    if (!before || before.size === 0) return { sent: 0 };
    const candidates = await this.chooseCandidates(this.em.fork(), shiftId, before.size, roleId);
    const result = await this.em.fork().transactional(async (tx): Promise<{ sent: number }> => {
      const state = await this.waveState(tx, shiftId, true, roleId);
      if (!state || state.size === 0) return { sent: 0 };
      const { shift, pending, size } = state;
      const wave = state.lastWave + 1;
      if (candidates.length === 0) {
        if (pending === 0) {
          this.outbox.add(
            tx,
            JobName.NoCandidatesEmail,
            { shiftId, wave },
            `${JobName.NoCandidatesEmail}-${shiftId}-${wave}`,
          );
          await tx.flush();
        }
        return { sent: 0 };
      }
      const startsAt = new Date(shift.starts_at);
      let sent = 0;
      let next = 0;
      // One multi-row insert for the wave; only when a concurrent wave took some of these
      // volunteers (the insert skips them) does it go on down the list for the missing ones.
      while (sent < size && next < candidates.length) {
        const batch = candidates.slice(next, next + (size - sent)).map(({ match, facts }) => {
          const quiet = { start: facts.quiet_hours_start.slice(0, 5), end: facts.quiet_hours_end.slice(0, 5) };
          // An offer due at night goes out in the morning, unless the shift would be missed by then.
          const sendAt = nextSendTime(new Date(), facts.time_zone, quiet, new Date(startsAt.getTime() - 2 * 3600_000));
          const expiresAt = offerExpiry(sendAt, startsAt, {
            defaultHours: this.config.OFFER_EXPIRY_HOURS,
            minMinutes: this.config.OFFER_MIN_EXPIRY_MINUTES,
          });
          return {
            volunteer_id: match.volunteerId,
            score: match.score.total,
            explanation: match.explanation,
            expires_at: expiresAt.toISOString(),
            sendAt,
            expiresAt,
          };
        });
        next += batch.length;
        const inserted = await this.repo.insertOffers(
          tx,
          shiftId,
          wave,
          batch.map(({ sendAt: _s, expiresAt: _e, ...row }) => row),
          roleId,
        );
        const offerOf = new Map(inserted.map((row) => [String(row.volunteer_id), String(row.id)]));
        for (const { volunteer_id, sendAt, expiresAt } of batch) {
          const offerId = offerOf.get(volunteer_id);
          if (!offerId) continue;
          this.outbox.add(tx, JobName.OfferEmail, { offerId }, `${JobName.OfferEmail}-${offerId}`, sendAt);
          this.outbox.add(tx, JobName.OfferExpire, { offerId }, `${JobName.OfferExpire}-${offerId}`, expiresAt);
        }
        sent += inserted.length;
      }
      await tx.flush();
      this.logger.log({ shiftId, roleId, wave, sent }, 'offer wave');
      return { sent };
    });
    recordOfferOutcome('created', result.sent);
    return result;
  }

  /**
   * The shift (locked with `lock`), the role's pending offers and the size of its next wave; null
   * when it takes no offers. A one-role shift's role has the shift's seats, so its waves are as before.
   */
  private async waveState(em: EntityManager, shiftId: string, lock: boolean, roleId: string) {
    const shift = await this.repo.waveShift(em, shiftId, lock);
    if (!shift || shift.status !== 'open' || new Date(shift.starts_at).getTime() <= Date.now()) return null;
    const role = (await this.repo.waveRoles(em, shiftId)).find((r) => r.id === roleId);
    if (!role) return null;
    const { pending, last_wave } = await this.repo.roleWaveCounts(em, shiftId, roleId);
    const size = waveSize({
      capacity: role.capacity,
      filled: role.filled,
      pending,
      fanout: this.config.OFFER_FANOUT,
    });
    return { shift, pending: pending as number, lastWave: last_wave as number, size };
  }

  /**
   * Best matches that also respect each volunteer's weekly offer cap and decline cool-down, best
   * first: up to CANDIDATE_HEADROOM per offer wanted, so offers a concurrent wave just made can be
   * skipped.
   */
  private async chooseCandidates(em: EntityManager, shiftId: string, size: number, roleId: string) {
    const { matches } = await this.matching.findMatchesForShift(shiftId, {
      limit: Math.min(MAX_CANDIDATES, size * CANDIDATE_HEADROOM),
      counts: false,
      roleId,
    });
    if (matches.length === 0) return [];
    const facts = await this.repo.candidateFacts(
      em,
      matches.map((m) => m.volunteerId),
    );
    const byId = new Map(facts.map((f) => [f.account_id, f]));
    const now = new Date();
    const cooldownMs = this.config.OFFER_DECLINE_COOLDOWN_HOURS * 3600_000;
    // The current week in each zone, computed once per zone rather than once per candidate.
    const weeks = new Map<string, ReturnType<typeof isoWeekBounds>>();
    const weekIn = (zone: string) => weeks.get(zone) ?? weeks.set(zone, isoWeekBounds(now, zone)).get(zone)!;
    return matches
      .map((match) => ({ match, facts: byId.get(match.volunteerId) }))
      .filter((c): c is { match: (typeof matches)[number]; facts: CandidateFacts } => Boolean(c.facts))
      .filter(({ facts: f }) => !f.last_decline || now.getTime() - new Date(f.last_decline).getTime() >= cooldownMs)
      .filter(({ facts: f }) => {
        const week = weekIn(f.time_zone);
        const thisWeek = f.recent_offer_times.filter((t) => new Date(t) >= week.start && new Date(t) < week.end).length;
        return thisWeek < this.config.OFFER_WEEKLY_CAP;
      });
  }

  /** Expires one offer if it is still pending past its deadline, and lets the next candidates in. */
  async expire(offerId: string): Promise<boolean> {
    return this.em
      .fork()
      .transactional(async (tx) => {
        const rows = await this.repo.expireOffer(tx, offerId);
        for (const row of rows) queueNextAsk(this.outbox, tx, { id: offerId, ...row }, 'expired');
        await tx.flush();
        return rows.length > 0;
      })
      .then((expired) => {
        if (expired) recordOfferOutcome('expired');
        return expired;
      });
  }

  /** Expires everything overdue (what a late or lost delayed job missed). */
  async sweep(): Promise<number> {
    return this.em
      .fork()
      .transactional(async (tx) => {
        const rows = await this.repo.expireOverdue(tx);
        for (const row of rows) queueNextAsk(this.outbox, tx, row, 'expired');
        await tx.flush();
        return rows.length;
      })
      .then((expired) => {
        recordOfferOutcome('expired', expired);
        return expired;
      });
  }

  /** Reminder outbox rows for a new booking, moved out of the volunteer's quiet hours. */
  scheduleReminders(
    tx: EntityManager,
    booking: { id: string; startsAt: Date; zone: string; quiet: { start: string; end: string } },
  ): void {
    const offsets = this.config.REMINDER_OFFSETS_MINUTES.split(',').map(Number);
    for (const [index, at] of reminderTimes(
      booking.startsAt,
      offsets,
      new Date(),
      booking.zone,
      booking.quiet,
    ).entries()) {
      const minutesBefore = Math.round((booking.startsAt.getTime() - at.getTime()) / 60_000);
      this.outbox.add(
        tx,
        JobName.BookingReminderEmail,
        { bookingId: booking.id, minutesBefore },
        `${JobName.BookingReminderEmail}-${booking.id}-${index}`,
        at,
      );
    }
  }
}
