import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

/** An attended (or still confirmed) booking whose check-in is due to be scheduled. */
export interface DueBooking {
  booking_id: string;
  volunteer_id: string;
  ends_at: Date;
  time_zone: string;
  quiet_hours_start: string;
  quiet_hours_end: string;
}

export interface NewCheckIn {
  volunteerId: string;
  bookingId: string;
  kind: CheckInKind;
  status: 'scheduled' | 'cancelled';
  dueAt: Date;
}

export type CheckInKind = 'mood' | 'who5';

export interface CheckInMailRow {
  volunteer_id: string;
  kind: CheckInKind;
  email: string;
  name: string;
  title: string | null;
}

export interface ConsentRow {
  check_in_consent_at: Date | null;
  suggestions_consent_at: Date | null;
}

/**
 * Every query of the wellbeing area, including its reads of volunteers, bookings and shifts.
 * Methods taking `tx`/`em` run in the caller's transaction or fork (the service opens it, or
 * sendOnce hands it over); the others are single statements on a fork of their own.
 */
@Injectable()
export class WellbeingRepository {
  constructor(private readonly em: EntityManager) {}

  // Scheduling (WellbeingService.scheduleDue)

  /** Locks the due bookings (skipping those another scheduler holds) for the rest of `tx`. */
  dueBookings(tx: EntityManager, window: { from: Date; to: Date; graceEndedBy: Date }): Promise<DueBooking[]> {
    return tx.execute<DueBooking[]>(
      `select b.id as booking_id, b.volunteer_id, s.ends_at, v.time_zone, v.quiet_hours_start::text, v.quiet_hours_end::text
         from bookings b join shifts s on s.id = b.shift_id join volunteers v on v.account_id = b.volunteer_id
         where v.check_in_consent_at is not null and v.status = 'active'
           and s.ends_at > ? and s.ends_at <= ?
           and (b.status = 'attended' or (b.status = 'confirmed' and s.ends_at <= ?))
           and not exists (select 1 from check_ins c where c.booking_id = b.id)
         order by s.ends_at
         for update of b skip locked`,
      [window.from, window.to, window.graceEndedBy],
    );
  }

  /** Due times of the volunteer's recent check-ins, and when their last WHO-5 went (or was due) out. */
  async checkInHistory(tx: EntityManager, volunteerId: string): Promise<{ recent: Date[]; lastWho5: Date | null }> {
    const [history] = await tx.execute(
      `select coalesce(array_agg(due_at) filter (where status <> 'cancelled' and due_at > now() - interval '8 days'), '{}') as recent,
              max(coalesce(sent_at, due_at)) filter (where kind = 'who5' and status <> 'cancelled') as last_who5
       from check_ins where volunteer_id = ?`,
      [volunteerId],
    );
    return {
      recent: (history.recent as Date[]).map((d) => new Date(d)),
      lastWho5: history.last_who5 ? new Date(history.last_who5) : null,
    };
  }

  /** The new check-in's id, or null when the booking already has one. */
  async insertCheckIn(tx: EntityManager, checkIn: NewCheckIn): Promise<string | null> {
    const [row] = await tx.execute(
      `insert into check_ins (volunteer_id, booking_id, kind, status, due_at) values (?, ?, ?, ?, ?)
       on conflict (booking_id) where booking_id is not null do nothing returning id`,
      [checkIn.volunteerId, checkIn.bookingId, checkIn.kind, checkIn.status, checkIn.dueAt],
    );
    return row ? row.id : null;
  }

  // Answers (WellbeingService.formFor, answer, mine)

  async openCheckIn(checkInId: string | null) {
    const [row] = await this.em.fork().execute<Array<{ kind: CheckInKind; title: string | null }>>(
      `select c.kind, s.title from check_ins c left join bookings b on b.id = c.booking_id left join shifts s on s.id = b.shift_id
       where c.id = ? and c.status in ('scheduled', 'sent')`,
      [checkInId],
    );
    return row;
  }

  async lockOpenCheckIn(tx: EntityManager, checkInId: string | null, volunteerId: string) {
    const [checkIn] = await tx.execute<Array<{ id: string; kind: CheckInKind }>>(
      `select id, kind from check_ins where id = ? and volunteer_id = ? and status in ('scheduled', 'sent') for update`,
      [checkInId, volunteerId],
    );
    return checkIn;
  }

  async recordAnswer(
    tx: EntityManager,
    checkInId: string,
    answer: { mood: number | null; who5: number[] | null; noteEncrypted: Buffer | null },
  ): Promise<void> {
    await tx.execute(
      `update check_ins set status = 'answered', answered_at = now(), mood = ?, who5_items = cast(? as smallint[]), note_encrypted = ? where id = ?`,
      [answer.mood, answer.who5 ? `{${answer.who5.join(',')}}` : null, answer.noteEncrypted, checkInId],
    );
  }

  async volunteerCountry(tx: EntityManager, volunteerId: string): Promise<string | null | undefined> {
    const [volunteer] = await tx.execute(`select country from volunteers where account_id = ?`, [volunteerId]);
    return volunteer?.country;
  }

  checkInsOf(volunteerId: string): Promise<Array<Record<string, any>>> {
    return this.em
      .fork()
      .execute(
        `select id, kind, status, due_at, answered_at, mood, who5_items, note_encrypted from check_ins where volunteer_id = ? order by due_at`,
        [volunteerId],
      );
  }

  // Consent (WellbeingService.consent, setConsent, stop links)

  async consentOf(volunteerId: string) {
    const [row] = await this.em
      .fork()
      .execute<ConsentRow[]>(
        `select check_in_consent_at, suggestions_consent_at from volunteers where account_id = ?`,
        [volunteerId],
      );
    return row;
  }

  async setCheckInConsent(volunteerId: string, on: boolean): Promise<void> {
    await this.em
      .fork()
      .execute(
        `update volunteers set check_in_consent_at = case when ? then coalesce(check_in_consent_at, now()) end where account_id = ?`,
        [on, volunteerId],
      );
  }

  async setSuggestionsConsent(volunteerId: string, on: boolean): Promise<void> {
    await this.em
      .fork()
      .execute(
        `update volunteers set suggestions_consent_at = case when ? then coalesce(suggestions_consent_at, now()) end where account_id = ?`,
        [on, volunteerId],
      );
  }

  // The volunteer's wellbeing page

  async volunteerZoneAndCountry(volunteerId: string) {
    const [row] = await this.em
      .fork()
      .execute<Array<{ time_zone: string; country: string | null }>>(
        `select time_zone, country from volunteers where account_id = ?`,
        [volunteerId],
      );
    return row;
  }

  attendedShiftStarts(volunteerId: string, from: Date): Promise<Array<{ starts_at: Date }>> {
    return this.em.fork().execute(
      `select s.starts_at from bookings b join shifts s on s.id = b.shift_id
        where b.volunteer_id = ? and b.status = 'attended' and s.starts_at >= ? order by s.starts_at`,
      [volunteerId, from],
    );
  }

  // Mail (WellbeingMailService), in the fork sendOnce hands over

  /** Only a check-in still scheduled, of an active volunteer who still consents. */
  async checkInMail(em: EntityManager, checkInId: string): Promise<CheckInMailRow | undefined> {
    const [row] = await em.execute<CheckInMailRow[]>(
      `select c.volunteer_id, c.kind, a.email, v.name, s.title from check_ins c
         join volunteers v on v.account_id = c.volunteer_id join accounts a on a.id = c.volunteer_id
         left join bookings b on b.id = c.booking_id left join shifts s on s.id = b.shift_id
         where c.id = ? and c.status = 'scheduled' and v.check_in_consent_at is not null and v.status = 'active'`,
      [checkInId],
    );
    return row;
  }

  async markCheckInSent(em: EntityManager, checkInId: string): Promise<void> {
    await em.execute(`update check_ins set status = 'sent', sent_at = now() where id = ?`, [checkInId]);
  }

  /** Verified, active volunteers who asked for suggestions, got none for 30 days and have not volunteered since. */
  quietVolunteers(): Promise<Array<{ account_id: string }>> {
    return this.em.fork().execute(
      `select v.account_id from volunteers v join accounts a on a.id = v.account_id
       where v.suggestions_consent_at is not null and v.status = 'active' and a.email_verified_at is not null
         and (v.last_suggestion_at is null or v.last_suggestion_at < now() - interval '30 days')
         and not exists (select 1 from bookings b join shifts s on s.id = b.shift_id
                         where b.volunteer_id = v.account_id and b.status in ('confirmed', 'attended') and s.ends_at > now() - interval '30 days')
       limit 500`,
    );
  }

  /** Up to three of `shiftIds` that belong to a series, with what the mail says about them and the volunteer. */
  suggestedShifts(em: EntityManager, shiftIds: string[], volunteerId: string): Promise<Array<Record<string, any>>> {
    return em.execute(
      `select s.id, s.title, s.starts_at, s.ends_at, o.name as organisation_name, v.time_zone, v.name as volunteer_name, a.email
           from shifts s join organisations o on o.id = s.organisation_id, volunteers v join accounts a on a.id = v.account_id
           where s.id = any(cast(? as uuid[])) and s.series_id is not null and v.account_id = ? order by s.starts_at limit 3`,
      [`{${shiftIds.join(',')}}`, volunteerId],
    );
  }

  async markSuggestionSent(em: EntityManager, volunteerId: string): Promise<void> {
    await em.execute(`update volunteers set last_suggestion_at = now() where account_id = ?`, [volunteerId]);
  }
}
