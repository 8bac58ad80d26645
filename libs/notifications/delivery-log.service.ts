import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { UnrecoverableError } from 'bullmq';
import { emailRetriesTotal, emailsTotal } from '../observability/metrics.js';
import { isPermanentSmtpFailure, MailTransport, type OutgoingMail } from './mail-transport.service.js';

export interface DeliveryKey {
  kind: string;
  subjectId: string;
  accountId?: string | null;
}

/**
 * Sends an email at most once per (kind, subject). An advisory lock serialises concurrent attempts at
 * the same key; the log is checked before and written after the SMTP reply. A crash between the
 * SMTP reply and the log write can still resend once — the only window left, and documented.
 */
@Injectable()
export class DeliveryLogService {
  private readonly logger = new Logger('mail');

  constructor(
    private readonly em: EntityManager,
    private readonly transport: MailTransport,
  ) {}

  /** `build` runs only when the mail is really due, so token creation etc. happens once. */
  async sendOnce(key: DeliveryKey, build: (em: EntityManager) => Promise<OutgoingMail | null>): Promise<'sent' | 'skipped'> {
    const outcome = await this.em.fork().transactional(async (tx): Promise<'sent' | 'skipped' | 'failed'> => {
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`${key.kind}:${key.subjectId}`]);
      const [existing] = await tx.execute(`select status from email_deliveries where kind = ? and subject_id = ?`, [key.kind, key.subjectId]);
      if (existing) return 'skipped';
      const mail = await build(tx);
      if (!mail) return 'skipped';
      try {
        const info = await this.transport.send(mail);
        await this.record(tx, key, 'sent', info.messageId, info.response);
        this.logger.log({ kind: key.kind, subjectId: key.subjectId }, 'email sent');
        return 'sent';
      } catch (error) {
        if (!isPermanentSmtpFailure(error)) {
          emailRetriesTotal.labels(key.kind).inc();
          throw error; // transient: BullMQ retries with backoff
        }
        await this.record(tx, key, 'failed', null, String((error as Error).message).slice(0, 500));
        this.logger.warn({ kind: key.kind, subjectId: key.subjectId }, 'email refused permanently');
        return 'failed';
      }
    });
    // Counted after the commit, so the metric agrees with the delivery log.
    if (outcome !== 'skipped') emailsTotal.labels(key.kind, outcome === 'sent' ? 'sent' : 'failed_permanent').inc();
    // Thrown after the commit so the 'failed' row stays; BullMQ then stops retrying.
    if (outcome === 'failed') throw new UnrecoverableError('permanent SMTP failure recorded');
    return outcome;
  }

  private async record(tx: EntityManager, key: DeliveryKey, status: 'sent' | 'failed', messageId: string | null, response: string) {
    await tx.execute(
      `insert into email_deliveries (kind, subject_id, account_id, status, message_id, smtp_response) values (?, ?, ?, ?, ?, ?)`,
      [key.kind, key.subjectId, key.accountId ?? null, status, messageId, response],
    );
  }
}
