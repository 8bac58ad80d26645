import { Migration } from '@mikro-orm/migrations';

/**
 * The hours ledger (ADR 0022). `shift` entries: one per attended booking, written by a trigger on
 * bookings so every path that marks attendance (roster, API, arrivals, seed data) credits hours;
 * a booking set to no_show or cancelled voids its entry (kept, counts zero). Their minutes are
 * computed when read, from the arrival if there is one, else the shift's scheduled times, unless a
 * coordinator adjusted them. `logged` entries: work done off the platform, pending until a
 * coordinator of that organisation approves or declines. `hours_statements` keeps each issued
 * statement's figures so its verification link shows them as issued.
 */
export class Hours20261206 extends Migration {
  override up(): void {
    this.addSql(`create type hours_entry_kind as enum ('shift','logged')`);
    this.addSql(`create type hours_entry_status as enum ('credited','voided','pending','approved','declined')`);
    this.addSql(`create table hours_entries (
      id uuid primary key default gen_random_uuid(),
      kind hours_entry_kind not null,
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      booking_id uuid unique references bookings(id) on delete cascade deferrable initially deferred,
      status hours_entry_status not null,
      work_date date,
      starts_at timestamptz,
      ends_at timestamptz,
      logged_minutes int check (logged_minutes between 1 and 1440),
      description text check (length(description) between 1 and 1000),
      decided_by uuid references accounts(id) on delete set null deferrable initially deferred,
      decided_at timestamptz,
      decision_note text check (length(decision_note) <= 500),
      adjusted_minutes int check (adjusted_minutes between 0 and 1440),
      adjust_reason text check (length(adjust_reason) between 1 and 500),
      adjusted_by uuid references accounts(id) on delete set null deferrable initially deferred,
      adjusted_at timestamptz,
      voided_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((adjusted_minutes is null) = (adjust_reason is null)),
      check ((starts_at is null) = (ends_at is null) and (ends_at is null or ends_at > starts_at)),
      check (case kind
        when 'shift' then booking_id is not null and status in ('credited','voided') and logged_minutes is null
        else booking_id is null and status in ('pending','approved','declined') and logged_minutes is not null
             and work_date is not null and description is not null and adjusted_minutes is null end)
    )`);
    this.addSql(`create index hours_entries_volunteer_idx on hours_entries (volunteer_id)`);
    this.addSql(`create index hours_entries_organisation_idx on hours_entries (organisation_id, status)`);

    // A deleted volunteer's bookings belong to an anonymous "former volunteer" (FormerVolunteers20261203):
    // they earn no hours entries, so nothing about the person comes back through the ledger.
    this.addSql(`create function hours_credit_booking() returns trigger language plpgsql as $$
      begin
        if new.status = 'attended' then
          insert into hours_entries (kind, volunteer_id, organisation_id, booking_id, status)
            select 'shift', new.volunteer_id, s.organisation_id, new.id, 'credited'
              from shifts s join volunteers v on v.account_id = new.volunteer_id
             where s.id = new.shift_id and v.deleted_at is null
          on conflict (booking_id) do update set status = 'credited', voided_at = null, updated_at = now()
            where hours_entries.status = 'voided';
        elsif new.status in ('no_show','cancelled') then
          update hours_entries set status = 'voided', voided_at = now(), updated_at = now()
           where booking_id = new.id and status <> 'voided';
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger bookings_hours_insert after insert on bookings
      for each row when (new.status = 'attended') execute function hours_credit_booking()`);
    this.addSql(`create trigger bookings_hours_update after update of status on bookings
      for each row when (old.status is distinct from new.status) execute function hours_credit_booking()`);
    // Bookings attended before this migration get their entries too.
    this.addSql(`insert into hours_entries (kind, volunteer_id, organisation_id, booking_id, status)
      select 'shift', b.volunteer_id, s.organisation_id, b.id, 'credited'
        from bookings b join shifts s on s.id = b.shift_id join volunteers v on v.account_id = b.volunteer_id
       where b.status = 'attended' and v.deleted_at is null
      on conflict (booking_id) do nothing`);

    this.addSql(`create table hours_statements (
      ref text primary key check (length(ref) between 8 and 40),
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      organisation_id uuid references organisations(id) on delete cascade deferrable initially deferred,
      period_from date,
      period_to date,
      volunteer_name text not null,
      total_minutes int not null check (total_minutes >= 0),
      entry_count int not null check (entry_count >= 0),
      entries jsonb not null,
      entries_digest text not null,
      issued_at timestamptz not null default now()
    )`);
    this.addSql(`create index hours_statements_volunteer_idx on hours_statements (volunteer_id)`);
  }

  override down(): void {
    this.addSql(`drop table if exists hours_statements`);
    this.addSql(`drop trigger if exists bookings_hours_update on bookings`);
    this.addSql(`drop trigger if exists bookings_hours_insert on bookings`);
    this.addSql(`drop function if exists hours_credit_booking()`);
    this.addSql(`drop table if exists hours_entries`);
    this.addSql(`drop type if exists hours_entry_status`);
    this.addSql(`drop type if exists hours_entry_kind`);
  }
}
