import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import * as sql from './sql/waitlist.sql.js';

export interface JoinState {
  status: string;
  capacity: number;
  filled: number;
  starts_at: Date;
  ends_at: Date;
  booking_status: string | null;
  held: boolean;
}

/** Every query of waitlists and held seats. Methods that take `tx` run in the caller's transaction. */
@Injectable()
export class WaitlistRepository {
  constructor(private readonly em: EntityManager) {}

  async joinState(tx: EntityManager, shiftId: string, volunteerId: string): Promise<JoinState | undefined> {
    const [row] = await tx.execute<JoinState[]>(sql.JOIN_STATE, [volunteerId, volunteerId, shiftId]);
    return row;
  }

  /** True when this call added the volunteer (false: they were waiting already). */
  async join(tx: EntityManager, shiftId: string, volunteerId: string, roleId: string): Promise<boolean> {
    return (await tx.execute(sql.JOIN, [shiftId, volunteerId, roleId])).length > 0;
  }

  async leave(em: EntityManager, shiftId: string, volunteerId: string): Promise<boolean> {
    return (await em.execute(sql.LEAVE, [shiftId, volunteerId])).length > 0;
  }

  async position(em: EntityManager, shiftId: string, volunteerId: string): Promise<number | null> {
    const [row] = await em.execute<{ position: number }[]>(sql.POSITION, [volunteerId, shiftId]);
    return row && row.position > 0 ? row.position : null;
  }

  mine(volunteerId: string) {
    return this.em.fork().execute<
      {
        shift_id: string;
        title: string;
        starts_at: Date;
        ends_at: Date;
        organisation_name: string;
        position: number;
      }[]
    >(sql.MINE, [volunteerId, volunteerId]);
  }

  async shiftForVolunteer(shiftId: string, volunteerId: string) {
    const [row] = await this.em.fork().execute<
      {
        id: string;
        title: string;
        starts_at: Date;
        ends_at: Date;
        status: string;
        capacity: number;
        filled: number;
        organisation_name: string;
        time_zone: string;
      }[]
    >(sql.SHIFT_FOR_VOLUNTEER, [volunteerId, shiftId]);
    return row;
  }

  async hasQueue(shiftId: string): Promise<boolean> {
    const [row] = await this.em.fork().execute<{ waiting: boolean }[]>(sql.HAS_QUEUE, [shiftId]);
    return row.waiting;
  }

  queue(em: EntityManager, shiftId: string) {
    return em.execute<{ volunteer_id: string; name: string; joined_at: Date; role_id: string }[]>(sql.QUEUE, [shiftId]);
  }

  async armHeldOffer(
    tx: EntityManager,
    offer: {
      shiftId: string;
      volunteerId: string;
      wave: number;
      score: number;
      explanation: string;
      expiresAt: Date;
      roleId: string;
    },
  ): Promise<string | null> {
    const [row] = await tx.execute<{ id: string }[]>(sql.ARM_HELD_OFFER, [
      offer.shiftId,
      offer.volunteerId,
      offer.wave,
      offer.score,
      offer.explanation,
      offer.expiresAt,
      offer.roleId,
    ]);
    return row ? String(row.id) : null;
  }

  async pendingCoverRequest(tx: EntityManager, shiftId: string, volunteerId: string): Promise<string | null> {
    const [row] = await tx.execute<{ cover_request_id: string }[]>(sql.PENDING_COVER_REQUEST, [shiftId, volunteerId]);
    return row ? String(row.cover_request_id) : null;
  }

  async heldOffer(em: EntityManager, offerId: string) {
    const [row] = await em.execute<{ id: string; expires_at: Date; volunteer_id: string }[]>(sql.HELD_OFFER, [offerId]);
    return row;
  }

  async markSent(em: EntityManager, offerId: string): Promise<void> {
    await em.execute(sql.MARK_SENT, [offerId]);
  }
}
