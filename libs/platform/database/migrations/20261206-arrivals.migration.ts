import { Migration } from '@mikro-orm/migrations';

/**
 * Arrival: the door record of a booking (arrived / left), made by the volunteer's QR scan, the
 * kiosk at the door or the coordinator. One row per booking, so arriving twice keeps one record;
 * "arrival" and not "check-in", which is the wellbeing follow-up. Feeds attendance and hours.
 */
export class Arrivals20261206 extends Migration {
  override up(): void {
    this.addSql(`create type arrival_source as enum ('qr','kiosk','coordinator')`);
    this.addSql(`create table arrivals (
      booking_id uuid primary key references bookings(id) on delete cascade deferrable initially deferred,
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      arrived_at timestamptz not null,
      arrived_via arrival_source not null,
      left_at timestamptz,
      left_via arrival_source,
      created_at timestamptz not null default now(),
      check (left_at is null or left_at >= arrived_at),
      check ((left_at is null) = (left_via is null))
    )`);
    this.addSql(`create index arrivals_shift_idx on arrivals (shift_id)`);
  }

  override down(): void {
    this.addSql(`drop table if exists arrivals`);
    this.addSql(`drop type if exists arrival_source`);
  }
}
