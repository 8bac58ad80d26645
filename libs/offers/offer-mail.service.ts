import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  DeliveryLogService,
  type DeliveryKey,
  MailDatabase,
  type StatementBatcher,
  recordPublishToFirstOffer,
} from '../platform/index.js';
import { generateToken, hashToken } from '../common/index.js';
import { OfferMailComposer } from './offer-mail.composer.js';
import type { OfferEmailContext, PreparedOffer, PrepareInput } from './offers.rows.js';
import { OffersRepository } from './offers.repository.js';
import { RosterMessagesRepository } from './roster-messages.repository.js';
import { WaitlistRepository } from './waitlist.repository.js';
import { IdentityService } from '../identity/index.js';
import { RECIPIENT_STATUSES } from './sql/roster-messages.sql.js';

/**
 * Every offer and booking email, each sent at most once through the delivery log: read what the
 * mail says (OffersRepository), build it (OfferMailComposer), send it (DeliveryLogService).
 */
@Injectable()
export class OfferMailService {
  private readonly prepares: StatementBatcher<PrepareInput, PreparedOffer>;

  constructor(
    private readonly repo: OffersRepository,
    private readonly rosterMessages: RosterMessagesRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly identity: IdentityService,
    private readonly composer: OfferMailComposer,
    private readonly deliveries: DeliveryLogService,
    private readonly db: MailDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.prepares = db.batched((inputs) => this.repo.prepareOfferEmails(this.db, inputs));
  }

  async offer(offerId: string): Promise<'sent' | 'skipped'> {
    const key: DeliveryKey = { kind: 'offer', subjectId: offerId };
    const prepared = await this.prepareOfferEmail(key);
    if (!prepared) return 'skipped';
    const mail = await this.deliveries.releaseOnError(prepared.deliveryId, async () =>
      this.composer.offer(offerId, prepared),
    );
    await this.deliveries.deliver(prepared.deliveryId, key, mail);
    if (prepared.context.maybe_first) await this.observeFirstOffer(offerId);
    return 'sent';
  }

  /**
   * Claims the offer email and stores its link tokens — what IdentityService.issueLinkToken does
   * per token: random, stored as a keyed hash, committed before anyone can click — and reads what
   * the email says, in one call of offer_email_prepare (migration DeliveryClaims20261127), group-
   * committed with the offer emails prepared at the same time (see `prepares`).
   * Null when nothing is to be sent: answered, withdrawn or expired meanwhile, or already sent.
   * Tokens of an attempt that then fails are never seen by anyone.
   */
  private async prepareOfferEmail(key: DeliveryKey) {
    const answerToken = generateToken();
    const unsubscribeToken = generateToken();
    const prepared = await this.prepares.submit({
      offerId: key.subjectId,
      claimant: this.deliveries.claimant(),
      answerHash: hashToken(answerToken, this.config.SESSION_SECRET),
      unsubscribeHash: hashToken(unsubscribeToken, this.config.SESSION_SECRET),
    });
    if (!prepared.due) {
      this.deliveries.refuseIfInProgress(key, prepared.status);
      return null;
    }
    return {
      deliveryId: String(prepared.delivery_id),
      context: prepared as OfferEmailContext,
      answerToken,
      unsubscribeToken,
    };
  }

  /**
   * Publish → first offer delivered, observed once per shift: checked once this offer is marked
   * sent, and only for the offer email of its shift that was claimed first (migration
   * OfferFirstClaim20261129); recorded unless another offer of the shift was sent before it (sent
   * in the same group-committed mark is a tie, and counts as first).
   */
  private async observeFirstOffer(offerId: string): Promise<void> {
    const row = await this.repo.firstOfferSeconds(this.db, offerId);
    if (row) recordPublishToFirstOffer(row.seconds);
  }

  /**
   * The held seat's email, once per hold (a volunteer held a seat twice on one shift gets both):
   * keyed by the offer and its deadline. Its answer link is an offer link, valid until the deadline.
   */
  async heldSeat(offerId: string): Promise<'sent' | 'skipped'> {
    const held = await this.waitlist.heldOffer(this.repo.fork(), offerId);
    if (!held) return 'skipped';
    const expiresAt = new Date(held.expires_at);
    return this.deliveries.sendOnce(
      { kind: 'held-seat', subjectId: `${offerId}:${expiresAt.getTime()}` },
      async (em) => {
        const ctx = await this.repo.heldSeatContext(em, offerId);
        if (!ctx) return null;
        const ttl = Math.max(60, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
        const token = await this.identity.issueLinkToken(ctx.volunteer_id, 'offer_response', ttl, offerId);
        return this.composer.heldSeat(ctx, token, expiresAt);
      },
      { onSent: (em) => this.waitlist.markSent(em, offerId) },
    );
  }

  /** Only people who actually received the offer hear that it filled. */
  offerWithdrawn(offerId: string) {
    return this.deliveries.sendOnce({ kind: 'offer-withdrawn', subjectId: offerId }, async (em) => {
      const ctx = await this.repo.withdrawnOfferContext(em, offerId);
      if (!ctx) return null;
      return this.composer.offerWithdrawn(offerId, ctx);
    });
  }

  bookingConfirmed(bookingId: string) {
    return this.deliveries.sendOnce({ kind: 'booking-confirmed', subjectId: bookingId }, async (em) => {
      const ctx = await this.repo.bookingContext(em, bookingId, ['confirmed']);
      if (!ctx) return null;
      return this.composer.bookingConfirmed(bookingId, ctx);
    });
  }

  bookingReminder(bookingId: string, minutesBefore: number) {
    return this.deliveries.sendOnce(
      { kind: 'booking-reminder', subjectId: `${bookingId}:${minutesBefore}` },
      async (em) => {
        const ctx = await this.repo.bookingContext(em, bookingId, ['confirmed']);
        if (!ctx || new Date(ctx.starts_at).getTime() <= Date.now()) return null;
        return this.composer.bookingReminder(ctx);
      },
    );
  }

  bookingCancelled(bookingId: string) {
    return this.deliveries.sendOnce({ kind: 'booking-cancelled', subjectId: bookingId }, async (em) => {
      const ctx = await this.repo.bookingContext(em, bookingId, ['cancelled']);
      if (!ctx) return null;
      return this.composer.bookingCancelled(bookingId, ctx);
    });
  }

  /** One email per affected booking, each with an iCalendar update (REQUEST, higher SEQUENCE) or CANCEL. */
  async shiftChanged(shiftId: string, changeId: string): Promise<{ sent: number }> {
    const change = await this.repo.shiftChange(shiftId, changeId);
    if (!change) return { sent: 0 };
    const cancelled = change.kind === 'cancelled';
    const bookingIds: string[] = cancelled
      ? (change.changes.bookingIds ?? [])
      : await this.repo.confirmedBookingIds(shiftId);
    let sent = 0;
    for (const bookingId of bookingIds) {
      const outcome = await this.deliveries.sendOnce(
        { kind: 'shift-change', subjectId: `${changeId}:${bookingId}` },
        async (em) => {
          const ctx = await this.repo.bookingContext(em, bookingId, cancelled ? ['cancelled'] : ['confirmed']);
          if (!ctx) return null;
          return this.composer.shiftChange(bookingId, ctx, change);
        },
      );
      if (outcome === 'sent') sent += 1;
    }
    return { sent };
  }

  /**
   * A roster message, one email per recipient written with it, each sent once (a retried job
   * skips those already sent); someone who cancelled since is not written to.
   */
  async rosterMessage(messageId: string): Promise<{ sent: number }> {
    const found = await this.rosterMessages.forMail(messageId);
    if (!found) return { sent: 0 };
    let sent = 0;
    for (const bookingId of found.bookingIds) {
      const outcome = await this.deliveries.sendOnce(
        { kind: 'roster-message', subjectId: `${messageId}:${bookingId}` },
        async (em) => {
          const ctx = await this.repo.bookingContext(em, bookingId, RECIPIENT_STATUSES);
          return ctx ? this.composer.rosterMessage(ctx, found.message) : null;
        },
      );
      if (outcome === 'sent') sent += 1;
    }
    return { sent };
  }

  noCandidates(shiftId: string, wave: number) {
    return this.deliveries.sendOnce({ kind: 'no-candidates', subjectId: shiftId }, async (em) => {
      const row = await this.repo.noCandidatesContext(em, shiftId);
      if (!row) return null;
      return this.composer.noCandidates(row, wave);
    });
  }
}
