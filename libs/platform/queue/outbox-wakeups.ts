import type { Logger } from '@nestjs/common';
import pg from 'pg';

/** The channel the outbox trigger notifies on commit (migration OutboxNotify20261127). */
export const OUTBOX_CHANNEL = 'outbox_rows';

const RECONNECT_MS = { first: 500, max: 30_000 };

/**
 * Calls `onRows` whenever a transaction that wrote outbox rows commits, over one LISTEN connection
 * of its own (a pooled connection cannot hold a LISTEN). When that connection drops it reconnects
 * with backoff; the relay's poll covers the gap, so nothing depends on a notification arriving.
 */
export class OutboxWakeups {
  private client?: pg.Client;
  private retryTimer?: NodeJS.Timeout;
  private retryMs = RECONNECT_MS.first;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onRows: () => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'kindshift-outbox-listener' });
    this.client = client;
    client.on('notification', () => this.onRows());
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_CHANNEL}`);
      this.retryMs = RECONNECT_MS.first;
      // Rows committed while no one listened are picked up by this nudge (and by the poll anyway).
      this.onRows();
    } catch (error) {
      this.reconnect(client, error);
    }
  }

  private reconnect(client: pg.Client, error?: unknown): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.logger.warn(
      { err: error, retryInMs: this.retryMs },
      'outbox listener lost its connection; the relay keeps polling',
    );
    this.retryTimer = setTimeout(() => void this.start(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MS.max);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
