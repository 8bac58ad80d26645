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
 * the same key; the log is checked before sending, and its row — written before the mail goes out,
 * in the same transaction — commits right after the SMTP reply (a transient failure rolls it back,
 * a permanent one turns it into 'failed'). A crash between the server's reply and that COMMIT can
 * still resend once, with the same Message-ID — the only window left, and documented.
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
    let sent: { messageId: string; response: string } | undefined;
    const outcome = await this.em.fork().transactional(async (tx): Promise<'sent' | 'skipped' | 'failed'> => {
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`${key.kind}:${key.subjectId}`]);
      const [existing] = await tx.execute(`select status from email_deliveries where kind = ? and subject_id = ?`, [key.kind, key.subjectId]);
      if (existing) return 'skipped';
      const built = await build(tx);
      if (!built) return 'skipped';
      const mail = { ...built, messageId: built.messageId ?? this.transport.newMessageId(built) };
      // Written before the mail goes out; nothing but the COMMIT follows the server's reply. The
      // Message-ID (ours, so known in advance) traces the mail in the server's logs; the reply text
      // is logged, and kept in the row only for permanent failures.
      const [row] = await tx.execute(
        `insert into email_deliveries (kind, subject_id, account_id, status, message_id) values (?, ?, ?, 'sent', ?) returning id`,
        [key.kind, key.subjectId, key.accountId ?? null, mail.messageId],
      );
      try {
        const info = await this.transport.send(mail);
        sent = { messageId: mail.messageId, response: info.response };
        return 'sent';
      } catch (error) {
        if (!isPermanentSmtpFailure(error)) {
          emailRetriesTotal.labels(key.kind).inc();
          throw error; // transient: the row rolls back and BullMQ retries with backoff
        }
        await tx.execute(`update email_deliveries set status = 'failed', message_id = null, smtp_response = ? where id = ?`, [
          String((error as Error).message).slice(0, 500),
          row.id,
        ]);
        this.logger.warn({ kind: key.kind, subjectId: key.subjectId }, 'email refused permanently');
        return 'failed';
      }
    });
    if (sent) this.logger.log({ kind: key.kind, subjectId: key.subjectId, messageId: sent.messageId, response: sent.response }, 'email sent');
    // Counted after the commit, so the metric agrees with the delivery log.
    if (outcome !== 'skipped') emailsTotal.labels(key.kind, outcome === 'sent' ? 'sent' : 'failed_permanent').inc();
    // Thrown after the commit so the 'failed' row stays; BullMQ then stops retrying.
    if (outcome === 'failed') throw new UnrecoverableError('permanent SMTP failure recorded');
    return outcome;
  }
}
