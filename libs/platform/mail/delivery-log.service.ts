import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { currentJobId } from '../queue/job-context.js';
import { emailRetriesTotal, emailsTotal } from '../observability/metrics.js';
import type { StatementBatcher } from '../database/statement-batcher.js';
import { MailDatabase } from './mail-database.js';
import { isPermanentSmtpFailure, MailTransport, type OutgoingMail } from './mail-transport.service.js';

export interface DeliveryKey {
  kind: string;
  subjectId: string;
  accountId?: string | null;
}

/**
 * How long a claim holds off other attempts at the same email. Longer than any SMTP conversation
 * can last (nodemailer gives up after 10 s to connect, 10 s for the greeting, 30 s of silence);
 * a crashed attempt's own retry does not wait for it.
 */
export const CLAIM_SECONDS = 120;

/** Mark statements in flight at once (see the constructor). */
const MARK_BATCHES = 3;

/** Tries at recording a sent mail (pauses of 0.2, 0.4, 0.8, 1.6 s between them). */
const MARK_ATTEMPTS = 5;

/** Another attempt is sending this email right now; thrown so BullMQ retries later with backoff. */
export class DeliveryInProgressError extends Error {
  constructor(key: DeliveryKey) {
    super(`another attempt is sending ${key.kind} ${key.subjectId}; retrying later`);
  }
}

/**
 * Sends an email at most once per (kind, subject), without holding a database transaction (or a
 * pooled connection) across the SMTP conversation. The log row is claimed before the mail goes
 * out and marked after the server's reply: 'sent', or 'failed' for a permanent (5xx) refusal,
 * which is not retried; a transient failure lets the claim lapse and BullMQ retries with backoff
 * (and once the job's retries are spent, the mail sweeper queues it again).
 * See migration DeliveryClaims20261127 for the claim rule. A crash between the server's reply and
 * the mark can still resend once, with the same Message-ID — the only window left, and documented.
 *
 * The log's own statements run on the mail connections (MailDatabase); the marks of mails sent at
 * about the same time are group-committed, one statement for all of them.
 */
@Injectable()
export class DeliveryLogService {
  private readonly logger = new Logger('mail');
  private readonly marks: StatementBatcher<{ deliveryId: string; messageId: string }, undefined>;

  constructor(
    private readonly em: EntityManager,
    private readonly transport: MailTransport,
    private readonly db: MailDatabase,
  ) {
    // Until its mark reaches PostgreSQL, a mail the server accepted is resent if this process dies:
    // so a mark goes at once, never queued behind another batch (up to MARK_BATCHES in flight), and
    // its commit does not wait for the WAL flush (synchronous_commit off for this transaction only):
    // once PostgreSQL has the statement, a worker crash no longer matters, and a database crash
    // within the flush delay (~0.6 s) costs at worst that same resend, never a lost mail.
    this.marks = db.batched(
      async (marks) => {
        await db.query(
          'delivery-mark-sent',
          `update email_deliveries d set status = 'sent', message_id = t.message_id, claimed_until = null
         from unnest($1::bigint[], $2::text[]) as t(id, message_id), (select set_config('synchronous_commit', 'off', true)) as async_commit
         where d.id = t.id`,
          [marks.map((m) => m.deliveryId), marks.map((m) => m.messageId)],
        );
        return marks.map(() => undefined);
      },
      { maxBatch: 50, maxInFlight: MARK_BATCHES },
    );
  }

  /**
   * `build` reads what the mail says and returns null when nothing is due; `onSent` records what
   * follows from the mail having gone out (it runs only then).
   */
  async sendOnce(
    key: DeliveryKey,
    build: (em: EntityManager) => Promise<OutgoingMail | null>,
    options: { onSent?: (em: EntityManager) => Promise<void> } = {},
  ): Promise<'sent' | 'skipped'> {
    const em = this.em.fork();
    const deliveryId = await this.claim(key);
    if (!deliveryId) return 'skipped';
    const mail = await this.releaseOnError(deliveryId, () => build(em));
    if (!mail) {
      await this.release(deliveryId);
      return 'skipped';
    }
    await this.deliver(deliveryId, key, mail);
    await options.onSent?.(em);
    return 'sent';
  }

  /**
   * Claims the email for this attempt: its delivery id, or null when it was already sent or
   * refused. Throws DeliveryInProgressError while another attempt holds it.
   */
  async claim(key: DeliveryKey): Promise<string | null> {
    const [{ id }] = await this.db.query<{ id: string | null }>(
      'delivery-claim',
      `select delivery_claim($1, $2, $3, $4, $5)::text as id`,
      [key.kind, key.subjectId, key.accountId ?? null, this.claimant(), CLAIM_SECONDS],
    );
    if (id !== null) return id;
    const [existing] = await this.db.query<{ status: string }>(
      'delivery-status',
      `select status::text from email_deliveries where kind = $1 and subject_id = $2`,
      [key.kind, key.subjectId],
    );
    this.refuseIfInProgress(key, existing?.status);
    return null;
  }

  /** Who claims: the running job (so its own retry can take over after a crash), else nobody else. */
  claimant(): string {
    return currentJobId() ?? `call-${randomUUID()}`;
  }

  /** For callers that claim inside a statement of their own: a claim refused because it is held. */
  refuseIfInProgress(key: DeliveryKey, status: string | undefined): void {
    if (status === 'sending') throw new DeliveryInProgressError(key);
  }

  /** Sends a claimed email and records the outcome. */
  async deliver(deliveryId: string, key: DeliveryKey, built: OutgoingMail): Promise<void> {
    const mail = { ...built, messageId: built.messageId ?? this.transport.newMessageId() };
    let response: string;
    try {
      response = (await this.transport.send(mail)).response;
    } catch (error) {
      if (!isPermanentSmtpFailure(error)) {
        emailRetriesTotal.labels(key.kind).inc();
        await this.lapse(deliveryId);
        throw error; // transient: BullMQ retries with backoff and the retry claims again
      }
      await this.db.query(
        'delivery-mark-failed',
        `update email_deliveries set status = 'failed', smtp_response = $1, claimed_until = null where id = $2`,
        [String((error as Error).message).slice(0, 500), deliveryId],
      );
      this.logger.warn({ kind: key.kind, subjectId: key.subjectId }, 'email refused permanently');
      emailsTotal.labels(key.kind, 'failed_permanent').inc();
      throw new UnrecoverableError('permanent SMTP failure recorded'); // BullMQ stops retrying
    }
    // The Message-ID (ours, so known in advance) traces the mail in the server's logs; the reply
    // text is logged, and kept in the row only for permanent failures.
    await this.markSent(deliveryId, mail.messageId);
    this.logger.log({ kind: key.kind, subjectId: key.subjectId, messageId: mail.messageId, response }, 'email sent');
    emailsTotal.labels(key.kind, 'sent').inc(); // after the mark, so the metric agrees with the log
  }

  /**
   * The mail is out: record it, trying the statement again after a short pause if it fails. A
   * failure fails every mark of its group (a lost connection, a deadlock with the offer sweeper over
   * the offers rows the marks touch), and a job whose mark failed would send again on its retry.
   */
  private async markSent(deliveryId: string, messageId: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.marks.submit({ deliveryId, messageId });
      } catch (error) {
        if (attempt >= MARK_ATTEMPTS) throw error;
        this.logger.warn({ deliveryId, attempt }, 'marking an email sent failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  /** Gives a claim back: nothing is due, so nothing is owed either. */
  async release(deliveryId: string): Promise<void> {
    await this.db.query('delivery-release', `delete from email_deliveries where id = $1 and status = 'sending'`, [
      deliveryId,
    ]);
  }

  /**
   * The attempt failed but the email is still owed: the claim stays, lapsed, so any attempt can claim
   * it at once and the mail sweeper (MailSweeper) queues it again if its job gives up or is lost.
   */
  async lapse(deliveryId: string): Promise<void> {
    await this.db.query(
      'delivery-lapse',
      `update email_deliveries set claimed_until = now() where id = $1 and status = 'sending'`,
      [deliveryId],
    );
  }

  /** Runs `work` for a claimed email; if it throws, the claim is left to lapse first. */
  async releaseOnError<T>(deliveryId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await this.lapse(deliveryId);
      throw error;
    }
  }
}
