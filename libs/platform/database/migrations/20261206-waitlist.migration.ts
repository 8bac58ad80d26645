import { Migration } from '@mikro-orm/migrations';

/**
 * Waitlists with held seats. A volunteer who fits a full shift waits in `waitlist_entries` (one
 * row per shift and volunteer, so joining twice keeps one place; the order is joined_at, then the
 * row's id). When a seat frees, the head of the queue gets an offer with `held_seat`: the seat is
 * taken for them (shifts.filled counts it) until they answer or the short deadline passes. Whatever
 * ends a held offer other than accepting (decline, expiry, the shift's cancellation) gives the seat
 * back in the trigger below, so no path can leak a held seat.
 */
export class Waitlist20261206 extends Migration {
  override up(): void {
    this.addSql(`create table waitlist_entries (
      id bigserial unique,
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      joined_at timestamptz not null default now(),
      primary key (shift_id, volunteer_id)
    )`);
    this.addSql(`create index waitlist_entries_order_idx on waitlist_entries (shift_id, joined_at, id)`);
    this.addSql(`create index waitlist_entries_volunteer_idx on waitlist_entries (volunteer_id)`);
    this.addSql(`alter table offers add column held_seat boolean not null default false`);
    this.addSql(`create function offers_release_held_seat() returns trigger language plpgsql as $$
      begin
        update shifts set filled = filled - 1, updated_at = now(),
               status = case when status = 'full' then 'open'::shift_status else status end
         where id = new.shift_id;
        return null;
      end $$`);
    this.addSql(`create trigger offers_release_held_seat after update of status on offers
      for each row when (old.held_seat and old.status = 'pending' and new.status in ('declined', 'expired', 'withdrawn'))
      execute function offers_release_held_seat()`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists offers_release_held_seat on offers`);
    this.addSql(`drop function if exists offers_release_held_seat()`);
    this.addSql(`alter table offers drop column if exists held_seat`);
    this.addSql(`drop table if exists waitlist_entries`);
  }
}
