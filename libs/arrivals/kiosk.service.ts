import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { hashToken, safeEqual } from '../common/index.js';
import { APP_CONFIG, type AppConfig, DomainError, NotFoundError } from '../platform/index.js';
import { BookingsService } from '../offers/index.js';
import { arrivalKey, kioskFormToken, kioskName, kioskState, tapAction } from './core/arrival-rules.js';
import { type ArrivalRecord, ArrivalRecordsService, toRecord } from './arrival-records.service.js';
import { KioskLockedError } from './arrivals.errors.js';
import { type ArrivalShift, ArrivalsRepository } from './arrivals.repository.js';

export interface KioskView {
  kioskId: string;
  shift: ArrivalShift;
  formToken: string;
  people: Array<{ bookingId: string; name: string; arrivedAt: Date | null; leftAt: Date | null }>;
}

export type WalkInOutcome = 'added' | 'already-booked' | 'not-added';

/**
 * The kiosk on a shared tablet, once a coordinator has opened it (ArrivalsService.openKiosk): its
 * list of names, taps, walk-ins and locking. Every use goes through the kiosk's cookie token.
 */
@Injectable()
export class KioskService {
  private readonly key: Buffer;

  constructor(
    private readonly em: EntityManager,
    private readonly repo: ArrivalsRepository,
    private readonly records: ArrivalRecordsService,
    private readonly bookings: BookingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = arrivalKey(config.SESSION_SECRET);
  }

  /** The open kiosk of a token, or KioskLockedError; every successful use keeps it awake. */
  private async kiosk(token: string | undefined) {
    if (!token || token.length > 128) throw new KioskLockedError();
    const row = await this.repo.kioskByTokenHash(hashToken(token, this.config.SESSION_SECRET));
    if (!row) throw new KioskLockedError();
    const state = kioskState(
      { lastActivityAt: new Date(row.last_activity_at), endsAt: new Date(row.ends_at) },
      new Date(),
      this.config.KIOSK_IDLE_MINUTES,
    );
    if (state !== 'open') throw new KioskLockedError();
    return row;
  }

  /** The kiosk's list: first name and last initial only, in name order. */
  async kioskView(token: string | undefined): Promise<KioskView> {
    const kiosk = await this.kiosk(token);
    const [shift, people] = await Promise.all([this.repo.shift(kiosk.shift_id), this.repo.kioskPeople(kiosk.shift_id)]);
    if (!shift) throw new KioskLockedError();
    return {
      kioskId: kiosk.id,
      shift,
      formToken: kioskFormToken(this.key, token as string),
      people: people
        .map((p) => ({
          bookingId: p.booking_id,
          name: kioskName(p.name),
          arrivedAt: p.arrived_at ? new Date(p.arrived_at) : null,
          leftAt: p.left_at ? new Date(p.left_at) : null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.bookingId.localeCompare(b.bookingId)),
    };
  }

  /** The kiosk's forms carry a token bound to its own cookie. */
  kioskFormValid(token: string | undefined, formToken: string | undefined): boolean {
    if (!token || !formToken) return false;
    return safeEqual(kioskFormToken(this.key, token), formToken);
  }

  /**
   * A tap on a name: arrived if not yet, else left; a tap after leaving, or a second tap within a
   * minute of arriving (a double tap), changes nothing. Under a lock of the booking, so two taps at
   * once are one arrival.
   */
  async kioskTap(token: string | undefined, bookingId: string): Promise<{ name: string; record: ArrivalRecord }> {
    const kiosk = await this.kiosk(token);
    const record = await this.em.fork().transactional(async (tx) => {
      const row = await this.repo.bookingOfShift(tx, kiosk.shift_id, bookingId);
      if (!row) throw new NotFoundError('Booking');
      const action = tapAction(toRecord(row), new Date());
      if (action === 'arrive') return this.records.arrive(tx, kiosk.shift_id, bookingId, 'kiosk');
      if (action === 'leave') return this.records.leave(tx, kiosk.shift_id, bookingId, 'kiosk');
      return toRecord(row);
    });
    await this.repo.touchKiosk(kiosk.id);
    const person = (await this.repo.kioskPeople(kiosk.shift_id)).find((p) => p.booking_id === bookingId);
    return { name: kioskName(person?.name ?? ''), record };
  }

  /**
   * A walk-in: a registered volunteer, by their exact email, gets a booking if a place is free and
   * they have no overlapping booking, and is marked arrived. The answer is the same "not added"
   * whether the email is unknown or the booking impossible, so the kiosk tells nobody who has an account.
   */
  async kioskWalkIn(token: string | undefined, email: string): Promise<WalkInOutcome> {
    const kiosk = await this.kiosk(token);
    await this.repo.touchKiosk(kiosk.id);
    const volunteerId = email ? await this.repo.volunteerByEmail(email.trim()) : undefined;
    if (!volunteerId) return 'not-added';
    try {
      return await this.em.fork().transactional(async (tx) => {
        const booking = await this.bookings.bookWalkIn(tx, kiosk.shift_id, volunteerId);
        await this.records.arrive(tx, kiosk.shift_id, booking.bookingId, 'kiosk');
        return booking.alreadyBooked ? 'already-booked' : 'added';
      });
    } catch (error) {
      // Full, cancelled, overlapping (also by the no-overlap constraint, 23P01): not added.
      if (error instanceof DomainError || (error as { code?: string }).code === '23P01') return 'not-added';
      throw error;
    }
  }

  async lockKiosk(token: string | undefined): Promise<void> {
    const kiosk = await this.kiosk(token).catch(() => null);
    if (kiosk) await this.repo.lockKiosk(kiosk.id);
  }
}
