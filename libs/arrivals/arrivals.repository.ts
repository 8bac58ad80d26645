import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

export type ArrivalSource = 'qr' | 'kiosk' | 'coordinator';

/** A shift as arrival needs it, with its organisation's clock. */
export interface ArrivalShift {
  id: string;
  organisation_id: string;
  organisation_name: string;
  time_zone: string;
  title: string;
  status: string;
  starts_at: Date;
  ends_at: Date;
}

/** A booking that is not cancelled, with its door record if any. */
export interface BookingArrival {
  booking_id: string;
  status: string;
  arrived_at: Date | null;
  arrived_via: ArrivalSource | null;
  left_at: Date | null;
  left_via: ArrivalSource | null;
}

export interface KioskRow {
  id: string;
  shift_id: string;
  last_activity_at: Date;
  ends_at: Date;
}

export interface KioskPerson {
  booking_id: string;
  name: string;
  arrived_at: Date | null;
  left_at: Date | null;
}

const SHIFT = `select s.id, s.organisation_id, o.name as organisation_name, o.time_zone, s.title, s.status, s.starts_at, s.ends_at
  from shifts s join organisations o on o.id = s.organisation_id`;

const BOOKING_ARRIVAL = `select b.id as booking_id, b.status, a.arrived_at, a.arrived_via, a.left_at, a.left_via
  from bookings b left join arrivals a on a.booking_id = b.id`;

/**
 * Every query of arrival at the door: the arrivals and kiosk_sessions tables, and its reads of
 * shifts, bookings and volunteers. Bookings are never written here — attendance goes through the
 * offers library's BookingsService. Methods taking `tx` run in the caller's transaction.
 */
@Injectable()
export class ArrivalsRepository {
  constructor(private readonly em: EntityManager) {}

  async shift(shiftId: string): Promise<ArrivalShift | undefined> {
    const [row] = await this.em.fork().execute<ArrivalShift[]>(`${SHIFT} where s.id = ?`, [shiftId]);
    return row;
  }

  async shiftOfOrganisation(organisationId: string, shiftId: string): Promise<ArrivalShift | undefined> {
    const [row] = await this.em
      .fork()
      .execute<ArrivalShift[]>(`${SHIFT} where s.id = ? and s.organisation_id = ?`, [shiftId, organisationId]);
    return row;
  }

  /** The volunteer's booking of the shift unless cancelled (a no-show still counts: the person may correct it). */
  async bookingOfVolunteer(
    em: EntityManager,
    shiftId: string,
    volunteerId: string,
  ): Promise<BookingArrival | undefined> {
    const [row] = await em.execute<BookingArrival[]>(
      `${BOOKING_ARRIVAL} where b.shift_id = ? and b.volunteer_id = ? and b.status <> 'cancelled'`,
      [shiftId, volunteerId],
    );
    return row;
  }

  async bookingOfShift(em: EntityManager, shiftId: string, bookingId: string): Promise<BookingArrival | undefined> {
    const [row] = await em.execute<BookingArrival[]>(
      `${BOOKING_ARRIVAL} where b.shift_id = ? and b.id = ? and b.status <> 'cancelled'`,
      [shiftId, bookingId],
    );
    return row;
  }

  /** Serialises door records of one booking: two taps at once give one arrival and one "left". */
  async lockBooking(tx: EntityManager, bookingId: string): Promise<void> {
    await tx.execute(`select 1 from bookings where id = ? for update`, [bookingId]);
  }

  /** Arriving twice keeps the first record: the primary key is the booking. */
  async insertArrival(tx: EntityManager, bookingId: string, shiftId: string, via: ArrivalSource): Promise<boolean> {
    const rows = await tx.execute(
      `insert into arrivals (booking_id, shift_id, arrived_at, arrived_via) values (?, ?, now(), ?)
         on conflict (booking_id) do nothing returning booking_id`,
      [bookingId, shiftId, via],
    );
    return rows.length > 0;
  }

  /** The coordinator's or integrator's times replace the record (the API's PUT). */
  async putArrival(
    tx: EntityManager,
    record: { bookingId: string; shiftId: string; arrivedAt: Date; leftAt: Date | null },
  ): Promise<void> {
    await tx.execute(
      `insert into arrivals (booking_id, shift_id, arrived_at, arrived_via, left_at, left_via) values (?, ?, ?, 'coordinator', ?, ?)
         on conflict (booking_id) do update set arrived_at = excluded.arrived_at, arrived_via = excluded.arrived_via,
           left_at = excluded.left_at, left_via = excluded.left_via`,
      [record.bookingId, record.shiftId, record.arrivedAt, record.leftAt, record.leftAt ? 'coordinator' : null],
    );
  }

  async markLeft(tx: EntityManager, bookingId: string, via: ArrivalSource): Promise<boolean> {
    const rows = await tx.execute(
      `update arrivals set left_at = greatest(now(), arrived_at), left_via = ? where booking_id = ? and left_at is null returning booking_id`,
      [via, bookingId],
    );
    return rows.length > 0;
  }

  /** The door records of a shift's bookings, for its roster. */
  shiftArrivals(shiftId: string): Promise<BookingArrival[]> {
    return this.em
      .fork()
      .execute<BookingArrival[]>(`${BOOKING_ARRIVAL} where b.shift_id = ? and b.status <> 'cancelled'`, [shiftId]);
  }

  // The kiosk.

  async insertKiosk(
    tx: EntityManager,
    kiosk: { shiftId: string; tokenHash: string; openedBy: string; endsAt: Date },
  ): Promise<string> {
    const [row] = await tx.execute<Array<{ id: string }>>(
      `insert into kiosk_sessions (shift_id, token_hash, opened_by, ends_at) values (?, ?, ?, ?) returning id`,
      [kiosk.shiftId, kiosk.tokenHash, kiosk.openedBy, kiosk.endsAt],
    );
    return row.id;
  }

  async kioskByTokenHash(tokenHash: string): Promise<KioskRow | undefined> {
    const [row] = await this.em
      .fork()
      .execute<KioskRow[]>(`select id, shift_id, last_activity_at, ends_at from kiosk_sessions where token_hash = ?`, [
        tokenHash,
      ]);
    return row;
  }

  async touchKiosk(kioskId: string): Promise<void> {
    await this.em.fork().execute(`update kiosk_sessions set last_activity_at = now() where id = ?`, [kioskId]);
  }

  /** Locks a kiosk at once (the "Lock" button): an idle time in the past. */
  async lockKiosk(kioskId: string): Promise<void> {
    await this.em.fork().execute(`update kiosk_sessions set last_activity_at = '-infinity' where id = ?`, [kioskId]);
  }

  /** The people booked on a shift, with only what the kiosk shows: a name to shorten and the door record. */
  kioskPeople(shiftId: string): Promise<KioskPerson[]> {
    return this.em.fork().execute<KioskPerson[]>(
      `select b.id as booking_id, v.name, a.arrived_at, a.left_at
         from bookings b join volunteers v on v.account_id = b.volunteer_id left join arrivals a on a.booking_id = b.id
         where b.shift_id = ? and b.status <> 'cancelled'`,
      [shiftId],
    );
  }

  async volunteerByEmail(email: string): Promise<string | undefined> {
    const [row] = await this.em
      .fork()
      .execute<Array<{ id: string }>>(
        `select a.id from accounts a join volunteers v on v.account_id = a.id where a.email = ? and a.role = 'volunteer'`,
        [email],
      );
    return row?.id;
  }

  // The no-show sweeper.

  /**
   * Unmarked bookings of shifts that ended before `endedBefore` and used arrivals (an arrival
   * recorded or a kiosk opened), locked for the caller's transaction. Shifts that never used
   * arrivals are not looked at, so they keep the grace rule of wellbeing.
   */
  noShowCandidates(tx: EntityManager, endedBefore: Date): Promise<Array<{ id: string }>> {
    return tx.execute(
      `with used as (select shift_id from arrivals union select shift_id from kiosk_sessions)
       select b.id from used u join shifts s on s.id = u.shift_id join bookings b on b.shift_id = s.id
        where s.ends_at <= ? and b.status = 'confirmed'
          and not exists (select 1 from arrivals a where a.booking_id = b.id)
        order by b.id
        limit 1000
        for update of b skip locked`,
      [endedBefore],
    );
  }
}
