import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { CLAIM_SECONDS, type MailDatabase } from '../platform/index.js';
import * as mailSql from './sql/mail.sql.js';
import type { MailContext, NoCandidatesRow, PreparedOffer, PrepareInput, ShiftChangeRow } from './offers.rows.js';

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
