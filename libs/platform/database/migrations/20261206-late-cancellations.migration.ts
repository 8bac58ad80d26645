import { Migration } from '@mikro-orm/migrations';

/**
 * A volunteer's own cancellation inside the late window (LATE_CANCEL_HOURS before the start) is
 * marked late: the coordinator sees it on the roster, and reliability counts it, at half the weight
 * of not turning up (libs/matching/core/score.ts). Cancellations before this migration are not late.
 */
export class LateCancellations20261206 extends Migration {
  override up(): void {
    this.addSql(`alter table bookings add column cancelled_late boolean not null default false`);
    this.addSql(`alter table bookings add constraint bookings_late_only_when_cancelled
      check (not cancelled_late or status = 'cancelled')`);
  }

  override down(): void {
    this.addSql(`alter table bookings drop column if exists cancelled_late`);
  }
}
