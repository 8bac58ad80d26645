import { Migration } from '@mikro-orm/migrations';

/**
 * Deleting a volunteer's account keeps the organisations' history true without keeping the person.
 * The account is still deleted (its cascades take profile, availability, blocks, check-ins,
 * sessions and tokens), but its bookings and offers are first handed to a new, per-deletion
 * "former volunteer": an account without email and a profile without home, skills or consents,
 * marked `deleted_at`. Rosters, fill counts, attendance and hours stay as they were; the new id is
 * linked to nothing the person left behind, and a future table referencing volunteers is erased
 * with the account by default.
 */
export class FormerVolunteers20261203 extends Migration {
  override up(): void {
    this.addSql(`alter table accounts alter column email drop not null`);
    this.addSql(`alter table volunteers add column deleted_at timestamptz,
      alter column home_lat drop not null, alter column home_lon drop not null, alter column travel_km drop not null`);
    // A living profile is complete; a former one holds nothing about anyone (no home means no
    // geography, so no search — shift's or volunteer's — ever walks past it).
    this.addSql(`alter table volunteers add constraint volunteers_former_anonymous check (
      case when deleted_at is null then home_lat is not null and home_lon is not null and travel_km is not null
           else name = 'Former volunteer' and home_lat is null and home_lon is null and travel_km is null and home_label is null
                and country is null and skills = '{}' and causes = '{}' and status = 'paused' and offers_consent_at is null
                and check_in_consent_at is null and suggestions_consent_at is null end)`);
  }

  override down(): void {
    this.addSql(`delete from accounts where id in (select account_id from volunteers where deleted_at is not null)`);
    this.addSql(`alter table volunteers drop constraint if exists volunteers_former_anonymous`);
    this.addSql(`alter table volunteers drop column if exists deleted_at,
      alter column home_lat set not null, alter column home_lon set not null, alter column travel_km set not null`);
    this.addSql(`alter table accounts alter column email set not null`);
  }
}
