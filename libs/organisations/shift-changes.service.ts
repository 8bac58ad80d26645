import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { JobName, OutboxService } from '../platform/index.js';
import type { Shift, ShiftChange } from './organisation.entities.js';
import { OrganisationsRepository } from './organisations.repository.js';

/**
 * What a change to a shift writes besides the shift, in the caller's transaction: the change row,
 * and the outbox rows of what must follow (an offer wave, emails to the booked volunteers).
 * Shared by one-off shifts and series.
 */
@Injectable()
export class ShiftChangesService {
  constructor(
    private readonly repo: OrganisationsRepository,
    private readonly outbox: OutboxService,
  ) {}

  record(
    tx: EntityManager,
    shiftId: string,
    kind: ShiftChange['kind'],
    changes: Record<string, unknown>,
    actor: string | null,
  ): ShiftChange {
    return this.repo.newChange(tx, { shiftId, kind, changes, changedBy: actor });
  }

  /** Publishing opens a shift for offers: the first wave is queued with the change. */
  opened(tx: EntityManager, shiftId: string, actor: string | null): void {
    this.record(tx, shiftId, 'published', {}, actor);
    this.outbox.add(tx, JobName.OfferWave, { shiftId }, `${JobName.OfferWave}-${shiftId}-published`);
  }

  /** Queues the emails to booked volunteers about a change (the change row's id keys them). */
  async tellBooked(tx: EntityManager, shiftId: string, change: ShiftChange): Promise<void> {
    await this.repo.flush(tx); // assigns the change id
    this.outbox.add(
      tx,
      JobName.ShiftChanged,
      { shiftId, changeId: String(change.id) },
      `${JobName.ShiftChanged}-${change.id}`,
    );
  }

  /**
   * Cancels a shift: its bookings are cancelled and its pending offers withdrawn in the same
   * transaction, and the booked volunteers are told (with an iCalendar CANCEL) by the worker.
   */
  async markCancelled(tx: EntityManager, shift: Shift, actor: string | null, reason?: string): Promise<void> {
    Object.assign(shift, {
      status: 'cancelled',
      cancelledAt: new Date(),
      updatedAt: new Date(),
      sequence: shift.sequence + 1,
    });
    const bookingIds = await this.repo.cancelBookings(tx, shift.id);
    await this.repo.withdrawPendingOffers(tx, shift.id);
    const change = this.record(tx, shift.id, 'cancelled', { bookingIds, ...(reason ? { reason } : {}) }, actor);
    await this.tellBooked(tx, shift.id, change);
  }
}
