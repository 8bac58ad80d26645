import { Migration } from '@mikro-orm/migrations';

/**
 * Roles within a shift (ADR 0029). A shift has one or more `shift_roles`, each with its own
 * capacity and seats taken (`filled`); `shifts.capacity`/`shifts.filled` stay as the totals, moved
 * by the same statements that move a role's seat, so every reader of the totals keeps working.
 *
 * Backward compatibility lives partly here: every shift gets a role `Volunteer` when it is
 * inserted (the series generator, the seed and any client that never mentions roles insert shifts
 * as before), a one-role shift's role follows the shift's capacity and skills when those change,
 * and a booking, offer or waitlist entry inserted without a role gets the shift's first role.
 */
export class Roles20261206 extends Migration {
  override up(): void {
    this.addSql(`create table shift_roles (
      id uuid primary key default gen_random_uuid(),
      shift_id uuid not null references shifts(id) on delete cascade,
      position smallint not null,
      name text not null check (length(name) between 1 and 80),
      capacity int not null check (capacity between 1 and 500),
      filled int not null default 0,
      required_skills text[] not null default '{}',
      nice_skills text[] not null default '{}',
      notes text not null default '' check (length(notes) <= 500),
      check (filled between 0 and capacity),
      unique (shift_id, position)
    )`);
    // Existing shifts: one role with the shift's capacity, skills and seats (held seats included).
    this.addSql(`insert into shift_roles (shift_id, position, name, capacity, filled, required_skills, nice_skills)
      select id, 0, 'Volunteer', capacity, filled, required_skills, nice_skills from shifts`);
    this.addSql(`alter table shift_series add column roles jsonb`);
    for (const table of ['bookings', 'offers', 'waitlist_entries']) {
      this.addSql(`alter table ${table} add column role_id uuid references shift_roles(id) on delete cascade`);
      this.addSql(`update ${table} t set role_id = r.id from shift_roles r where r.shift_id = t.shift_id`);
      this.addSql(`alter table ${table} alter column role_id set not null`);
      this.addSql(`create index ${table}_role_idx on ${table} (role_id)`);
    }
    this.addSql(`create function shifts_default_role() returns trigger language plpgsql as $$
      begin
        insert into shift_roles (shift_id, position, name, capacity, filled, required_skills, nice_skills)
        values (new.id, 0, 'Volunteer', new.capacity, new.filled, new.required_skills, new.nice_skills)
        on conflict (shift_id, position) do nothing;
        return null;
      end $$`);
    this.addSql(
      `create trigger shifts_default_role after insert on shifts for each row execute function shifts_default_role()`,
    );
    // A one-role shift's role is the shift: its capacity and seats are the shift's (set, not added,
    // at the end of the statement that moved the shift's, so a statement that also moves the role's
    // ends the same, and anything that writes shifts.filled directly keeps the role in step), and
    // its skills follow the shift's while it still mirrors them (a role given skills of its own keeps them).
    this.addSql(`create function shifts_follow_single_role() returns trigger language plpgsql as $$
      begin
        update shift_roles set capacity = new.capacity, filled = new.filled,
               required_skills = case when required_skills = old.required_skills then new.required_skills else required_skills end,
               nice_skills = case when nice_skills = old.nice_skills then new.nice_skills else nice_skills end
         where shift_id = new.id and (select count(*) from shift_roles where shift_id = new.id) = 1;
        return null;
      end $$`);
    this
      .addSql(`create trigger shifts_follow_single_role after update of capacity, filled, required_skills, nice_skills on shifts
      for each row when (old.capacity is distinct from new.capacity or old.filled is distinct from new.filled
                         or old.required_skills is distinct from new.required_skills or old.nice_skills is distinct from new.nice_skills)
      execute function shifts_follow_single_role()`);
    // A statement that inserts a shift and its rows together (a CTE) reaches its rows before the
    // shift's after-insert trigger has run: the default role is made here then (the trigger skips it).
    this.addSql(`create function rows_default_role() returns trigger language plpgsql as $$
      begin
        if new.role_id is null then
          new.role_id := (select id from shift_roles where shift_id = new.shift_id order by position limit 1);
        end if;
        if new.role_id is null then
          insert into shift_roles (shift_id, position, name, capacity, filled, required_skills, nice_skills)
          select id, 0, 'Volunteer', capacity, filled, required_skills, nice_skills from shifts where id = new.shift_id
          on conflict (shift_id, position) do nothing
          returning id into new.role_id;
        end if;
        return new;
      end $$`);
    for (const table of ['bookings', 'offers', 'waitlist_entries'])
      this.addSql(
        `create trigger ${table}_default_role before insert on ${table} for each row execute function rows_default_role()`,
      );
    // A held seat given back returns to its role as well as to the shift, in one statement (the
    // shift's row first: the lock order of every seat move). A one-role shift's role follows the shift.
    this.addSql(`create or replace function offers_release_held_seat() returns trigger language plpgsql as $$
      begin
        with s as (update shifts set filled = filled - 1, updated_at = now(),
                          status = case when status = 'full' then 'open'::shift_status else status end
                    where id = new.shift_id returning id)
        update shift_roles r set filled = r.filled - 1 from s
         where r.id = new.role_id and r.shift_id = s.id and (select count(*) from shift_roles where shift_id = new.shift_id) > 1;
        return null;
      end $$`);
  }

  override down(): void {
    this.addSql(`create or replace function offers_release_held_seat() returns trigger language plpgsql as $$
      begin
        update shifts set filled = filled - 1, updated_at = now(),
               status = case when status = 'full' then 'open'::shift_status else status end
         where id = new.shift_id;
        return null;
      end $$`);
    for (const table of ['bookings', 'offers', 'waitlist_entries']) {
      this.addSql(`drop trigger if exists ${table}_default_role on ${table}`);
      this.addSql(`alter table ${table} drop column if exists role_id`);
    }
    this.addSql(`drop function if exists rows_default_role()`);
    this.addSql(`drop trigger if exists shifts_follow_single_role on shifts`);
    this.addSql(`drop function if exists shifts_follow_single_role()`);
    this.addSql(`drop trigger if exists shifts_default_role on shifts`);
    this.addSql(`drop function if exists shifts_default_role()`);
    this.addSql(`alter table shift_series drop column if exists roles`);
    this.addSql(`drop table if exists shift_roles`);
  }
}
