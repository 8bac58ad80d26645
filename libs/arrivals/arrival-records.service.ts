import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { BookingsService } from '../offers/index.js';
import { ArrivalRefusedError } from './arrivals.errors.js';
import { ArrivalsRepository, type ArrivalSource, type BookingArrival } from './arrivals.repository.js';

/** One person's door record at a shift. */
export interface ArrivalRecord {
  bookingId: string;
  bookingStatus: string;
  arrivedAt: Date | null;
  arrivedVia: ArrivalSource | null;
  leftAt: Date | null;
  leftVia: ArrivalSource | null;
}

export const toRecord = (row: BookingArrival): ArrivalRecord => ({
  bookingId: row.booking_id,
  bookingStatus: row.status,
  arrivedAt: row.arrived_at ? new Date(row.arrived_at) : null,
  arrivedVia: row.arrived_via,
  leftAt: row.left_at ? new Date(row.left_at) : null,
  leftVia: row.left_via,
});

/**
 * Writing a door record, the one step the QR code, the coordinator's marks and the kiosk share: under
 * a lock of the booking, and an arrival marks the booking attended through the offers library in the
 * caller's transaction.
 */
@Injectable()
export class ArrivalRecordsService {
  constructor(
    private readonly repo: ArrivalsRepository,
    private readonly bookings: BookingsService,
  ) {}

  async arrive(tx: EntityManager, shiftId: string, bookingId: string, via: ArrivalSource): Promise<ArrivalRecord> {
    await this.repo.lockBooking(tx, bookingId);
    await this.repo.insertArrival(tx, bookingId, shiftId, via);
    await this.bookings.attendByArrival(tx, bookingId, via === 'coordinator' ? 'coordinator' : 'volunteer');
    return toRecord((await this.repo.bookingOfShift(tx, shiftId, bookingId)) as BookingArrival);
  }

  async leave(tx: EntityManager, shiftId: string, bookingId: string, via: ArrivalSource): Promise<ArrivalRecord> {
    await this.repo.lockBooking(tx, bookingId);
    const row = await this.repo.bookingOfShift(tx, shiftId, bookingId);
    if (!row?.arrived_at)
      throw new ArrivalRefusedError('not-arrived', 'Record your arrival first; then you can record leaving.');
    await this.repo.markLeft(tx, bookingId, via);
    return toRecord((await this.repo.bookingOfShift(tx, shiftId, bookingId)) as BookingArrival);
  }
}
