import { Migration } from '@mikro-orm/migrations';

/**
 * A coordinator's message to everyone booked on a shift. The recipients are written with the
 * message (the bookings live at that moment), so the worker's fan-out, and any retry of it, mails
 * exactly those people once each, however the roster changes meanwhile. The caps count these rows.
 */
export class RosterMessages20261206 extends Migration {
  override up(): void {
    this.addSql(`create table roster_messages (
      id uuid primary key default gen_random_uuid(),
      shift_id uuid not null references shifts(id) on delete cascade deferrable initially deferred,
      organisation_id uuid not null references organisations(id) on delete cascade deferrable initially deferred,
      sent_by uuid references accounts(id) on delete set null deferrable initially deferred,
      subject text not null check (char_length(subject) between 1 and 120),
      body text not null check (char_length(body) between 1 and 2000),
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index roster_messages_shift_idx on roster_messages (shift_id, created_at)`);
    this.addSql(`create index roster_messages_organisation_idx on roster_messages (organisation_id, created_at)`);
    this.addSql(`create table roster_message_recipients (
      message_id uuid not null references roster_messages(id) on delete cascade deferrable initially deferred,
      booking_id uuid not null references bookings(id) on delete cascade deferrable initially deferred,
      primary key (message_id, booking_id)
    )`);
  }

  override down(): void {
    this.addSql(`drop table if exists roster_message_recipients`);
    this.addSql(`drop table if exists roster_messages`);
  }
}
