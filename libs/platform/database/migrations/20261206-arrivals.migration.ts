import { Migration } from '@mikro-orm/migrations';

/**
 * Arrival: the door record of a booking (arrived / left), made by the volunteer's QR scan, the
 * kiosk at the door or the coordinator. One row per booking, so arriving twice keeps one record;
 * "arrival" and not "check-in", which is the wellbeing follow-up. Feeds attendance and hours.
 * Kiosk sessions are the door tablets that record arrivals for one shift.
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
    // A kiosk: a shared tablet at the door, opened by a coordinator for one shift. Only the hash of
    // its random token is stored; it locks after idling (last_activity_at) and ends at ends_at.
    this.addSql(`create table kiosk_sessions (
      id uuid primary key default gen_random_uuid(),
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      token_hash text not null unique,
      opened_by uuid references accounts(id) on delete set null deferrable initially deferred,
      opened_at timestamptz not null default now(),
      last_activity_at timestamptz not null default now(),
      ends_at timestamptz not null,
      check (ends_at > opened_at)
    )`);
    this.addSql(`create index kiosk_sessions_shift_idx on kiosk_sessions (shift_id)`);
  }

  override down(): void {
    this.addSql(`drop table if exists kiosk_sessions`);
    this.addSql(`drop table if exists arrivals`);
    this.addSql(`drop type if exists arrival_source`);
  }
}
