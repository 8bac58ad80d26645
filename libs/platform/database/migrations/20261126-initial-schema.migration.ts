import { Migration } from '@mikro-orm/migrations';

/**
 * The whole data model of the product, so later work extends it instead of reshaping it.
 * Written as SQL because PostGIS columns, ranges, exclusion constraints and generated columns are
 * the point of it. Rules the database can keep (capacity, uniqueness, enums) are kept here.
 */
export class InitialSchema20261126 extends Migration {
  override up(): void {
    // Foreign keys are checked at commit (deferred): the unit of work may insert a child before its
    // parent within one transaction, since entities refer to each other by id columns, not relations.
    this.addSql(`create extension if not exists postgis`);
    this.addSql(`create extension if not exists citext`);
    this.addSql(`create extension if not exists btree_gist`);

    this.addSql(
      `create type organisation_kind as enum ('soup_kitchen','animal_shelter','homeless_shelter','food_bank','other')`,
    );
    this.addSql(`create type account_role as enum ('volunteer','coordinator')`);
    this.addSql(`create type volunteer_status as enum ('active','paused')`);
    this.addSql(
      `create type link_purpose as enum ('verify_email','sign_in','offer_response','unsubscribe','check_in')`,
    );
    this.addSql(`create type shift_status as enum ('draft','open','full','cancelled','completed')`);
    this.addSql(`create type series_status as enum ('active','cancelled')`);
    this.addSql(`create type offer_status as enum ('pending','accepted','declined','expired','withdrawn')`);
    this.addSql(`create type booking_status as enum ('confirmed','cancelled','attended','no_show')`);
    this.addSql(`create type check_in_kind as enum ('mood','who5')`);
    this.addSql(`create type check_in_status as enum ('scheduled','sent','answered','cancelled')`);
    this.addSql(`create type delivery_status as enum ('sent','failed')`);

    this.addSql(`create table skills (
      slug text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      label text not null,
      category text not null
    )`);

    this.addSql(`create table accounts (
      id uuid primary key default gen_random_uuid(),
      email citext not null unique check (length(email) <= 254),
      role account_role not null,
      email_verified_at timestamptz,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index accounts_unverified_idx on accounts (created_at) where email_verified_at is null`);

    this.addSql(`create table organisations (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      kind organisation_kind not null,
      time_zone text not null,
      created_at timestamptz not null default now()
    )`);

    // Organisation addresses are public places, so they keep a street address and an exact point.
    this.addSql(`create table organisation_addresses (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      label text not null check (length(label) between 1 and 200),
      street text,
      lat double precision not null check (lat between -90 and 90),
      lon double precision not null check (lon between -180 and 180),
      location geography(Point, 4326) generated always as (st_setsrid(st_makepoint(lon, lat), 4326)::geography) stored,
      is_default boolean not null default false,
      created_at timestamptz not null default now()
    )`);
    this.addSql(
      `create unique index organisation_addresses_one_default on organisation_addresses (organisation_id) where is_default`,
    );

    this.addSql(`create table coordinators (
      account_id uuid primary key references accounts(id) on delete cascade deferrable initially deferred,
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      name text,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index coordinators_organisation_idx on coordinators (organisation_id)`);

    this.addSql(`create table sessions (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts(id) on delete cascade deferrable initially deferred,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`);
    this.addSql(`create index sessions_account_idx on sessions (account_id)`);

    this.addSql(`create table link_tokens (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      purpose link_purpose not null,
      account_id uuid not null references accounts(id) on delete cascade deferrable initially deferred,
      subject_id uuid,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`);
    this.addSql(`create index link_tokens_account_idx on link_tokens (account_id)`);

    this.addSql(`create table api_keys (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      name text not null check (length(name) between 1 and 100),
      prefix text not null,
      key_hash text not null unique,
      created_by uuid references accounts(id) on delete set null deferrable initially deferred,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`);
    this.addSql(`create index api_keys_organisation_idx on api_keys (organisation_id)`);

    this.addSql(`create table volunteers (
      account_id uuid primary key references accounts(id) on delete cascade deferrable initially deferred,
      name text not null check (length(name) between 1 and 100),
      time_zone text not null,
      home_label text,
      home_lat double precision not null check (home_lat between -90 and 90),
      home_lon double precision not null check (home_lon between -180 and 180),
      home geography(Point, 4326) generated always as (st_setsrid(st_makepoint(home_lon, home_lat), 4326)::geography) stored,
      travel_km real not null check (travel_km > 0 and travel_km <= 200),
      travel_m real generated always as (travel_km * 1000) stored,
      skills text[] not null default '{}',
      causes organisation_kind[] not null default '{}',
      weekly_shift_cap smallint not null default 2 check (weekly_shift_cap between 1 and 14),
      status volunteer_status not null default 'active',
      quiet_hours_start time not null default '21:00',
      quiet_hours_end time not null default '08:00',
      offers_consent_at timestamptz,
      check_in_consent_at timestamptz,
      country char(2),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index volunteers_home_gist on volunteers using gist (home)`);
    this.addSql(`create index volunteers_skills_gin on volunteers using gin (skills)`);

    // Windows hold local wall-clock times; the zone is the volunteer's. end <= start means the window
    // crosses midnight into the next day.
    this.addSql(`create table availability_windows (
      id uuid primary key default gen_random_uuid(),
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      weekday smallint not null check (weekday between 1 and 7),
      start_local time not null,
      end_local time not null check (end_local <> start_local)
    )`);
    this.addSql(`create index availability_windows_volunteer_idx on availability_windows (volunteer_id, weekday)`);

    this.addSql(`create table availability_exceptions (
      id uuid primary key default gen_random_uuid(),
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      starts_on date not null,
      ends_on date not null,
      check (ends_on >= starts_on)
    )`);
    this.addSql(`create index availability_exceptions_volunteer_idx on availability_exceptions (volunteer_id)`);

    this.addSql(`create table organisation_blocks (
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      created_at timestamptz not null default now(),
      primary key (organisation_id, volunteer_id)
    )`);

    this.addSql(`create table shift_series (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      address_id uuid not null references organisation_addresses(id) deferrable initially deferred,
      title text not null,
      description text not null default '',
      weekday smallint not null check (weekday between 1 and 7),
      start_local time not null,
      end_local time not null check (end_local <> start_local),
      starts_on date not null,
      until date not null check (until >= starts_on),
      capacity int not null check (capacity between 1 and 500),
      required_skills text[] not null default '{}',
      nice_skills text[] not null default '{}',
      status series_status not null default 'active',
      generated_until date,
      created_at timestamptz not null default now()
    )`);

    this.addSql(`create table shifts (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      series_id uuid references shift_series(id) on delete set null deferrable initially deferred,
      address_id uuid not null references organisation_addresses(id) deferrable initially deferred,
      title text not null check (length(title) between 1 and 200),
      description text not null default '',
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      period tstzrange generated always as (tstzrange(starts_at, ends_at, '[)')) stored,
      lat double precision not null,
      lon double precision not null,
      location geography(Point, 4326) generated always as (st_setsrid(st_makepoint(lon, lat), 4326)::geography) stored,
      capacity int not null check (capacity between 1 and 500),
      filled int not null default 0,
      required_skills text[] not null default '{}',
      nice_skills text[] not null default '{}',
      status shift_status not null default 'draft',
      sequence int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      published_at timestamptz,
      cancelled_at timestamptz,
      check (ends_at > starts_at),
      check (filled >= 0 and filled <= capacity)
    )`);
    this.addSql(`create index shifts_organisation_idx on shifts (organisation_id, starts_at)`);
    this.addSql(`create index shifts_open_idx on shifts (starts_at) where status = 'open'`);
    this.addSql(`create index shifts_location_gist on shifts using gist (location)`);
    this.addSql(
      `create unique index shifts_series_occurrence on shifts (series_id, starts_at) where series_id is not null`,
    );

    // What changed on a shift and when, so booked volunteers can be told.
    this.addSql(`create table shift_changes (
      id bigserial primary key,
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      kind text not null check (kind in ('created','updated','published','cancelled')),
      changes jsonb not null default '{}',
      changed_by uuid references accounts(id) on delete set null deferrable initially deferred,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index shift_changes_shift_idx on shift_changes (shift_id, id)`);

    this.addSql(`create table offers (
      id uuid primary key default gen_random_uuid(),
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      status offer_status not null default 'pending',
      wave int not null default 1,
      score real not null default 0,
      explanation text not null default '',
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      responded_at timestamptz,
      unique (shift_id, volunteer_id)
    )`);
    this.addSql(`create index offers_pending_expiry_idx on offers (expires_at) where status = 'pending'`);
    this.addSql(`create index offers_volunteer_recent_idx on offers (volunteer_id, created_at)`);

    this.addSql(`create table bookings (
      id uuid primary key default gen_random_uuid(),
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      offer_id uuid references offers(id) on delete set null deferrable initially deferred,
      status booking_status not null default 'confirmed',
      period tstzrange not null,
      sequence int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (shift_id, volunteer_id)
    )`);
    // No volunteer can hold two live bookings that overlap in time.
    this.addSql(`alter table bookings add constraint bookings_no_overlap
      exclude using gist (volunteer_id with =, period with &&) where (status in ('confirmed','attended'))`);

    this.addSql(`create table check_ins (
      id uuid primary key default gen_random_uuid(),
      volunteer_id uuid not null references volunteers(account_id) on delete cascade deferrable initially deferred,
      booking_id uuid references bookings(id) on delete set null deferrable initially deferred,
      kind check_in_kind not null,
      status check_in_status not null default 'scheduled',
      due_at timestamptz not null,
      sent_at timestamptz,
      answered_at timestamptz,
      mood smallint check (mood between 1 and 5),
      who5_items smallint[] check (who5_items is null or array_length(who5_items, 1) = 5),
      note_encrypted bytea,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index check_ins_one_per_booking on check_ins (booking_id) where booking_id is not null`);

    // Transactional outbox: rows written with the change they follow, relayed to BullMQ afterwards.
    this.addSql(`create table outbox (
      id bigserial primary key,
      job_name text not null,
      payload jsonb not null,
      job_id text not null unique,
      available_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      relayed_at timestamptz
    )`);
    this.addSql(`create index outbox_pending_idx on outbox (available_at, id) where relayed_at is null`);

    // One row per email that must go out exactly once; (kind, subject) is the idempotency key.
    this.addSql(`create table email_deliveries (
      id bigserial primary key,
      kind text not null,
      subject_id text not null,
      account_id uuid references accounts(id) on delete set null deferrable initially deferred,
      status delivery_status not null,
      message_id text,
      smtp_response text,
      created_at timestamptz not null default now(),
      unique (kind, subject_id)
    )`);
  }

  override down(): void {
    for (const table of [
      'email_deliveries',
      'outbox',
      'check_ins',
      'bookings',
      'offers',
      'shift_changes',
      'shifts',
      'shift_series',
      'organisation_blocks',
      'availability_exceptions',
      'availability_windows',
      'volunteers',
      'api_keys',
      'link_tokens',
      'sessions',
      'coordinators',
      'organisation_addresses',
      'organisations',
      'accounts',
      'skills',
    ]) {
      this.addSql(`drop table if exists ${table} cascade`);
    }
    for (const type of [
      'delivery_status',
      'check_in_status',
      'check_in_kind',
      'booking_status',
      'offer_status',
      'series_status',
      'shift_status',
      'link_purpose',
      'volunteer_status',
      'account_role',
      'organisation_kind',
    ]) {
      this.addSql(`drop type if exists ${type}`);
    }
  }
}
