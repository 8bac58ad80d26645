import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../http/index.js';
import { formatLocalInterval } from '../organisations/shifts.service.js';
import type { MyBookingDto, MyOfferDto, RosterDto } from './offers.dto.js';

/**
 * A booking's iCalendar SEQUENCE (shifts `s`, bookings `b`): the shift's changes plus the booking's
 * own (cancelling it raises both), so every update or CANCEL of its stable UID counts higher than
 * the last one sent.
 */
export const CALENDAR_SEQUENCE_SQL = '(s.sequence + b.sequence)';

/** Read models of the offer pipeline for volunteers and coordinators. */
@Injectable()
export class OffersQueries {
  constructor(private readonly em: EntityManager) {}

  async myOffers(volunteerId: string): Promise<MyOfferDto[]> {
    const rows = await this.em.fork().execute(
      `select f.id, s.id as shift_id, s.title, o.name as organisation_name, s.starts_at, s.ends_at, f.explanation, f.expires_at, v.time_zone
       from offers f join shifts s on s.id = f.shift_id join organisations o on o.id = s.organisation_id join volunteers v on v.account_id = f.volunteer_id
       where f.volunteer_id = ? and f.status = 'pending' and f.expires_at > now() order by s.starts_at`,
      [volunteerId],
    );
    return rows.map((r) => ({
      offerId: r.id, shiftId: r.shift_id, title: r.title, organisationName: r.organisation_name,
      localTime: formatLocalInterval(new Date(r.starts_at), new Date(r.ends_at), r.time_zone), explanation: r.explanation,
      expiresAt: new Date(r.expires_at).toISOString(),
    }));
  }

  async myBookings(volunteerId: string): Promise<MyBookingDto[]> {
    const rows = await this.em.fork().execute(
      `select b.id, s.id as shift_id, s.title, o.name as organisation_name, s.starts_at, s.ends_at, b.status, v.time_zone
       from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id join volunteers v on v.account_id = b.volunteer_id
       where b.volunteer_id = ? order by s.starts_at desc limit 200`,
      [volunteerId],
    );
    return rows.map((r) => ({
      bookingId: r.id, shiftId: r.shift_id, title: r.title, organisationName: r.organisation_name,
      startsAt: new Date(r.starts_at).toISOString(), endsAt: new Date(r.ends_at).toISOString(),
      localTime: formatLocalInterval(new Date(r.starts_at), new Date(r.ends_at), r.time_zone), status: r.status,
    }));
  }

  /** Who is offered and booked on a shift: what a coordinator needs, never wellbeing or contact data. */
  async roster(organisationId: string, shiftId: string): Promise<RosterDto> {
    const em = this.em.fork();
    const [shift] = await em.execute(`select id, capacity, filled, status from shifts where id = ? and organisation_id = ?`, [shiftId, organisationId]);
    if (!shift) throw new NotFoundError('Shift');
    const bookings = await em.execute(
      `select b.id, b.volunteer_id, v.name, b.status from bookings b join volunteers v on v.account_id = b.volunteer_id where b.shift_id = ? order by b.created_at`,
      [shiftId],
    );
    const offers = await em.execute(
      `select f.id, f.volunteer_id, v.name, f.status, f.wave from offers f join volunteers v on v.account_id = f.volunteer_id
       where f.shift_id = ? and f.status <> 'accepted' order by f.wave, f.score desc`,
      [shiftId],
    );
    return {
      shiftId, capacity: shift.capacity, filled: shift.filled, status: shift.status,
      entries: [
        ...bookings.map((b) => ({ volunteerId: b.volunteer_id, name: b.name, kind: 'booking', status: b.status, bookingId: b.id })),
        ...offers.map((f) => ({ volunteerId: f.volunteer_id, name: f.name, kind: 'offer', status: f.status, offerId: f.id, wave: f.wave })),
      ],
    };
  }
}
