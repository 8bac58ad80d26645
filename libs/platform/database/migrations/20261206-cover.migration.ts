import { Migration } from '@mikro-orm/migrations';

/**
 * "Find someone to cover me". A booked volunteer who can no longer come opens a cover request: they
 * keep the seat (their booking stays confirmed) while cover offers (offers with `cover_request_id`)
 * go to the waitlist, then to the best matches. A cover offer holds no seat and takes none: the first
 * who accepts takes the asker's booking over in one transaction (the old booking cancelled, a new one
 * confirmed, shifts.filled unchanged), recorded as a `covered` shift change for the roster history.
 * Past the deadline an open request is released: the asker's booking is cancelled and the seat freed.
 * A shift that moves takes its open requests' deadlines with it (trigger below).
 */
export class Cover20261206 extends Migration {
  override up(): void {
    this.addSql(`create type cover_request_status as enum ('open', 'covered', 'released', 'withdrawn')`);
    this.addSql(`create table cover_requests (
      id uuid primary key default gen_random_uuid(),
      booking_id uuid not null references bookings(id) on delete cascade deferrable initially deferred,
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      status cover_request_status not null default 'open',
      deadline timestamptz not null,
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      covered_by_booking_id uuid references bookings(id) on delete set null deferrable initially deferred,
      check ((status = 'open') = (resolved_at is null)),
      check (covered_by_booking_id is null or status = 'covered')
    )`);
    // One open request per booking: asking twice finds the first.
    this.addSql(`create unique index cover_requests_one_open on cover_requests (booking_id) where status = 'open'`);
    this.addSql(`create index cover_requests_open_deadline_idx on cover_requests (deadline) where status = 'open'`);
    this.addSql(`create index cover_requests_shift_idx on cover_requests (shift_id, created_at)`);
    this.addSql(`alter table offers add column cover_request_id uuid
      references cover_requests(id) on delete set null deferrable initially deferred`);
    this.addSql(
      `create index offers_cover_request_idx on offers (cover_request_id) where cover_request_id is not null`,
    );
    this.addSql(`alter table shift_changes drop constraint if exists shift_changes_kind_check`);
    this.addSql(`alter table shift_changes add constraint shift_changes_kind_check
      check (kind in ('created','updated','published','cancelled','covered'))`);
    // The deadline is a time before the start: a shift moved moves its open requests' deadlines with it.
    this.addSql(`create function cover_requests_follow_shift() returns trigger language plpgsql as $$
      begin
        update cover_requests set deadline = deadline + (new.starts_at - old.starts_at)
         where shift_id = new.id and status = 'open';
        return null;
      end $$`);
    this.addSql(`create trigger cover_requests_follow_shift after update of starts_at on shifts
      for each row when (new.starts_at is distinct from old.starts_at) execute function cover_requests_follow_shift()`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists cover_requests_follow_shift on shifts`);
    this.addSql(`drop function if exists cover_requests_follow_shift()`);
    this.addSql(`delete from shift_changes where kind = 'covered'`);
    this.addSql(`alter table shift_changes drop constraint if exists shift_changes_kind_check`);
    this.addSql(`alter table shift_changes add constraint shift_changes_kind_check
      check (kind in ('created','updated','published','cancelled'))`);
    this.addSql(`alter table offers drop column if exists cover_request_id`);
    this.addSql(`drop table if exists cover_requests`);
    this.addSql(`drop type if exists cover_request_status`);
  }
}
