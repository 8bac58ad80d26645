import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig, NotFoundError, JobName } from '../platform/index.js';
import { formatLocalInterval } from '../organisations/index.js';
import { waveSize } from './core/offer-rules.js';
import { shiftProgress, type ProgressFacts } from './core/shift-progress.js';
import type { MyBookingDto, MyOfferDto, RosterDto, ShiftProgressDto } from './offers.dto.js';

/**
 * Offers written this recently and not emailed yet are "going out"; older ones wait for quiet hours
 * (or a stalled worker) and no longer keep the coordinator's page refreshing.
 */
const SENDING_WINDOW = '5 minutes';
/** A wave asked for this long ago and still not written is no longer shown as being prepared. */
const PREPARING_WINDOW = '2 minutes';

/**
 * A booking's iCalendar SEQUENCE (shifts `s`, bookings `b`): the shift's changes plus the booking's
 * own (cancelling it raises both), so every update or CANCEL of its stable UID counts higher than
 * the last one sent.
 */
export const CALENDAR_SEQUENCE_SQL = '(s.sequence + b.sequence)';

/** Read models of the offer pipeline for volunteers and coordinators. */
@Injectable()
export class OffersQueries {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async myOffers(volunteerId: string): Promise<MyOfferDto[]> {
    const rows = await this.em.fork().execute(
      `select f.id, s.id as shift_id, s.title, o.name as organisation_name, s.starts_at, s.ends_at, f.explanation, f.expires_at, v.time_zone
       from offers f join shifts s on s.id = f.shift_id join organisations o on o.id = s.organisation_id join volunteers v on v.account_id = f.volunteer_id
       where f.volunteer_id = ? and f.status = 'pending' and f.expires_at > now() order by s.starts_at`,
      [volunteerId],
    );
    return rows.map((r) => ({
      offerId: r.id,
      shiftId: r.shift_id,
      title: r.title,
      organisationName: r.organisation_name,
      localTime: formatLocalInterval(new Date(r.starts_at), new Date(r.ends_at), r.time_zone),
      explanation: r.explanation,
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
      bookingId: r.id,
      shiftId: r.shift_id,
      title: r.title,
      organisationName: r.organisation_name,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      localTime: formatLocalInterval(new Date(r.starts_at), new Date(r.ends_at), r.time_zone),
      status: r.status,
    }));
  }

  /** What a "You're booked" page lists: the shift, where and when (in the volunteer's zone). */
  async bookingSummary(bookingId: string): Promise<Array<{ term: string; value: string }>> {
    const [row] = await this.em.fork().execute(
      `select s.title, s.starts_at, s.ends_at, o.name as organisation_name, ad.label as place, ad.street, v.time_zone
         from bookings b join shifts s on s.id = b.shift_id join organisations o on o.id = s.organisation_id
         join organisation_addresses ad on ad.id = s.address_id join volunteers v on v.account_id = b.volunteer_id
        where b.id = ?`,
      [bookingId],
    );
    if (!row) return [];
    return [
      { term: 'Shift', value: row.title },
      { term: 'Where', value: `${row.organisation_name} — ${[row.place, row.street].filter(Boolean).join(', ')}` },
      { term: 'When', value: formatLocalInterval(new Date(row.starts_at), new Date(row.ends_at), row.time_zone) },
    ];
  }

  /** Who is offered and booked on a shift: what a coordinator needs, never wellbeing or contact data. */
  async roster(organisationId: string, shiftId: string): Promise<RosterDto> {
    const em = this.em.fork();
    const [shift] = await em.execute(
      `select id, capacity, filled, status from shifts where id = ? and organisation_id = ?`,
      [shiftId, organisationId],
    );
    if (!shift) throw new NotFoundError('Shift');
    const bookings = await em.execute(
      `select b.id, b.volunteer_id, v.name, b.status, b.cancel_reason from bookings b join volunteers v on v.account_id = b.volunteer_id where b.shift_id = ? order by b.created_at`,
      [shiftId],
    );
    const offers = await em.execute(
      `select f.id, f.volunteer_id, v.name, f.status, f.wave from offers f join volunteers v on v.account_id = f.volunteer_id
       where f.shift_id = ? and f.status <> 'accepted' order by f.wave, f.score desc`,
      [shiftId],
    );
    return {
      shiftId,
      capacity: shift.capacity,
      filled: shift.filled,
      status: shift.status,
      entries: [
        ...bookings.map((b) => ({
          volunteerId: b.volunteer_id,
          name: b.name,
          kind: 'booking',
          status: b.status,
          bookingId: b.id,
          ...(b.cancel_reason ? { cancelReason: b.cancel_reason } : {}),
        })),
        ...offers.map((f) => ({
          volunteerId: f.volunteer_id,
          name: f.name,
          kind: 'offer',
          status: f.status,
          offerId: f.id,
          wave: f.wave,
        })),
      ],
    };
  }

  /**
   * Where a shift's offers stand, from the database alone: offers.sent_at follows the delivery log,
   * so "queued" is written but not yet emailed. A wave is "being prepared" when something asked for
   * one (publish, a decline, an expiry, a cancelled booking) after the last offer was written, the
   * next wave would have offers to send, and the worker has not said there is nobody to ask.
   */
  async progress(organisationId: string, shiftId: string): Promise<ShiftProgressDto> {
    const [row] = await this.em.fork().execute(
      `select s.status, s.capacity, s.filled, s.starts_at, f.*,
              t.at is not null and t.at > coalesce(f.last_offer_at, '-infinity') and t.at > now() - interval '${PREPARING_WINDOW}'
                and not exists (select 1 from outbox x where x.job_id = ? || s.id || '-' || (coalesce(f.last_wave, 0) + 1) and x.created_at >= t.at) as triggered
         from shifts s
         cross join lateral (
           select count(*) filter (where o.status = 'pending' and o.sent_at is null and o.expires_at > now())::int as queued,
                  count(*) filter (where o.status = 'pending' and o.sent_at is null and o.expires_at > now() and o.created_at > now() - interval '${SENDING_WINDOW}')::int as queued_recent,
                  count(*) filter (where o.sent_at is not null)::int as sent,
                  count(*) filter (where o.status = 'pending' and o.sent_at is not null and o.expires_at > now())::int as waiting,
                  count(*) filter (where o.status = 'pending' and o.expires_at > now())::int as pending,
                  count(*) filter (where o.status = 'accepted')::int as accepted,
                  count(*) filter (where o.status = 'declined')::int as declined,
                  count(*) filter (where o.status = 'expired' or (o.status = 'pending' and o.expires_at <= now()))::int as expired,
                  count(*) filter (where o.status = 'withdrawn')::int as withdrawn,
                  max(o.created_at) as last_offer_at, max(o.wave) as last_wave,
                  max(o.responded_at) filter (where o.status in ('declined', 'expired')) as last_freed_at
             from offers o where o.shift_id = s.id) f
         cross join lateral (
           select greatest(s.published_at, f.last_freed_at,
                           (select max(b.updated_at) from bookings b where b.shift_id = s.id and b.status = 'cancelled')) as at) t
        where s.id = ? and s.organisation_id = ?`,
      [`${JobName.NoCandidatesEmail}-`, shiftId, organisationId],
    );
    if (!row) throw new NotFoundError('Shift');
    const facts: ProgressFacts = {
      status: row.status,
      capacity: row.capacity,
      filled: row.filled,
      startsAt: new Date(row.starts_at),
      queued: row.queued,
      queuedRecent: row.queued_recent,
      sent: row.sent,
      waiting: row.waiting,
      accepted: row.accepted,
      declined: row.declined,
      expired: row.expired,
      withdrawn: row.withdrawn,
      preparing:
        Boolean(row.triggered) &&
        waveSize({
          capacity: row.capacity,
          filled: row.filled,
          pending: row.pending,
          fanout: this.config.OFFER_FANOUT,
        }) > 0,
    };
    const progress = shiftProgress(facts, new Date());
    return {
      shiftId,
      ...progress,
      capacity: facts.capacity,
      filled: facts.filled,
      offers: {
        queued: facts.queued,
        sent: facts.sent,
        waiting: facts.waiting,
        accepted: facts.accepted,
        declined: facts.declined,
        expired: facts.expired,
        withdrawn: facts.withdrawn,
      },
    };
  }
}
