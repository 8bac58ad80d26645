import { DomainError } from '../platform/index.js';
import type { ArrivalShift } from './arrivals.repository.js';
import type { ArrivalWindow } from './core/arrival-rules.js';

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
