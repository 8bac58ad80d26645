import { createHmac } from 'node:crypto';
import { safeEqual } from '../../common/index.js';

/**
 * The pure rules of arrival at the door: the per-shift QR secret, the window in which it works, the
 * kiosk's lock and the names the kiosk may show. No Nest, no database.
 */

/** Distinct from every other use of SESSION_SECRET (CSRF, token hashes): a leaked QR key mints nothing else. */
const QR_KEY_LABEL = 'kindshift arrival qr';
const KIOSK_FORM_LABEL = 'kindshift kiosk form';

export interface ArrivalWindowConfig {
  opensMinutesBefore: number;
  closesMinutesAfter: number;
}

export interface ArrivalWindow {
  opensAt: Date;
  closesAt: Date;
}

export type WindowState = 'before' | 'open' | 'after';

/** The key of the QR secrets, derived from SESSION_SECRET with a label of its own. */
export function arrivalKey(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update(QR_KEY_LABEL).digest();
}

/**
 * A shift's QR secret: HMAC-SHA256 over its id, base64url. Stable for the shift (a printed poster
 * keeps working) and useless for any other shift.
 */
export function arrivalSecret(key: Buffer, shiftId: string): string {
  return createHmac('sha256', key).update(`shift:${shiftId.toLowerCase()}`).digest('base64url');
}

/** Constant-time check of a secret from a URL; anything malformed simply does not match. */
export function secretMatches(key: Buffer, shiftId: string, given: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 128) return false;
  return safeEqual(arrivalSecret(key, shiftId), given);
}

/** When the QR code of a shift works: from `opensMinutesBefore` the start until `closesMinutesAfter` the end. */
export function arrivalWindow(shift: { startsAt: Date; endsAt: Date }, config: ArrivalWindowConfig): ArrivalWindow {
  return {
    opensAt: new Date(shift.startsAt.getTime() - config.opensMinutesBefore * 60_000),
    closesAt: new Date(shift.endsAt.getTime() + config.closesMinutesAfter * 60_000),
  };
}

/** Half-open like a shift: open at `opensAt`, closed from `closesAt`. */
export function windowState(window: ArrivalWindow, now: Date): WindowState {
  if (now.getTime() < window.opensAt.getTime()) return 'before';
  if (now.getTime() >= window.closesAt.getTime()) return 'after';
  return 'open';
}

export type KioskState = 'open' | 'locked' | 'ended';

/** A kiosk ends at its shift's window close and locks after `idleMinutes` without a tap. */
export function kioskState(
  session: { lastActivityAt: Date; endsAt: Date },
  now: Date,
  idleMinutes: number,
): KioskState {
  if (now.getTime() >= session.endsAt.getTime()) return 'ended';
  if (now.getTime() - session.lastActivityAt.getTime() >= idleMinutes * 60_000) return 'locked';
  return 'open';
}

/** A second tap this soon after arriving is a double tap, not leaving. */
export const LEAVE_AFTER_MS = 60_000;

export type TapAction = 'arrive' | 'leave' | 'none';

/** What a tap on a name at the kiosk does: arrive, later leave; after leaving (or on a double tap) nothing. */
export function tapAction(record: { arrivedAt: Date | null; leftAt: Date | null }, now: Date): TapAction {
  if (!record.arrivedAt) return 'arrive';
  if (record.leftAt) return 'none';
  return now.getTime() - record.arrivedAt.getTime() >= LEAVE_AFTER_MS ? 'leave' : 'none';
}

/** The form token of a kiosk's pages: bound to its own token, so a form from another kiosk or site fails. */
export function kioskFormToken(key: Buffer, kioskToken: string): string {
  return createHmac('sha256', key).update(`${KIOSK_FORM_LABEL}:${kioskToken}`).digest('base64url');
}

/**
 * What the kiosk shows of a person: their first name and the initial of their last name
 * ("Ada Lovelace" → "Ada L."), never the full name or anything else.
 */
export function kioskName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/u).filter(Boolean);
  if (parts.length === 0) return 'Volunteer';
  const first = parts[0];
  if (parts.length === 1) return first;
  const initial = Array.from(parts[parts.length - 1])[0].toLocaleUpperCase('en');
  return `${first} ${initial}.`;
}
