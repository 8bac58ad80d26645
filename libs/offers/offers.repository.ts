import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { CLAIM_SECONDS, pgArray, type MailDatabase } from '../platform/index.js';
import * as bookingSql from './sql/bookings.sql.js';
import * as mailSql from './sql/mail.sql.js';
import * as readSql from './sql/read-models.sql.js';
import * as waveSql from './sql/waves.sql.js';
import type {
  AcceptedRow,
  CalendarRow,
  CandidateFacts,
  LockedShift,
  MailContext,
  NewOfferRow,
  NoCandidatesRow,
  PreparedOffer,
  PrepareInput,
  Seat,
  ShiftChangeRow,
} from './offers.rows.js';

/** How long the unsubscribe link in an offer email works. */
const UNSUBSCRIBE_TTL_SECONDS = 180 * 24 * 3600;

/**
 * Every query of the offer pipeline (the SQL text is in ./sql). Methods that take `tx` or `em` run
 * in the caller's transaction or fork; the others read on a fork of their own. Mail statements run
 * on the worker's mail connections (`db`), which the api process does not have.
 */
@Injectable()
export class OffersRepository {
  constructor(private readonly em: EntityManager) {}

  /** A fork of its own, for callers that read outside a transaction. */
  fork(): EntityManager {
    return this.em.fork();
  }

  // Read models for volunteers, coordinators and the pages.

  myOffers(volunteerId: string) {
    return this.em.fork().execute(readSql.MY_OFFERS, [volunteerId]);
  }

  myBookings(volunteerId: string) {
    return this.em.fork().execute(readSql.MY_BOOKINGS, [volunteerId]);
  }

  async bookingSummary(bookingId: string) {
    const [row] = await this.em.fork().execute(readSql.BOOKING_SUMMARY, [bookingId]);
    return row;
  }

  async rosterShift(organisationId: string, shiftId: string) {
    const [shift] = await this.em.fork().execute(readSql.ROSTER_SHIFT, [shiftId, organisationId]);
    return shift;
  }

  rosterBookings(shiftId: string) {
    return this.em.fork().execute(readSql.ROSTER_BOOKINGS, [shiftId]);
  }

  rosterOffers(shiftId: string) {
    return this.em.fork().execute(readSql.ROSTER_OFFERS, [shiftId]);
  }

  async progress(organisationId: string, shiftId: string) {
    const [row] = await this.em
      .fork()
      .execute(readSql.PROGRESS, [readSql.NO_CANDIDATES_JOB_PREFIX, shiftId, organisationId]);
    return row;
  }

  async offerForLink(offerId: string | null, volunteerId: string): Promise<Record<string, any> | undefined> {
    const [offer] = await this.em.fork().execute(readSql.OFFER_FOR_LINK, [offerId, volunteerId]);
    return offer;
  }

  shiftFills(
    organisationId: string,
    shiftIds: string[],
  ): Promise<Array<{ id: string; offered: number; booked: number }>> {
    return this.em.fork().execute(readSql.SHIFT_FILLS, [organisationId, pgArray(shiftIds)]);
  }

  async shiftStarted(organisationId: string, shiftId: string) {
    const [shift] = await this.em.fork().execute(readSql.SHIFT_STARTED, [shiftId, organisationId]);
    return shift;
  }

  async calendarBooking(volunteerId: string, bookingId: string): Promise<CalendarRow | undefined> {
    const [row] = await this.em.fork().execute<CalendarRow[]>(readSql.CALENDAR_BOOKING, [bookingId, volunteerId]);
    return row;
  }

  async ownBooking(volunteerId: string, bookingId: string) {
    const [row] = await this.em.fork().execute(readSql.OWN_BOOKING, [bookingId, volunteerId]);
    return row;
  }

  // Waves and expiry (OfferEngine).

  async waveShift(em: EntityManager, shiftId: string, lock: boolean): Promise<LockedShift | undefined> {
    const [shift] = await em.execute<LockedShift[]>(waveSql.WAVE_SHIFT(lock), [shiftId]);
    return shift;
  }

  async waveCounts(em: EntityManager, shiftId: string): Promise<{ pending: number; last_wave: number }> {
    const [counts] = await em.execute<Array<{ pending: number; last_wave: number }>>(waveSql.WAVE_COUNTS, [shiftId]);
    return counts;
  }

  candidateFacts(em: EntityManager, volunteerIds: string[]): Promise<CandidateFacts[]> {
    return em.execute(waveSql.CANDIDATE_FACTS, [pgArray(volunteerIds)]);
  }

  /** One multi-row insert; offers a concurrent wave already made for these volunteers are skipped. */
  insertOffers(tx: EntityManager, shiftId: string, wave: number, rows: NewOfferRow[], roleId: string) {
    return tx.execute(waveSql.INSERT_OFFERS, [shiftId, wave, roleId, JSON.stringify(rows)]);
  }

  waveRoles(em: EntityManager, shiftId: string): Promise<Array<{ id: string; capacity: number; filled: number }>> {
    return em.execute(waveSql.WAVE_ROLES, [shiftId]);
  }

  async roleWaveCounts(em: EntityManager, shiftId: string, roleId: string) {
    const [counts] = await em.execute<Array<{ pending: number; last_wave: number }>>(waveSql.ROLE_WAVE_COUNTS, [
      roleId,
      shiftId,
    ]);
    return counts;
  }

  expireOffer(tx: EntityManager, offerId: string) {
    return tx.execute<Array<{ shift_id: string; cover_request_id: string | null }>>(waveSql.EXPIRE_OFFER, [offerId]);
  }

  expireOverdue(tx: EntityManager) {
    return tx.execute<Array<{ id: string; shift_id: string; cover_request_id: string | null }>>(waveSql.EXPIRE_OVERDUE);
  }

  // Answers and bookings (OfferResponsesService, BookingsService).

  async bookedWithOffer(offerId: string, volunteerId: string) {
    const [row] = await this.em.fork().execute(bookingSql.BOOKED_WITH_OFFER, [offerId, volunteerId]);
    return row;
  }

  async shiftOfOwnOffer(tx: EntityManager, offerId: string, volunteerId: string) {
    const [offer] = await tx.execute(bookingSql.SHIFT_OF_OWN_OFFER, [offerId, volunteerId]);
    return offer;
  }

  async lockShift(tx: EntityManager, shiftId: string): Promise<void> {
    await tx.execute(bookingSql.LOCK_SHIFT, [shiftId]);
  }

  async acceptOffer(tx: EntityManager, offerId: string): Promise<AcceptedRow | undefined> {
    const [offer] = await tx.execute<AcceptedRow[]>(bookingSql.ACCEPT_OFFER, [offerId]);
    return offer;
  }

  async withdrawOffer(tx: EntityManager, offerId: string): Promise<void> {
    await tx.execute(bookingSql.WITHDRAW_OFFER, [offerId]);
  }

  async overlappingBooking(tx: EntityManager, volunteerId: string, period: string) {
    const [overlap] = await tx.execute(bookingSql.OVERLAPPING_BOOKING, [volunteerId, period]);
    return overlap;
  }

  async giveSeatBack(tx: EntityManager, shiftId: string, roleId: string): Promise<void> {
    await tx.execute(bookingSql.GIVE_SEAT_BACK, [shiftId, roleId]);
  }

  async declineOffer(tx: EntityManager, offerId: string) {
    const [offer] = await tx.execute<{ shift_id: string; cover_request_id: string | null }[]>(
      bookingSql.DECLINE_OFFER,
      [offerId],
    );
    return offer;
  }

  async offerState(tx: EntityManager, offerId: string) {
    const [row] = await tx.execute(bookingSql.OFFER_STATE, [offerId]);
    return row;
  }

  withdrawPendingOffers(tx: EntityManager, shiftId: string) {
    return tx.execute(bookingSql.WITHDRAW_PENDING_OFFERS, [shiftId]);
  }

  async lockShiftForBooking(tx: EntityManager, shiftId: string) {
    const [shift] = await tx.execute(bookingSql.LOCK_SHIFT_FOR_BOOKING, [shiftId]);
    return shift;
  }

  async lockVolunteer(tx: EntityManager, volunteerId: string): Promise<void> {
    await tx.execute(bookingSql.LOCK_VOLUNTEER, [volunteerId]);
  }

  async bookingOf(tx: EntityManager, shiftId: string, volunteerId: string) {
    const [existing] = await tx.execute(bookingSql.BOOKING_OF, [shiftId, volunteerId]);
    return existing;
  }

  async withdrawOwnPendingOffer(tx: EntityManager, shiftId: string, volunteerId: string): Promise<void> {
    await tx.execute(bookingSql.WITHDRAW_OWN_PENDING_OFFER, [shiftId, volunteerId]);
  }

  /** A seat already counted for `roleId` (a held seat, or the booked seat a cover hand-over passes on). */
  async heldSeat(tx: EntityManager, shiftId: string, roleId: string): Promise<Seat | undefined> {
    const [seat] = await tx.execute<Seat[]>(bookingSql.HELD_SEAT, [roleId, shiftId]);
    return seat;
  }

  async bookingRole(tx: EntityManager, bookingId: string): Promise<string> {
    const [row] = await tx.execute<{ role_id: string }[]>(bookingSql.BOOKING_ROLE, [bookingId]);
    return row.role_id;
  }

  withdrawRolePendingOffers(tx: EntityManager, shiftId: string, roleId: string) {
    return tx.execute(bookingSql.WITHDRAW_ROLE_PENDING_OFFERS, [shiftId, roleId]);
  }

  /** A seat of `roleId` (null: the first role with one free); the shift row is locked first (ADR 0029). */
  async takeSeat(tx: EntityManager, shiftId: string, roleId: string | null = null): Promise<Seat | undefined> {
    await tx.execute(bookingSql.LOCK_SHIFT, [shiftId]);
    const [shift] = await tx.execute<Seat[]>(bookingSql.TAKE_SEAT, [shiftId, roleId, roleId, shiftId]);
    return shift;
  }

  async insertBooking(
    tx: EntityManager,
    who: { shiftId: string; volunteerId: string; offerId: string | null; roleId?: string | null },
    period: string,
  ) {
    const [booking] = await tx.execute(bookingSql.INSERT_BOOKING, [
      who.shiftId,
      who.volunteerId,
      who.offerId,
      period,
      who.roleId ?? null,
    ]);
    return booking;
  }

  async takeWalkInSeat(tx: EntityManager, shiftId: string): Promise<Seat | undefined> {
    await tx.execute(bookingSql.LOCK_SHIFT, [shiftId]);
    const [shift] = await tx.execute<Seat[]>(bookingSql.TAKE_WALK_IN_SEAT, [shiftId, null, null, shiftId]);
    return shift;
  }

  async attendByArrival(tx: EntityManager, bookingId: string, replaces: string[]): Promise<boolean> {
    const rows = await tx.execute(bookingSql.ATTEND_BY_ARRIVAL, [bookingId, pgArray(replaces)]);
    return rows.length > 0;
  }

  markNoShows(tx: EntityManager, bookingIds: string[]): Promise<Array<{ id: string }>> {
    return tx.execute(bookingSql.MARK_NO_SHOWS, [pgArray(bookingIds)]);
  }

  async quietHours(tx: EntityManager, volunteerId: string) {
    const [volunteer] = await tx.execute(bookingSql.QUIET_HOURS, [volunteerId]);
    return volunteer;
  }

  async cancelBooking(
    tx: EntityManager,
    volunteerId: string,
    bookingId: string,
    reason: string | null,
    lateWithinHours: number,
  ) {
    const [booking] = await tx.execute(bookingSql.CANCEL_BOOKING, [reason, lateWithinHours, bookingId, volunteerId]);
    return booking;
  }

  async bookingStatus(tx: EntityManager, volunteerId: string, bookingId: string) {
    const [exists] = await tx.execute(bookingSql.BOOKING_STATUS, [bookingId, volunteerId]);
    return exists;
  }

  async releaseSeat(tx: EntityManager, shiftId: string, roleId: string): Promise<void> {
    await tx.execute(bookingSql.RELEASE_SEAT, [shiftId, roleId]);
  }

  markAttendance(organisationId: string, shiftId: string, bookingId: string, status: string) {
    return this.em.fork().execute(bookingSql.MARK_ATTENDANCE, [status, bookingId, shiftId, organisationId]);
  }

  async attendanceState(organisationId: string, shiftId: string, bookingId: string) {
    const [row] = await this.em.fork().execute(bookingSql.ATTENDANCE_STATE, [bookingId, shiftId, organisationId]);
    return row;
  }

  async pauseOffers(accountId: string): Promise<void> {
    await this.em.fork().execute(bookingSql.PAUSE_OFFERS, [accountId]);
  }

  // Offer and booking emails (OfferMailService): on the mail connections or the delivery's fork.

  /**
   * Claims and reads every offer email being prepared at the same time: one statement, one
   * transaction (a failure fails them all and nothing of it stays). Taken in offer-id order, so two
   * worker replicas' batches lock their claims in the same order.
   */
  prepareOfferEmails(db: MailDatabase, inputs: PrepareInput[]): Promise<PreparedOffer[]> {
    const order = inputs
      .map((input, i) => ({ input, i }))
      .sort((a, b) => a.input.offerId.localeCompare(b.input.offerId));
    const column = (pick: (input: PrepareInput) => string) => order.map(({ input }) => pick(input));
    return db
      .query<{ i: string; prepared: PreparedOffer }>('offer-email-prepare', mailSql.PREPARE_OFFER_EMAILS, [
        column((x) => x.offerId),
        column((x) => x.claimant),
        column((x) => x.answerHash),
        column((x) => x.unsubscribeHash),
        CLAIM_SECONDS,
        UNSUBSCRIBE_TTL_SECONDS,
      ])
      .then((rows) => {
        const results: PreparedOffer[] = new Array(inputs.length);
        for (const row of rows) results[order[Number(row.i) - 1].i] = row.prepared;
        return results;
      });
  }

  /** Seconds from publish to this offer, unless another offer of its shift was marked sent before it. */
  async firstOfferSeconds(db: MailDatabase, offerId: string) {
    const [row] = await db.query<{ seconds: number }>('offer-first-sent', mailSql.FIRST_OFFER_SENT, [offerId]);
    return row;
  }

  async withdrawnOfferContext(em: EntityManager, offerId: string): Promise<MailContext | undefined> {
    const [ctx] = await em.execute<MailContext[]>(mailSql.WITHDRAWN_OFFER_CONTEXT, [offerId]);
    return ctx;
  }

  async heldSeatContext(em: EntityManager, offerId: string): Promise<MailContext | null> {
    const [ctx] = await em.execute<MailContext[]>(mailSql.HELD_SEAT_CONTEXT, [offerId]);
    return ctx ?? null;
  }

  async bookingContext(em: EntityManager, bookingId: string, statuses: string[]): Promise<MailContext | null> {
    const [ctx] = await em.execute<MailContext[]>(mailSql.BOOKING_CONTEXT, [bookingId, `{${statuses.join(',')}}`]);
    return ctx ?? null;
  }

  async shiftChange(shiftId: string, changeId: string): Promise<ShiftChangeRow | undefined> {
    const [change] = await this.em.fork().execute<ShiftChangeRow[]>(mailSql.SHIFT_CHANGE, [changeId, shiftId]);
    return change;
  }

  async confirmedBookingIds(shiftId: string): Promise<string[]> {
    return (await this.em.fork().execute(mailSql.CONFIRMED_BOOKINGS, [shiftId])).map((b) => String(b.id));
  }

  async noCandidatesContext(em: EntityManager, shiftId: string): Promise<NoCandidatesRow | undefined> {
    const [row] = await em.execute<NoCandidatesRow[]>(mailSql.NO_CANDIDATES_CONTEXT, [shiftId]);
    return row;
  }
}
