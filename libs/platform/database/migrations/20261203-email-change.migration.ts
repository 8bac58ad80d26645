import { Migration } from '@mikro-orm/migrations';

/**
 * Changing the email address: a pending change per account, confirmed by a link to the new address
 * (purpose email_change) and cancellable by a link to the old one (email_change_cancel).
 */
export class EmailChange20261203 extends Migration {
  override up(): void {
    this.addSql(`alter type link_purpose add value if not exists 'email_change'`);
    this.addSql(`alter type link_purpose add value if not exists 'email_change_cancel'`);
    this.addSql(`create table email_changes (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade deferrable initially deferred,
      old_email citext not null check (length(old_email) <= 254),
      new_email citext not null check (length(new_email) <= 254),
      created_at timestamptz not null default now(),
      confirmed_at timestamptz,
      cancelled_at timestamptz,
      check (confirmed_at is null or cancelled_at is null)
    )`);
    // At most one pending change per account: a new request replaces the old one (race-safe).
    this.addSql(
      `create unique index email_changes_pending_idx on email_changes (account_id) where confirmed_at is null and cancelled_at is null`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists email_changes`);
    // Enum values cannot be dropped; their tokens are deleted so nothing uses them.
    this.addSql(`delete from link_tokens where purpose::text in ('email_change', 'email_change_cancel')`);
  }
}
