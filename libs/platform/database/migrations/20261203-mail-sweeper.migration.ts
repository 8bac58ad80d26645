import { Migration } from '@mikro-orm/migrations';

/**
 * The mail sweeper looks for undelivered emails (claims in 'sending') every minute: a partial index
 * keeps that a walk over the few unsent rows, oldest first, however large the delivery log grows.
 * Only claims have a claimed_until (marking sent or failed clears it); the predicate cannot name
 * 'sending' itself, an enum value added in a migration of the same transaction.
 */
export class MailSweeper20261203 extends Migration {
  override up(): void {
    this.addSql(
      `create index email_deliveries_unsent_idx on email_deliveries (created_at) where claimed_until is not null`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists email_deliveries_unsent_idx`);
  }
}
