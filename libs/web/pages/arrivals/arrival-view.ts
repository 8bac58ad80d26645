import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import type { ArrivalSource } from '../../../arrivals/index.js';

/** "09:02": a door time on the organisation's clock (the page names the zone once). */
export function clockTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

/** "Tue 8 Dec 2026, 09:00–12:00 (Europe/London)". */
export function shiftTime(startsAt: Date, endsAt: Date, zone: string): string {
  const start = DateTime.fromJSDate(new Date(startsAt), { zone });
  const end = DateTime.fromJSDate(new Date(endsAt), { zone });
  const sameDay = start.hasSame(end, 'day');
  return `${start.toFormat('ccc d LLL yyyy, HH:mm')}–${end.toFormat(sameDay ? 'HH:mm' : 'ccc d LLL, HH:mm')} (${zone})`;
}

export const VIA_LABEL: Record<ArrivalSource, string> = {
  qr: 'by QR code',
  kiosk: 'at the kiosk',
  coordinator: 'by a coordinator',
};

/** A door record in a line: "arrived 09:02 by QR code · left 12:01 at the kiosk". */
export function recordLine(
  record: {
    arrivedAt: Date | null;
    arrivedVia: ArrivalSource | null;
    leftAt: Date | null;
    leftVia: ArrivalSource | null;
  },
  zone: string,
): string | null {
  if (!record.arrivedAt || !record.arrivedVia) return null;
  const arrived = `arrived ${clockTime(record.arrivedAt, zone)} ${VIA_LABEL[record.arrivedVia]}`;
  if (!record.leftAt || !record.leftVia) return arrived;
  return `${arrived} · left ${clockTime(record.leftAt, zone)} ${VIA_LABEL[record.leftVia]}`;
}

/** The QR code as inline SVG (no script, no external image; the CSP allows it as markup). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
