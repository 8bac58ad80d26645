import { Migration } from '@mikro-orm/migrations';

/**
 * A volunteer may say why they cancelled a booking; the coordinator sees it on the roster. Optional
 * and short (the API and the form refuse more than 500 characters; the CHECK backs them up). The
 * coordinator's reason for cancelling a shift lives in its shift_changes row (changes.reason).
 */
export class CancelReasons20261203 extends Migration {
  override up(): void {
    this.addSql(`alter table bookings add column cancel_reason text check (char_length(cancel_reason) <= 500)`);
  }

  override down(): void {
    this.addSql(`alter table bookings drop column if exists cancel_reason`);
  }
}
