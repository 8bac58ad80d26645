import { Migration } from '@mikro-orm/migrations';

/**
 * Wellbeing check-ins: a link purpose for "stop check-ins", opt-in for gentle shift suggestions,
 * and a trigger so that revoking consent or pausing cancels pending check-ins whoever writes it.
 */
export class Wellbeing20261126 extends Migration {
  override up(): void {
    // PostgreSQL ≥ 12 allows this inside the migration's transaction; the value is first used later.
    this.addSql(`alter type link_purpose add value if not exists 'check_in_stop'`);
    this.addSql(
      `alter table volunteers add column suggestions_consent_at timestamptz, add column last_suggestion_at timestamptz`,
    );
    this.addSql(`create index check_ins_volunteer_due_idx on check_ins (volunteer_id, due_at)`);
    this.addSql(`create index check_ins_pending_idx on check_ins (due_at) where status in ('scheduled', 'sent')`);
    this.addSql(`create function wellbeing_cancel_pending_check_ins() returns trigger language plpgsql as $$
      begin
        if (new.check_in_consent_at is null and old.check_in_consent_at is not null)
           or (new.status = 'paused' and old.status <> 'paused') then
          update check_ins set status = 'cancelled' where volunteer_id = new.account_id and status in ('scheduled', 'sent');
        end if;
        return new;
      end $$`);
    this
      .addSql(`create trigger volunteers_cancel_pending_check_ins after update of check_in_consent_at, status on volunteers
      for each row execute function wellbeing_cancel_pending_check_ins()`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists volunteers_cancel_pending_check_ins on volunteers`);
    this.addSql(`drop function if exists wellbeing_cancel_pending_check_ins()`);
    this.addSql(`drop index if exists check_ins_pending_idx`);
    this.addSql(`drop index if exists check_ins_volunteer_due_idx`);
    this.addSql(
      `alter table volunteers drop column if exists suggestions_consent_at, drop column if exists last_suggestion_at`,
    );
  }
}
