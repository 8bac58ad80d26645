import { Migration } from '@mikro-orm/migrations';

/**
 * A roster message can go to one role of a shift (ADR 0029). The role's name is kept with the
 * message so its log still says who it went to after the role is renamed or, once its bookings
 * are gone, removed (the id is then cleared; the name stays).
 */
export class RosterMessageRoles20261206 extends Migration {
  override up(): void {
    this.addSql(`alter table roster_messages
      add column role_id uuid references shift_roles(id) on delete set null deferrable initially deferred,
      add column role_name text`);
  }

  override down(): void {
    this.addSql(`alter table roster_messages drop column if exists role_id, drop column if exists role_name`);
  }
}
