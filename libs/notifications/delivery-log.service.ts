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

/** Thrown inside sendOnce's transaction to roll back what `build` did when nothing is to be sent. */
class NothingToSend extends Error {}

/**
 * Sends an email at most once per (kind, subject). `build` runs first, in the transaction; then the
 * log row is inserted with ON CONFLICT DO NOTHING on the unique (kind, subject_id). That insert is
 * the lock and the check in one statement: a concurrent attempt at the same key waits on the unique
 * index until the first commits (then it finds the row and sends nothing) or rolls back (then it
 * goes ahead). The row commits right after the SMTP reply; a transient failure rolls it back, a
 * permanent one turns it into 'failed'. A crash between the server's reply and that COMMIT can
 * still resend once, with the same Message-ID — the only window left, and documented.
 */
@Injectable()
export class DeliveryLogService {
  private readonly logger = new Logger('mail');

  constructor(
    private readonly em: EntityManager,
    private readonly transport: MailTransport,
  ) {}

  /**
   * `build` reads what the mail says (and may write, e.g. mark an offer sent or mint a token); it
   * returns null when nothing is due. Whatever it wrote rolls back unless the mail is sent.
   */
  async sendOnce(key: DeliveryKey, build: (em: EntityManager) => Promise<OutgoingMail | null>): Promise<'sent' | 'skipped'> {
    let sent: { messageId: string; response: string } | undefined;
    const outcome = await this.em
      .fork()
      .transactional(async (tx): Promise<'sent' | 'failed'> => {
        const built = await build(tx);
        if (!built) throw new NothingToSend();
        const mail = { ...built, messageId: built.messageId ?? this.transport.newMessageId(built) };
        // Written before the mail goes out; nothing but the COMMIT follows the server's reply. The
        // Message-ID (ours, so known in advance) traces the mail in the server's logs; the reply text
        // is logged, and kept in the row only for permanent failures.
        const [row] = await tx.execute(
          `insert into email_deliveries (kind, subject_id, account_id, status, message_id) values (?, ?, ?, 'sent', ?)
           on conflict (kind, subject_id) do nothing returning id`,
          [key.kind, key.subjectId, key.accountId ?? null, mail.messageId],
        );
        if (!row) throw new NothingToSend(); // already sent (or refused) by an earlier attempt
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
      })
      .catch((error: unknown) => {
        if (error instanceof NothingToSend) return 'skipped' as const;
        throw error;
      });
    if (sent) this.logger.log({ kind: key.kind, subjectId: key.subjectId, messageId: sent.messageId, response: sent.response }, 'email sent');
    // Counted after the commit, so the metric agrees with the delivery log.
    if (outcome !== 'skipped') emailsTotal.labels(key.kind, outcome === 'sent' ? 'sent' : 'failed_permanent').inc();
    // Thrown after the commit so the 'failed' row stays; BullMQ then stops retrying.
    if (outcome === 'failed') throw new UnrecoverableError('permanent SMTP failure recorded');
    return outcome;
  }
}
