import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { generateToken, hashToken } from '../common/index.js';
import {
  APP_CONFIG,
  type AppConfig,
  ConflictError,
  type FieldProblem,
  InvalidInputError,
  NotFoundError,
} from '../platform/index.js';
import { BookingsService } from '../offers/index.js';
import {
  arrivalKey,
  arrivalSecret,
  arrivalWindow,
  type ArrivalWindow,
  secretMatches,
  windowState,
} from './core/arrival-rules.js';
import { type ArrivalRecord, ArrivalRecordsService, toRecord } from './arrival-records.service.js';
import { ArrivalRefusedError } from './arrivals.errors.js';
import { type ArrivalShift, ArrivalsRepository, type BookingArrival } from './arrivals.repository.js';

/** What the QR page shows a volunteer: the shift and their own record. */
export interface MyArrival {
  shift: ArrivalShift;
  window: ArrivalWindow;
  record: ArrivalRecord;
}

export interface OpenedKiosk {
  token: string;
  endsAt: Date;
}

/** Times from another system's clock may run a little ahead of ours. */
const CLOCK_SKEW_MS = 2 * 60_000;

const arrivalDto = (record: ArrivalRecord) => ({
  bookingId: record.bookingId,
  bookingStatus: record.bookingStatus,
  arrivedAt: record.arrivedAt?.toISOString() ?? null,
  arrivedVia: record.arrivedVia,
  leftAt: record.leftAt?.toISOString() ?? null,
  leftVia: record.leftVia,
});

/**
 * Arrival at the door: the volunteer's QR scan ("I'm here", "I'm leaving"), the arrival window, the
 * coordinator's marks on the roster and opening the kiosk, and the integrators' API. The kiosk itself
 * is KioskService and the no-show sweep NoShowsService; arriving and leaving, here and at the kiosk,
 * go through ArrivalRecordsService.
 */
@Injectable()
export class ArrivalsService {
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

  /** The path printed in the shift's QR code. */
  arrivalPath(shiftId: string): string {
    return `/arrive/${shiftId}/${arrivalSecret(this.key, shiftId)}`;
  }

  windowOf(shift: { starts_at: Date; ends_at: Date }): ArrivalWindow {
    return arrivalWindow(
      { startsAt: new Date(shift.starts_at), endsAt: new Date(shift.ends_at) },
      {
        opensMinutesBefore: this.config.ARRIVAL_OPENS_MINUTES_BEFORE,
        closesMinutesAfter: this.config.ARRIVAL_CLOSES_MINUTES_AFTER,
      },
    );
  }

  /** A QR link's shift, if its secret is the shift's and its window is open; anything else is refused. */
  async scannedShift(shiftId: string, secret: string): Promise<{ shift: ArrivalShift; window: ArrivalWindow }> {
    const shift = secretMatches(this.key, shiftId, secret) ? await this.repo.shift(shiftId) : undefined;
    if (!shift || shift.status === 'draft')
      throw new ArrivalRefusedError(
        'wrong-code',
        'This code does not belong to a shift we know. Scan the code on the poster at the door of your shift.',
      );
    return { shift, window: this.openWindow(shift) };
  }

  private openWindow(shift: ArrivalShift): ArrivalWindow {
    if (shift.status === 'cancelled')
      throw new ArrivalRefusedError('cancelled-shift', 'This shift was cancelled, so there is nothing to arrive for.');
    const window = this.windowOf(shift);
    const state = windowState(window, new Date());
    if (state === 'before')
      throw new ArrivalRefusedError(
        'not-yet',
        'Arrival for this shift opens a little before it starts.',
        shift,
        window,
      );
    if (state === 'after') throw new ArrivalRefusedError('closed', 'Arrival for this shift has closed.', shift, window);
    return window;
  }

  /** What the QR page shows: the volunteer's own booking on the shift and its door record. */
  async myArrival(volunteerId: string, shiftId: string, secret: string): Promise<MyArrival> {
    const { shift, window } = await this.scannedShift(shiftId, secret);
    const row = await this.repo.bookingOfVolunteer(this.em.fork(), shiftId, volunteerId);
    if (!row) throw this.noBooking(shift);
    return { shift, window, record: toRecord(row) };
  }

  /** "I'm here": one record per booking; scanning again keeps the first time. */
  async arriveByQr(volunteerId: string, shiftId: string, secret: string): Promise<MyArrival> {
    const { shift, window } = await this.scannedShift(shiftId, secret);
    const record = await this.em.fork().transactional(async (tx) => {
      const row = await this.repo.bookingOfVolunteer(tx, shiftId, volunteerId);
      if (!row) throw this.noBooking(shift);
      return this.records.arrive(tx, shiftId, row.booking_id, 'qr');
    });
    return { shift, window, record };
  }

  /** "I'm leaving": only after arriving; leaving twice keeps the first time. */
  async leaveByQr(volunteerId: string, shiftId: string, secret: string): Promise<MyArrival> {
    const { shift, window } = await this.scannedShift(shiftId, secret);
    const record = await this.em.fork().transactional(async (tx) => {
      const row = await this.repo.bookingOfVolunteer(tx, shiftId, volunteerId);
      if (!row) throw this.noBooking(shift);
      return this.records.leave(tx, shiftId, row.booking_id, 'qr');
    });
    return { shift, window, record };
  }

  /**
   * A volunteer without a booking who scans the code before the start: they may join through the
   * usual self-booking (every hard rule of matching but "offered", the database-enforced seat) and
   * are marked arrived. Its refusals (full, does not fit) are the offers library's own words.
   */
  async joinByQr(volunteerId: string, shiftId: string, secret: string): Promise<MyArrival> {
    await this.scannedShift(shiftId, secret);
    await this.bookings.bookShift(volunteerId, shiftId);
    return this.arriveByQr(volunteerId, shiftId, secret);
  }

  /** Whether a scan without a booking may offer "Join this shift": open (a free place) and not started. */
  canJoin(shift: ArrivalShift): boolean {
    return shift.status === 'open' && new Date(shift.starts_at).getTime() > Date.now();
  }

  private noBooking(shift: ArrivalShift) {
    return new ArrivalRefusedError(
      'no-booking',
      'We have no booking of yours for this shift. Ask the coordinator at the door: they can add you at the kiosk.',
      shift,
    );
  }

  // The coordinator.

  /** The door records of a shift's bookings for its roster, by booking id. */
  async rosterArrivals(
    organisationId: string,
    shiftId: string,
  ): Promise<{ shift: ArrivalShift; window: ArrivalWindow; records: Map<string, ArrivalRecord> } | null> {
    const shift = await this.repo.shiftOfOrganisation(organisationId, shiftId);
    if (!shift) return null;
    const rows = await this.repo.shiftArrivals(shiftId);
    return { shift, window: this.windowOf(shift), records: new Map(rows.map((r) => [r.booking_id, toRecord(r)])) };
  }

  /** The coordinator marks someone arrived or left, from the time arrival opens (also after it closes, to correct). */
  async markByCoordinator(
    organisationId: string,
    shiftId: string,
    bookingId: string,
    action: 'arrived' | 'left',
  ): Promise<ArrivalRecord> {
    const shift = await this.repo.shiftOfOrganisation(organisationId, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    const window = this.windowOf(shift);
    if (windowState(window, new Date()) === 'before')
      throw new ConflictError('arrival-not-open', 'Arrivals can be marked from an hour or so before the shift starts.');
    return this.em.fork().transactional(async (tx) => {
      const row = await this.repo.bookingOfShift(tx, shiftId, bookingId);
      if (!row) throw new NotFoundError('Booking');
      return action === 'arrived'
        ? this.records.arrive(tx, shiftId, bookingId, 'coordinator')
        : this.records.leave(tx, shiftId, bookingId, 'coordinator');
    });
  }

  /** The API's list: every live booking's door record and the window. */
  async listArrivals(organisationId: string, shiftId: string) {
    const found = await this.rosterArrivals(organisationId, shiftId);
    if (!found) throw new NotFoundError('Shift');
    return {
      shiftId,
      opensAt: found.window.opensAt.toISOString(),
      closesAt: found.window.closesAt.toISOString(),
      arrivals: [...found.records.values()].map(arrivalDto),
    };
  }

  /** The API's PUT: the coordinator's times for one booking, checked against the window and the clock. */
  async putArrival(
    organisationId: string,
    shiftId: string,
    bookingId: string,
    times: { arrivedAt: Date; leftAt: Date | null },
  ) {
    const shift = await this.repo.shiftOfOrganisation(organisationId, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    const window = this.windowOf(shift);
    const now = Date.now();
    if (window.opensAt.getTime() > now)
      throw new ConflictError('arrival-not-open', 'Arrivals can be recorded once arrival for the shift opens.');
    const problems: FieldProblem[] = [];
    for (const [field, value] of Object.entries(times))
      if (value && Number.isNaN(value.getTime())) problems.push({ field, message: 'must be a real date and time' });
    if (problems.length) throw new InvalidInputError(problems);
    if (times.arrivedAt.getTime() < window.opensAt.getTime())
      problems.push({
        field: 'arrivedAt',
        message: `must not be before arrival opens (${window.opensAt.toISOString()})`,
      });
    if (times.arrivedAt.getTime() > now + CLOCK_SKEW_MS)
      problems.push({ field: 'arrivedAt', message: 'must not be in the future' });
    if (times.leftAt && times.leftAt.getTime() < times.arrivedAt.getTime())
      problems.push({ field: 'leftAt', message: 'must not be before arrivedAt' });
    if (times.leftAt && times.leftAt.getTime() > now + CLOCK_SKEW_MS)
      problems.push({ field: 'leftAt', message: 'must not be in the future' });
    if (problems.length) throw new InvalidInputError(problems);
    const record = await this.em.fork().transactional(async (tx) => {
      await this.repo.lockBooking(tx, bookingId);
      const row = await this.repo.bookingOfShift(tx, shiftId, bookingId);
      if (!row) throw new NotFoundError('Booking');
      await this.repo.putArrival(tx, { bookingId, shiftId, ...times });
      await this.bookings.attendByArrival(tx, bookingId, 'coordinator');
      return toRecord((await this.repo.bookingOfShift(tx, shiftId, bookingId)) as BookingArrival);
    });
    return arrivalDto(record);
  }

  // Opening the kiosk: the coordinator's act, checked against the window like every door route; KioskService
  // serves it from then on.

  /** A coordinator opens the kiosk for one shift; the raw token goes into the kiosk's cookie only. */
  async openKiosk(organisationId: string, shiftId: string, coordinatorId: string): Promise<OpenedKiosk> {
    const shift = await this.repo.shiftOfOrganisation(organisationId, shiftId);
    if (!shift) throw new NotFoundError('Shift');
    if (shift.status === 'draft')
      throw new ConflictError('shift-not-published', 'Publish the shift before opening its kiosk.');
    const window = this.openWindow(shift);
    const token = generateToken('ks_kiosk_');
    await this.em.fork().transactional((tx) =>
      this.repo.insertKiosk(tx, {
        shiftId,
        tokenHash: hashToken(token, this.config.SESSION_SECRET),
        openedBy: coordinatorId,
        endsAt: window.closesAt,
      }),
    );
    return { token, endsAt: window.closesAt };
  }
}
