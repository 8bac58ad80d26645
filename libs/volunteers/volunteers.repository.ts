import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { databaseKnowsZone, pgArray } from '../platform/index.js';
import { Account } from '../identity/index.js';
import { AvailabilityException, AvailabilityWindow, Volunteer } from './volunteer.entities.js';

/** A weekly window as the service hands it over (local wall-clock times). */
export interface WindowInput {
  weekday: number;
  start: string;
  end: string;
}

/** Every query of the volunteers area. Methods taking `tx` run inside the service's transaction. */
@Injectable()
export class VolunteersRepository {
  constructor(private readonly em: EntityManager) {}

  knowsZone(zone: string): Promise<boolean> {
    return databaseKnowsZone(this.em.fork(), zone);
  }

  /** Queues the profile row in the unit of work; the service flushes it. */
  addProfile(tx: EntityManager, fields: Partial<Volunteer> & { accountId: string }): void {
    tx.persist(tx.create(Volunteer, fields as Volunteer));
  }

  addAvailability(
    tx: EntityManager,
    volunteerId: string,
    windows: WindowInput[],
    exceptions: Array<{ startsOn: string; endsOn: string }>,
  ): void {
    for (const window of windows) {
      tx.persist(
        tx.create(AvailabilityWindow, {
          volunteerId,
          weekday: window.weekday,
          startLocal: window.start,
          endLocal: window.end,
        } as AvailabilityWindow),
      );
    }
    for (const exception of exceptions) {
      tx.persist(
        tx.create(AvailabilityException, {
          volunteerId,
          startsOn: exception.startsOn,
          endsOn: exception.endsOn,
        } as AvailabilityException),
      );
    }
  }

  /** The account, profile and availability behind the profile page and GET /api/me (one fork). */
  async profileOf(accountId: string): Promise<{
    account: Account | null;
    volunteer: Volunteer | null;
    windows: AvailabilityWindow[];
    exceptions: AvailabilityException[];
  }> {
    const em = this.em.fork();
    const account = await em.findOne(Account, { id: accountId });
    const volunteer = await em.findOne(Volunteer, { accountId });
    if (!account || !volunteer) return { account, volunteer, windows: [], exceptions: [] };
    const windows = await em.find(
      AvailabilityWindow,
      { volunteerId: accountId },
      { orderBy: { weekday: 'asc', startLocal: 'asc' } },
    );
    const exceptions = await em.find(
      AvailabilityException,
      { volunteerId: accountId },
      { orderBy: { startsOn: 'asc' } },
    );
    return { account, volunteer, windows, exceptions };
  }

  findProfile(tx: EntityManager, accountId: string): Promise<Volunteer | null> {
    return tx.findOne(Volunteer, { accountId });
  }

  windowsOf(tx: EntityManager, volunteerId: string): Promise<AvailabilityWindow[]> {
    return tx.find(AvailabilityWindow, { volunteerId });
  }

  exceptionsOf(tx: EntityManager, volunteerId: string): Promise<AvailabilityException[]> {
    return tx.find(AvailabilityException, { volunteerId });
  }

  async deleteAvailability(tx: EntityManager, volunteerId: string): Promise<void> {
    await tx.nativeDelete(AvailabilityWindow, { volunteerId });
    await tx.nativeDelete(AvailabilityException, { volunteerId });
  }

  /** Display names of volunteers by account id (rosters, offers lists). */
  async displayNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ account_id: string; name: string }> = await this.em
      .fork()
      .execute(`select account_id, name from volunteers where account_id = any(cast(? as uuid[]))`, [pgArray(ids)]);
    return new Map(rows.map((row) => [row.account_id, row.name]));
  }

  // The data export: each part of the document as stored.

  async exportAccount(accountId: string) {
    return (await this.q(`select email, role, email_verified_at, created_at from accounts where id = ?`, accountId))[0];
  }

  async exportConsents(accountId: string) {
    return (
      await this.q(`select offers_consent_at, check_in_consent_at from volunteers where account_id = ?`, accountId)
    )[0];
  }

  exportOffers(accountId: string) {
    return this.q(
      `select o.id, o.shift_id, s.title, s.starts_at, o.status, o.explanation, o.created_at, o.responded_at
                       from offers o join shifts s on s.id = o.shift_id where o.volunteer_id = ? order by o.created_at`,
      accountId,
    );
  }

  exportBookings(accountId: string) {
    return this.q(
      `select b.id, b.shift_id, s.title, lower(b.period) as starts_at, upper(b.period) as ends_at, b.status, b.cancel_reason, b.created_at,
              a.arrived_at, a.arrived_via, a.left_at, a.left_via
         from bookings b join shifts s on s.id = b.shift_id left join arrivals a on a.booking_id = b.id
         where b.volunteer_id = ? order by b.created_at`,
      accountId,
    );
  }

  /** The raw hours ledger rows (credited minutes are derived; GET /api/me/hours shows them computed). */
  exportHours(accountId: string) {
    return this.q(
      `select e.id, e.kind, e.status, o.name as organisation, e.booking_id, e.work_date::text, e.starts_at, e.ends_at,
              e.logged_minutes, e.description, e.adjusted_minutes, e.adjust_reason, e.decided_at, e.decision_note,
              e.voided_at, e.created_at
         from hours_entries e join organisations o on o.id = e.organisation_id where e.volunteer_id = ? order by e.created_at`,
      accountId,
    );
  }

  exportHoursStatements(accountId: string) {
    return this.q(
      `select ref, organisation_id, period_from::text, period_to::text, total_minutes, entry_count, issued_at
         from hours_statements where volunteer_id = ? order by issued_at`,
      accountId,
    );
  }

  exportSessions(accountId: string) {
    return this.q(`select created_at, expires_at from sessions where account_id = ?`, accountId);
  }

  exportEmails(accountId: string) {
    return this.q(
      `select kind, status, created_at from email_deliveries where account_id = ? order by created_at`,
      accountId,
    );
  }

  exportEmailChanges(accountId: string) {
    return this.q(
      `select old_email, new_email, created_at, confirmed_at, cancelled_at from email_changes where account_id = ? order by created_at`,
      accountId,
    );
  }

  // Account deletion, in the order VolunteersService.deleteAccount runs these inside its transaction.

  /** Locks the shifts of the volunteer's confirmed bookings and pending offers, in id order. */
  async lockShiftsOf(tx: EntityManager, accountId: string): Promise<void> {
    await tx.execute(
      `select 1 from shifts where id in (select shift_id from bookings where volunteer_id = ? and status = 'confirmed'
                                           union select shift_id from offers where volunteer_id = ? and status = 'pending')
          order by id for update`,
      [accountId, accountId],
    );
  }

  /** Locks the live profile; false when it is already gone. */
  async lockLiveProfile(tx: EntityManager, accountId: string): Promise<boolean> {
    const [live] = await tx.execute(`select 1 from volunteers where account_id = ? and deleted_at is null for update`, [
      accountId,
    ]);
    return Boolean(live);
  }

  async hasHistory(tx: EntityManager, accountId: string): Promise<boolean> {
    const [history] = await tx.execute(
      `select exists (select 1 from bookings where volunteer_id = ?) or exists (select 1 from offers where volunteer_id = ?) as any`,
      [accountId, accountId],
    );
    return Boolean(history.any);
  }

  /** The account row and its delivery log. */
  async deleteAccountRows(tx: EntityManager, accountId: string): Promise<void> {
    // The delivery log's SMTP replies may quote the address.
    await tx.execute(`delete from email_deliveries where account_id = ?`, [accountId]);
    await tx.execute(`delete from accounts where id = ?`, [accountId]);
  }

  /** A new anonymous account and profile that keeps the history; returns its id. */
  async insertFormerVolunteer(tx: EntityManager, name: string): Promise<string> {
    const [former] = await tx.execute(`insert into accounts (email, role) values (null, 'volunteer') returning id`);
    await tx.execute(
      `insert into volunteers (account_id, name, time_zone, status, deleted_at) values (?, ?, 'UTC', 'paused', now())`,
      [former.id, name],
    );
    return former.id;
  }

  withdrawPendingOffers(tx: EntityManager, accountId: string): Promise<Array<{ id: string; shift_id: string }>> {
    return tx.execute(
      `update offers set status = 'withdrawn', responded_at = now() where volunteer_id = ? and status = 'pending' returning id, shift_id`,
      [accountId],
    );
  }

  /** Moves offers, bookings and cover requests to the former volunteer; an offer's explanation describes the person: not kept. */
  async handOverHistory(tx: EntityManager, accountId: string, formerId: string): Promise<void> {
    await tx.execute(`update offers set volunteer_id = ?, explanation = '', score = 0 where volunteer_id = ?`, [
      formerId,
      accountId,
    ]);
    await tx.execute(`update bookings set volunteer_id = ?, updated_at = now() where volunteer_id = ?`, [
      formerId,
      accountId,
    ]);
    // Their open cover requests end with the places they were for (cancelled next), and the
    // other volunteers' pending cover offers with them; the requests' history stays, as the former volunteer's.
    await tx.execute(
      `with r as (update cover_requests set status = 'withdrawn', resolved_at = now() where volunteer_id = ? and status = 'open' returning id)
       update offers set status = 'withdrawn', responded_at = now() where status = 'pending' and cover_request_id in (select id from r)`,
      [accountId],
    );
    await tx.execute(`update cover_requests set volunteer_id = ? where volunteer_id = ?`, [formerId, accountId]);
  }

  cancelUpcomingBookings(
    tx: EntityManager,
    formerId: string,
  ): Promise<Array<{ id: string; shift_id: string; role_id: string }>> {
    return tx.execute(
      `update bookings b set status = 'cancelled', updated_at = now(), sequence = b.sequence + 1
           from shifts s where b.volunteer_id = ? and b.status = 'confirmed' and s.id = b.shift_id and s.starts_at > now()
         returning b.id, b.shift_id, b.role_id`,
      [formerId],
    );
  }

  /** The shift's total, then the booking's role (the lock order of every seat move, ADR 0029). */
  async freeSeat(tx: EntityManager, shiftId: string, roleId: string): Promise<void> {
    await tx.execute(
      `with s as (update shifts set filled = filled - 1, updated_at = now(),
                  status = case when status = 'full' then 'open'::shift_status else status end where id = ? returning id)
       update shift_roles r set filled = r.filled - 1 from s where r.id = ? and r.shift_id = s.id`,
      [shiftId, roleId],
    );
  }

  private q(sql: string, accountId: string): Promise<any[]> {
    return this.em.fork().execute(sql, [accountId]);
  }
}
