import { Injectable } from '@nestjs/common';
import { DeliveryLogService } from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import { CoverRepository } from './cover.repository.js';
import { OfferMailComposer } from './offer-mail.composer.js';
import { OffersRepository } from './offers.repository.js';
import { WaitlistRepository } from './waitlist.repository.js';

/** The emails of "find someone to cover me", each sent at most once through the delivery log. */
@Injectable()
export class CoverMailService {
  constructor(
    private readonly repo: CoverRepository,
    private readonly offers: OffersRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly identity: IdentityService,
    private readonly composer: OfferMailComposer,
    private readonly deliveries: DeliveryLogService,
  ) {}

  /**
   * A cover offer, once per arming (keyed by the offer and its deadline): its answer link is an
   * ordinary offer link, valid until the offer's deadline.
   */
  async coverOffer(offerId: string): Promise<'sent' | 'skipped'> {
    const offer = await this.repo.coverOffer(this.repo.fork(), offerId);
    if (!offer) return 'skipped';
    const expiresAt = new Date(offer.expires_at);
    return this.deliveries.sendOnce(
      { kind: 'cover-offer', subjectId: `${offerId}:${expiresAt.getTime()}` },
      async (em) => {
        const ctx = await this.repo.coverOfferContext(em, offerId);
        if (!ctx) return null;
        const ttl = Math.max(60, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
        const token = await this.identity.issueLinkToken(ctx.volunteer_id, 'offer_response', ttl, offerId);
        return this.composer.coverOffer(ctx, ctx.asker_name, token, expiresAt);
      },
      { onSent: (em) => this.waitlist.markSent(em, offerId) },
    );
  }

  /** A covered or released request: the asker hears they are free, the coordinator what happened. */
  async coverResolved(coverRequestId: string): Promise<{ sent: number }> {
    const request = await this.repo.resolvedRequest(this.repo.fork(), coverRequestId);
    if (!request) return { sent: 0 };
    const taker = request.status === 'covered' ? request.taker_name : null;
    const asker = await this.deliveries.sendOnce({ kind: 'cover-asker', subjectId: coverRequestId }, async (em) => {
      const ctx = await this.offers.bookingContext(em, request.booking_id, ['cancelled']);
      return ctx ? this.composer.coverAsker(request.booking_id, ctx, taker) : null;
    });
    const coordinator = await this.deliveries.sendOnce(
      { kind: 'cover-coordinator', subjectId: coverRequestId },
      async (em) => {
        const row = await this.repo.coordinatorContext(em, request.shift_id);
        return row ? this.composer.coverCoordinator(row, request.asker_name, taker) : null;
      },
    );
    return { sent: [asker, coordinator].filter((o) => o === 'sent').length };
  }
}
