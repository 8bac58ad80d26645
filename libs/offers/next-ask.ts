import type { EntityManager } from '@mikro-orm/postgresql';
import { JobName, type OutboxService } from '../platform/index.js';

/**
 * After an offer ended without a yes (declined or expired): the next wave of its shift, or, for a
 * cover offer, the next cover wave of its request. One place for both, so every way an offer ends
 * asks the next person the same way (and with the same deterministic job ids).
 */
export function queueNextAsk(
  outbox: OutboxService,
  tx: EntityManager,
  offer: { id: string; shift_id: string; cover_request_id: string | null },
  why: 'declined' | 'expired',
): void {
  if (offer.cover_request_id)
    outbox.add(
      tx,
      JobName.CoverWave,
      { coverRequestId: offer.cover_request_id },
      `${JobName.CoverWave}-${offer.cover_request_id}-${why}-${offer.id}`,
    );
  else
    outbox.add(
      tx,
      JobName.OfferWave,
      { shiftId: offer.shift_id },
      `${JobName.OfferWave}-${offer.shift_id}-${why}-${offer.id}`,
    );
}
