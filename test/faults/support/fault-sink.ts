import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface SinkMail {
  messageId: string;
  to: string;
  subject: string;
  at: number;
}

export interface SinkRefusal {
  messageId: string;
  code: number;
  at: number;
}

/**
 * An SMTP server for the fault tests. A message counts as delivered when the sink answers "250" to
 * its DATA on a connection that is still open — the moment an SMTP server takes responsibility for
 * it (RFC 5321 §6.1). It can also:
 * - `refuseWith` a code (451 transient, 550 permanent) — every DATA is answered with it and counted
 *   as a refusal per Message-ID;
 * - `hold()` its answers: DATA is read but not answered until `release()`; messages whose client
 *   disconnected meanwhile are dropped, never delivered (the sender never got a "250").
 * Only headers are looked at, so it keeps up with the worker without parsing MIME.
 */
export class FaultSink {
  readonly delivered: SinkMail[] = [];
  readonly refusals: SinkRefusal[] = [];
  readonly dropped: SinkMail[] = [];
  refuseWith: number | null = null;
  /** Socket errors of client connections (ECONNRESET when a worker is killed), kept for diagnosis. */
  readonly socketErrors: string[] = [];
  private holding = false;
  private held: Array<{ sessionId: string; mail: SinkMail; answer: () => void }> = [];
  private readonly closed = new Set<string>();
  private server?: SMTPServer;

  async start(): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      maxClients: 1000,
      onClose: (session) => {
        this.closed.add(session.id);
        this.held = this.held.filter((entry) => {
          if (entry.sessionId !== session.id) return true;
          this.dropped.push(entry.mail);
          return false;
        });
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mail = readHeaders(Buffer.concat(chunks));
          if (this.refuseWith) {
            this.refusals.push({ messageId: mail.messageId, code: this.refuseWith, at: Date.now() });
            return callback(
              Object.assign(new Error(`refused by the fault sink (${this.refuseWith})`), {
                responseCode: this.refuseWith,
              }),
            );
          }
          const answer = () => {
            if (this.closed.has(session.id)) {
              this.dropped.push(mail);
              return;
            }
            mail.at = Date.now();
            this.delivered.push(mail);
            callback();
          };
          if (this.holding) this.held.push({ sessionId: session.id, mail, answer });
          else answer();
        });
      },
    });
    // A killed worker's SMTP sockets are reset mid-session: smtp-server emits that as an 'error' event,
    // which without a listener is an uncaught exception that fails the whole test file.
    this.server.on('error', (error: NodeJS.ErrnoException) => this.socketErrors.push(error.code ?? error.message));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server!.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** From now on DATA is read but not answered. */
  hold(): void {
    this.holding = true;
  }

  /** How many messages wait for an answer right now. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Answers everything held (on connections still open) and stops holding. */
  release(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const entry of held) entry.answer();
  }

  /** Delivered messages per Message-ID. */
  countsByMessageId(filter: (mail: SinkMail) => boolean = () => true): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.delivered.filter(filter)) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
    return counts;
  }
}

/** Offer Message-IDs use the MAIL_FROM domain of fault-env.ts. */
export const offerMessageId = (offerId: string) => `<offer-${offerId}@kindshift.test>`;
export const isOffer = (mail: { messageId: string }) => mail.messageId.startsWith('<offer-');

/** Message-ID, To and Subject from the raw header block (folded lines unfolded). */
function readHeaders(raw: Buffer): SinkMail {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const block = (end >= 0 ? text.slice(0, end) : text).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(block)?.[1]?.trim() ?? '';
  return { messageId: header('Message-ID'), to: header('To'), subject: header('Subject'), at: Date.now() };
}
