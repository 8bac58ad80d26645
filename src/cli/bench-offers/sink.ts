import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Arrival {
  messageId: string;
  at: number;
  bytes: number;
}

/**
 * The benchmark's SMTP sink: accepts everything and records when each message arrived (its
 * Message-ID, the wall-clock time, its size). It reads the header block only, so it
 * costs the sending side as little as a fast MTA would.
 */
export class CountingSink {
  arrivals: Arrival[] = [];
  private server?: SMTPServer;
  private waiters: Array<() => void> = [];

  async start(): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      maxClients: 1000,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const head = raw
            .subarray(0, Math.max(0, raw.indexOf('\r\n\r\n')))
            .toString('latin1')
            .replace(/\r\n[ \t]+/g, ' ');
          const messageId = /^Message-ID:[ \t]*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
          this.arrivals.push({ messageId, at: Date.now(), bytes: raw.length });
          for (const wake of this.waiters.splice(0)) wake();
          callback();
        });
      },
    });
    // A client killed mid-conversation (bench:crash-duplicates) resets its connection: not an error here.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  reset(): void {
    this.arrivals = [];
  }

  /** Resolves once `count` messages matching `filter` arrived; rejects after `timeoutMs` without progress. */
  async waitForCount(count: number, filter: (a: Arrival) => boolean, timeoutMs: number, what: string): Promise<void> {
    let seen = -1;
    let lastProgress = Date.now();
    for (;;) {
      const n = this.arrivals.filter(filter).length;
      if (n >= count) return;
      if (n !== seen) {
        seen = n;
        lastProgress = Date.now();
      } else if (Date.now() - lastProgress > timeoutMs) {
        throw new Error(`${what}: ${n} of ${count} messages arrived, none for ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
