import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import * as sql from './sql/cover.sql.js';
import { contextSql } from './sql/mail.sql.js';
import type { MailContext, NoCandidatesRow } from './offers.rows.js';

export interface CoverRequestRow {
  id: string;
  booking_id: string;
  shift_id: string;
  volunteer_id: string;
  status: 'open' | 'covered' | 'released' | 'withdrawn';
  deadline: Date;
  overdue?: boolean;
  /** The asker's booking's role: cover is matched and offered for it. */
  role_id: string | null;
}

export interface ResolvedRequestRow {
  id: string;
  status: 'covered' | 'released';
  booking_id: string;
  shift_id: string;
  asker_name: string;
  taker_name: string | null;
}

/** Every query of cover requests and cover offers. Methods that take `tx` run in the caller's transaction. */
@Injectable()
export class CoverRepository {
  constructor(private readonly em: EntityManager) {}

  fork(): EntityManager {
    return this.em.fork();
  }

  async ownBooking(em: EntityManager, volunteerId: string, bookingId: string) {
    const [row] = await em.execute<
      { id: string; status: string; shift_id: string; starts_at: Date; shift_status: string }[]
    >(sql.OWN_BOOKING_FOR_COVER, [bookingId, volunteerId]);
    return row;
  }

  async openRequestOf(em: EntityManager, bookingId: string) {
    const [row] = await em.execute<{ id: string; deadline: Date }[]>(sql.OPEN_REQUEST_OF_BOOKING, [bookingId]);
    return row;
  }

  async insertRequest(
    tx: EntityManager,
    r: { bookingId: string; shiftId: string; volunteerId: string; deadline: Date },
  ): Promise<string | null> {
    const [row] = await tx.execute<{ id: string }[]>(sql.INSERT_REQUEST, [
      r.bookingId,
      r.shiftId,
      r.volunteerId,
      r.deadline,
    ]);
    return row ? String(row.id) : null;
  }

  async request(em: EntityManager, id: string): Promise<CoverRequestRow | undefined> {
    const [row] = await em.execute<CoverRequestRow[]>(sql.REQUEST, [id]);
    return row;
  }

  async lockRequest(tx: EntityManager, id: string): Promise<CoverRequestRow | undefined> {
    const [row] = await tx.execute<CoverRequestRow[]>(sql.LOCK_REQUEST, [id]);
    return row;
  }

  async resolve(
    tx: EntityManager,
    id: string,
    status: 'covered' | 'released' | 'withdrawn',
    coveredBy: string | null = null,
  ): Promise<boolean> {
    return (await tx.execute(sql.RESOLVE_REQUEST, [status, coveredBy, id])).length > 0;
  }

  withdrawCoverOffers(tx: EntityManager, requestId: string) {
    return tx.execute<{ id: string; sent: boolean }[]>(sql.WITHDRAW_COVER_OFFERS, [requestId]);
  }

  async pendingCoverOffers(tx: EntityManager, requestId: string): Promise<number> {
    const [row] = await tx.execute<{ pending: number }[]>(sql.PENDING_COVER_OFFERS, [requestId]);
    return row.pending;
  }

  async alreadyAsked(tx: EntityManager, requestId: string, shiftId: string): Promise<Set<string>> {
    const rows = await tx.execute<{ volunteer_id: string }[]>(sql.ALREADY_ASKED, [requestId, shiftId]);
    return new Set(rows.map((r) => String(r.volunteer_id)));
  }

  async armCoverOffer(
    tx: EntityManager,
    o: {
      shiftId: string;
      volunteerId: string;
      wave: number;
      score: number;
      explanation: string;
      expiresAt: Date;
      requestId: string;
      roleId: string | null;
    },
  ): Promise<string | null> {
    const [row] = await tx.execute<{ id: string }[]>(sql.ARM_COVER_OFFER, [
      o.shiftId,
      o.volunteerId,
      o.wave,
      o.score,
      o.explanation,
      o.expiresAt,
      o.requestId,
      o.roleId,
    ]);
    return row ? String(row.id) : null;
  }

  /** Withdraws the offer if still pending; true when this call did. */
  async withdrawIfPending(tx: EntityManager, offerId: string): Promise<boolean> {
    return (await tx.execute(sql.WITHDRAW_IF_PENDING, [offerId])).length > 0;
  }

  async offerStatus(tx: EntityManager, offerId: string): Promise<string | null> {
    const [row] = await tx.execute<{ status: string }[]>(sql.OFFER_STATUS, [offerId]);
    return row?.status ?? null;
  }

  async coverRequestOfOffer(tx: EntityManager, offerId: string): Promise<string | null> {
    const [row] = await tx.execute<{ cover_request_id: string | null }[]>(sql.COVER_REQUEST_OF_OFFER, [offerId]);
    return row?.cover_request_id ? String(row.cover_request_id) : null;
  }

  async cancelAskersBooking(tx: EntityManager, bookingId: string, reason: string): Promise<boolean> {
    return (await tx.execute(sql.CANCEL_ASKERS_BOOKING, [reason, bookingId])).length > 0;
  }

  async recordSwap(tx: EntityManager, shiftId: string, fromBookingId: string, toBookingId: string): Promise<void> {
    await tx.execute(sql.INSERT_COVERED_CHANGE, [shiftId, JSON.stringify({ fromBookingId, toBookingId })]);
  }

  async overdueRequests(): Promise<string[]> {
    return (await this.em.fork().execute<{ id: string }[]>(sql.OVERDUE_REQUESTS)).map((r) => String(r.id));
  }

  async volunteerName(tx: EntityManager, volunteerId: string): Promise<string> {
    const [row] = await tx.execute<{ name: string }[]>(sql.VOLUNTEER_NAME, [volunteerId]);
    return row?.name ?? '';
  }

  async withdrawRequestOfBooking(tx: EntityManager, bookingId: string): Promise<void> {
    await tx.execute(sql.WITHDRAW_REQUEST_OF_BOOKING, [bookingId]);
  }

  async bookingShift(tx: EntityManager, volunteerId: string, bookingId: string): Promise<string | null> {
    const [row] = await tx.execute<{ shift_id: string }[]>(sql.BOOKING_SHIFT, [bookingId, volunteerId]);
    return row ? String(row.shift_id) : null;
  }

  // Emails (on the delivery's fork).

  async coverOffer(em: EntityManager, offerId: string) {
    const [row] = await em.execute<{ id: string; expires_at: Date }[]>(sql.COVER_OFFER, [offerId]);
    return row;
  }

  async coverOfferContext(em: EntityManager, offerId: string) {
    const [row] = await em.execute<(MailContext & { asker_name: string })[]>(
      sql.COVER_OFFER_CONTEXT(contextSql().replace('select ', 'select asker.name as asker_name, ')),
      [offerId],
    );
    return row ?? null;
  }

  async resolvedRequest(em: EntityManager, requestId: string): Promise<ResolvedRequestRow | null> {
    const [row] = await em.execute<ResolvedRequestRow[]>(sql.RESOLVED_REQUEST, [requestId]);
    return row ?? null;
  }

  async coordinatorContext(em: EntityManager, shiftId: string) {
    const [row] = await em.execute<Omit<NoCandidatesRow, 'filled' | 'capacity'>[]>(sql.COORDINATOR_CONTEXT, [shiftId]);
    return row ?? null;
  }

  // Read models.

  rosterOpenRequests(shiftId: string) {
    return this.em
      .fork()
      .execute<
        { id: string; booking_id: string; volunteer_id: string; name: string; deadline: Date; created_at: Date }[]
      >(sql.ROSTER_OPEN_REQUESTS, [shiftId]);
  }

  rosterSwaps(shiftId: string) {
    return this.em.fork().execute<
      {
        created_at: Date;
        from_booking_id: string;
        to_booking_id: string;
        from_name: string;
        to_name: string;
        at_local: string;
      }[]
    >(sql.ROSTER_SWAPS, [shiftId]);
  }

  myOpenRequests(volunteerId: string) {
    return this.em
      .fork()
      .execute<{ id: string; booking_id: string; shift_id: string; deadline: Date }[]>(sql.MY_OPEN_REQUESTS, [
        volunteerId,
      ]);
  }
}
