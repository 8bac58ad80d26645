import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../platform/index.js';
import { ArrivalsService, windowState } from '../../../arrivals/index.js';
import type { PageAction, ShiftArrivalsSource, ShiftArrivalsView } from '../../page-extensions.js';
import { clockTime, qrSvg, recordLine } from './arrival-view.js';

/** What arrivals add to a coordinator's shift page: the QR code, poster and kiosk links, and door records on the roster. */
@Injectable()
export class ArrivalPageSources implements ShiftArrivalsSource {
  constructor(
    private readonly arrivals: ArrivalsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forShift(organisationId: string, shiftId: string): Promise<ShiftArrivalsView | null> {
    const found = await this.arrivals.rosterArrivals(organisationId, shiftId);
    if (!found || found.shift.status === 'draft' || found.shift.status === 'cancelled') return null;
    const { shift, window, records } = found;
    const zone = shift.time_zone;
    const arriveUrl = new URL(this.arrivals.arrivalPath(shift.id), this.config.PUBLIC_BASE_URL).toString();
    const state = windowState(window, new Date());
    const bookings: ShiftArrivalsView['bookings'] = {};
    const href = `/org/shifts/${shift.id}/bookings`;
    for (const [bookingId, record] of records) {
      const actions: PageAction[] = [];
      // Marks from when arrival opens; after it closes they still correct the record.
      if (state !== 'before') {
        if (!record.arrivedAt)
          actions.push({
            label: 'Mark arrived',
            href: `${href}/${bookingId}/arrival`,
            method: 'post',
            fields: { action: 'arrived' },
          });
        else if (!record.leftAt)
          actions.push({
            label: 'Mark left',
            href: `${href}/${bookingId}/arrival`,
            method: 'post',
            fields: { action: 'left' },
          });
      }
      bookings[bookingId] = { line: recordLine(record, zone), actions };
    }
    return {
      qrSvg: await qrSvg(arriveUrl),
      arriveUrl,
      posterHref: `/org/shifts/${shift.id}/arrival-poster`,
      kioskHref: `/org/shifts/${shift.id}/kiosk`,
      window: `from ${clockTime(window.opensAt, zone)} until ${clockTime(window.closesAt, zone)} (${zone})`,
      windowOpen: state === 'open',
      bookings,
    };
  }
}
