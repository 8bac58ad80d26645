import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { generateToken, hashToken, safeEqual } from '../common/index.js';
import {
  APP_CONFIG,
  type AppConfig,
  ConflictError,
  DomainError,
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
  kioskFormToken,
  kioskName,
  kioskState,
  secretMatches,
  tapAction,
  windowState,
} from './core/arrival-rules.js';
import {
  type ArrivalShift,
  ArrivalsRepository,
  type ArrivalSource,
  type BookingArrival,
} from './arrivals.repository.js';

export type ArrivalRefusal = 'wrong-code' | 'not-yet' | 'closed' | 'no-booking' | 'not-arrived' | 'cancelled-shift';

/**
 * Why a door record was refused, said plainly. The pages show it as its own clear page with a 4xx
 * status; nothing is written.
 */
export class ArrivalRefusedError extends DomainError {
  constructor(
    readonly reason: ArrivalRefusal,
    detail: string,
    readonly shift?: ArrivalShift,
    readonly window?: ArrivalWindow,
  ) {
    super(REFUSAL_STATUS[reason], `arrival-${reason}`, REFUSAL_TITLE[reason], detail);
  }
}

const REFUSAL_STATUS: Record<ArrivalRefusal, number> = {
  'wrong-code': 404,
  'not-yet': 409,
  closed: 410,
  'no-booking': 403,
  'not-arrived': 409,
  'cancelled-shift': 410,
};

const REFUSAL_TITLE: Record<ArrivalRefusal, string> = {
  'wrong-code': 'This arrival code is not valid',
  'not-yet': 'Arrival is not open yet',
  closed: 'Arrival has closed for this shift',
  'no-booking': 'You are not booked on this shift',
  'not-arrived': 'You have not arrived yet',
  'cancelled-shift': 'This shift was cancelled',
};

/** The kiosk cannot be used: locked after idling, or its shift's arrival window has closed. */
export class KioskLockedError extends DomainError {
  constructor() {
    super(401, 'kiosk-locked', 'Kiosk locked', 'Kiosk locked — a coordinator can open it again.');
  }
}

/** One person's door record at a shift. */
export interface ArrivalRecord {
  bookingId: string;
  bookingStatus: string;
  arrivedAt: Date | null;
  arrivedVia: ArrivalSource | null;
  leftAt: Date | null;
  leftVia: ArrivalSource | null;
}

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

export interface KioskView {
  kioskId: string;
  shift: ArrivalShift;
  formToken: string;
  people: Array<{ bookingId: string; name: string; arrivedAt: Date | null; leftAt: Date | null }>;
}

export type WalkInOutcome = 'added' | 'already-booked' | 'not-added';

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

const toRecord = (row: BookingArrival): ArrivalRecord => ({
  bookingId: row.booking_id,
  bookingStatus: row.status,
  arrivedAt: row.arrived_at ? new Date(row.arrived_at) : null,
  arrivedVia: row.arrived_via,
  leftAt: row.left_at ? new Date(row.left_at) : null,
  leftVia: row.left_via,
});

/**
 * Arrival at the door: the volunteer's QR scan ("I'm here", "I'm leaving"), the kiosk on a shared
 * tablet, the coordinator's marks on the roster and the no-show sweep. An arrival marks the booking
 * attended through the offers library, in the same transaction as the record.
 */
@Injectable()
export class ArrivalsService {
  private readonly key: Buffer;

  constructor(
    private readonly em: EntityManager,
    private readonly repo: ArrivalsRepository,
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
      return this.arrive(tx, shiftId, row.booking_id, 'qr');
    });
    return { shift, window, record };
  }

  /** "I'm leaving": only after arriving; leaving twice keeps the first time. */
  async leaveByQr(volunteerId: string, shiftId: string, secret: string): Promise<MyArrival> {
    const { shift, window } = await this.scannedShift(shiftId, secret);
    const record = await this.em.fork().transactional(async (tx) => {
      const row = await this.repo.bookingOfVolunteer(tx, shiftId, volunteerId);
      if (!row) throw this.noBooking(shift);
      return this.leave(tx, shiftId, row.booking_id, 'qr');
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

  private async arrive(tx: EntityManager, shiftId: string, bookingId: string, via: ArrivalSource) {
    await this.repo.lockBooking(tx, bookingId);
    await this.repo.insertArrival(tx, bookingId, shiftId, via);
    await this.bookings.attendByArrival(tx, bookingId, via === 'coordinator' ? 'coordinator' : 'volunteer');
    return toRecord((await this.repo.bookingOfShift(tx, shiftId, bookingId)) as BookingArrival);
  }

  private async leave(tx: EntityManager, shiftId: string, bookingId: string, via: ArrivalSource) {
    await this.repo.lockBooking(tx, bookingId);
    const row = await this.repo.bookingOfShift(tx, shiftId, bookingId);
    if (!row?.arrived_at)
      throw new ArrivalRefusedError('not-arrived', 'Record your arrival first; then you can record leaving.');
    await this.repo.markLeft(tx, bookingId, via);
    return toRecord((await this.repo.bookingOfShift(tx, shiftId, bookingId)) as BookingArrival);
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
        ? this.arrive(tx, shiftId, bookingId, 'coordinator')
        : this.leave(tx, shiftId, bookingId, 'coordinator');
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

  // The kiosk.

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
      if (action === 'arrive') return this.arrive(tx, kiosk.shift_id, bookingId, 'kiosk');
      if (action === 'leave') return this.leave(tx, kiosk.shift_id, bookingId, 'kiosk');
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
        await this.arrive(tx, kiosk.shift_id, booking.bookingId, 'kiosk');
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

  // The no-show sweep.

  /**
   * Shifts that used arrivals and ended more than ARRIVAL_NO_SHOW_AFTER_MINUTES ago: their bookings
   * with no arrival and no mark become no-shows. Marks people made are kept.
   */
  async sweepNoShows(): Promise<number> {
    const endedBefore = new Date(Date.now() - this.config.ARRIVAL_NO_SHOW_AFTER_MINUTES * 60_000);
    return this.em.fork().transactional(async (tx) => {
      const rows = await this.repo.noShowCandidates(tx, endedBefore);
      return this.bookings.markNoShows(
        tx,
        rows.map((r) => r.id),
      );
    });
  }
}
