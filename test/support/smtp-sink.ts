import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  parsed: ParsedMail;
  /** The message exactly as received, for checks over the raw bytes (DKIM). */
  raw: Buffer;
}

/** A real SMTP server inside the test process; every accepted message is parsed with mailparser. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** When set, every message is refused with this SMTP code (e.g. 451 transient, 550 permanent). */
  refuseWith: number | null = null;
  /** Messages whose answer is being held (see hold). */
  held = 0;
  private gate: Promise<void> | null = null;
  private server?: SMTPServer;
  private waiters: Array<() => void> = [];

  async start(): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          if (this.gate) {
            this.held += 1;
            this.waiters.forEach((wake) => wake());
            await this.gate;
            this.held -= 1;
          }
          if (this.refuseWith) {
            const error = Object.assign(new Error('refused by test'), { responseCode: this.refuseWith });
            return callback(error);
          }
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              const to = [parsed.to].flat().flatMap((address) => address?.value.map((v) => v.address ?? '') ?? []);
              this.messages.push({
                to,
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: String(parsed.html || ''),
                headers: parsed.headers,
                parsed,
                raw,
              });
              this.waiters.forEach((wake) => wake());
              callback();
            })
            .catch(callback);
        });
      },
    });
    // A client whose socket is reset mid-transaction (a process shutting down) makes smtp-server emit
    // 'error'; unlistened, that is an uncaught exception failing the whole test file.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server!.server.address() as AddressInfo).port;
  }

  /** Holds the answer to every message until the returned function is called: mail "in flight". */
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    return () => {
      this.gate = null;
      open();
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Waits until a message matching `predicate` has arrived, or fails after `timeoutMs`. */
  async waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching mail within ${timeoutMs} ms (received ${this.messages.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }
}

/** The first link in a mail's text whose path starts with `path`, and its token. */
export function linkFrom(mail: ReceivedMail, path: string): { url: URL; token: string } {
  const match = mail.text.match(new RegExp(`https?://[^\\s]+${path.replace(/\//g, '\\/')}\\?token=[^\\s]+`));
  if (!match) throw new Error(`no ${path} link in mail "${mail.subject}"`);
  const url = new URL(match[0]);
  return { url, token: url.searchParams.get('token') ?? '' };
}

/** A header exactly as sent (mailparser turns List-* headers into objects). */
export function rawHeader(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((header) => header.key === name.toLowerCase());
  return line?.line.slice(line.line.indexOf(':') + 1).trim();
}
