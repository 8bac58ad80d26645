import { Migration } from '@mikro-orm/migrations';

/**
 * New outbox rows wake the relay: a statement-level trigger notifies the `outbox_rows` channel,
 * delivered when the writing transaction commits (PostgreSQL folds repeats within one transaction
 * into one). The relay still polls, so a missed notification only costs the poll interval.
 */
export class OutboxNotify20261127 extends Migration {
  override up(): void {
    this.addSql(`create function outbox_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('outbox_rows', '');
        return null;
      end $$`);
    this.addSql(
      `create trigger outbox_rows_notify after insert on outbox for each statement execute function outbox_notify()`,
    );
  }

  override down(): void {
    this.addSql(`drop trigger if exists outbox_rows_notify on outbox`);
    this.addSql(`drop function if exists outbox_notify()`);
  }
}
