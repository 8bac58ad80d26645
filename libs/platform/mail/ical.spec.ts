import fc from 'fast-check';
import { calendarInvite, type CalendarEventInput } from './ical.js';

interface Line {
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Minimal RFC 5545 reader: unfold, split content lines, split NAME;PARAM=…:VALUE (quotes respected). */
function parse(ics: string): Line[] {
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  return unfolded
    .split('\r\n')
    .filter((l) => l !== '')
    .map((raw) => {
      let inQuotes = false;
      let colon = -1;
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] === '"') inQuotes = !inQuotes;
        else if (raw[i] === ':' && !inQuotes) {
          colon = i;
          break;
        }
      }
      const [name, ...params] = raw.slice(0, colon).split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      return {
        name,
        params: Object.fromEntries(params.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])),
        value: raw.slice(colon + 1),
      };
    });
}

/** RFC 5545 §3.3.11 TEXT unescaping. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const one = (lines: Line[], name: string) => {
  const found = lines.filter((l) => l.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};

const base: CalendarEventInput = {
  uid: 'booking-7f3c@kindshift.example',
  sequence: 0,
  method: 'REQUEST',
  startsAt: new Date('2026-12-01T17:00:00Z'),
  endsAt: new Date('2026-12-01T20:00:00Z'),
  summary: 'Evening meal service — St Mary’s Kitchen',
  description: 'Serving dinner.\nPlease bring closed shoes.',
  location: 'St Mary’s Hall, 1 High Street',
  organizerEmail: 'offers@kindshift.example',
  organizerName: 'St Mary’s Kitchen',
  attendeeEmail: 'ann@example.com',
  attendeeName: 'Ann Volunteer',
  stamp: new Date('2026-11-20T09:30:00Z'),
};

describe('calendarInvite', () => {
  it('writes a REQUEST with the given UID, SEQUENCE, UTC times, CONFIRMED and an accepted attendee', () => {
    const ics = calendarInvite({ ...base, url: 'https://kindshift.example/bookings/7f3c', lat: 51.5072, lon: -0.1276 });
    const lines = parse(ics);
    expect(lines[0]).toMatchObject({ name: 'BEGIN', value: 'VCALENDAR' });
    expect(lines.at(-1)).toMatchObject({ name: 'END', value: 'VCALENDAR' });
    expect(one(lines, 'VERSION').value).toBe('2.0');
    expect(one(lines, 'PRODID').value).toBe('-//Kindshift//Kindshift//EN');
    expect(one(lines, 'METHOD').value).toBe('REQUEST');
    expect(lines.filter((l) => l.name === 'BEGIN' && l.value === 'VEVENT')).toHaveLength(1);
    expect(one(lines, 'UID').value).toBe('booking-7f3c@kindshift.example');
    expect(one(lines, 'SEQUENCE').value).toBe('0');
    expect(one(lines, 'DTSTAMP').value).toBe('20261120T093000Z');
    expect(one(lines, 'DTSTART')).toEqual({ name: 'DTSTART', params: {}, value: '20261201T170000Z' });
    expect(one(lines, 'DTEND').value).toBe('20261201T200000Z');
    expect(one(lines, 'STATUS').value).toBe('CONFIRMED');
    expect(one(lines, 'GEO').value).toBe('51.5072;-0.1276');
    expect(one(lines, 'URL').value).toBe('https://kindshift.example/bookings/7f3c');
    const organizer = one(lines, 'ORGANIZER');
    expect(organizer.value.toLowerCase()).toBe('mailto:offers@kindshift.example');
    expect(organizer.params.CN).toBe('"St Mary’s Kitchen"');
    const attendee = one(lines, 'ATTENDEE');
    expect(attendee.value.toLowerCase()).toBe('mailto:ann@example.com');
    expect(attendee.params).toMatchObject({
      PARTSTAT: 'ACCEPTED',
      RSVP: 'FALSE',
      ROLE: 'REQ-PARTICIPANT',
      CN: '"Ann Volunteer"',
    });
    expect(unescapeText(one(lines, 'DESCRIPTION').value)).toBe(base.description);
  });

  it('writes a CANCEL with the same UID, a higher SEQUENCE and STATUS:CANCELLED', () => {
    const request = parse(calendarInvite({ ...base, sequence: 2 }));
    const cancel = parse(calendarInvite({ ...base, method: 'CANCEL', sequence: 3 }));
    expect(one(cancel, 'METHOD').value).toBe('CANCEL');
    expect(one(cancel, 'STATUS').value).toBe('CANCELLED');
    expect(one(cancel, 'UID').value).toBe(one(request, 'UID').value);
    expect(one(cancel, 'SEQUENCE').value).toBe('3');
    expect(one(cancel, 'ATTENDEE').params.PARTSTAT).toBeUndefined();
    expect(one(cancel, 'DTSTART').value).toBe('20261201T170000Z');
  });

  it('keeps the UID stable across updates of the same booking', () => {
    const moved = calendarInvite({
      ...base,
      sequence: 1,
      startsAt: new Date('2026-12-02T18:00:00Z'),
      endsAt: new Date('2026-12-02T21:00:00Z'),
    });
    expect(one(parse(moved), 'UID').value).toBe(base.uid);
    expect(one(parse(moved), 'DTSTART').value).toBe('20261202T180000Z');
  });

  it('uses CRLF line endings throughout, including after the last line', () => {
    const ics = calendarInvite({ ...base, description: 'a\nb\r\nc\rd' });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('escapes commas, semicolons, backslashes and newlines in text', () => {
    const lines = parse(
      calendarInvite({ ...base, summary: 'Soup, bread; and\nmore \\ stuff', location: 'Hall 2; back door, left' }),
    );
    expect(one(lines, 'SUMMARY').value).toBe('Soup\\, bread\\; and\\nmore \\\\ stuff');
    expect(one(lines, 'LOCATION').value).toBe('Hall 2\\; back door\\, left');
    expect(unescapeText(one(lines, 'SUMMARY').value)).toBe('Soup, bread; and\nmore \\ stuff');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const description = 'Bring an apron ☕ and a smile — café crew 🍲 '.repeat(12);
    const ics = calendarInvite({ ...base, description });
    for (const physical of ics.split('\r\n')) expect(Buffer.byteLength(physical, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    expect(unescapeText(one(parse(ics), 'DESCRIPTION').value)).toBe(description);
  });

  it('quotes names with commas, colons and quotes in parameters', () => {
    const lines = parse(
      calendarInvite({ ...base, attendeeName: 'Smith, Ann "Annie": Jr', organizerName: 'Food; Bank' }),
    );
    expect(one(lines, 'ATTENDEE').params.CN).toBe('"Smith, Ann ^\'Annie^\': Jr"');
    expect(one(lines, 'ATTENDEE').value.toLowerCase()).toBe('mailto:ann@example.com');
    expect(one(lines, 'ORGANIZER').params.CN).toBe('"Food; Bank"');
  });

  it('drops control characters, which iCalendar text cannot carry', () => {
    const lines = parse(calendarInvite({ ...base, summary: 'Meal\u0000 service\u0007' }));
    expect(one(lines, 'SUMMARY').value).toBe('Meal service');
  });

  it('omits GEO without coordinates and LOCATION when empty', () => {
    const lines = parse(calendarInvite({ ...base, location: '' }));
    expect(lines.some((l) => l.name === 'LOCATION' || l.name === 'GEO')).toBe(false);
  });

  it('rejects malformed input', () => {
    expect(() => calendarInvite({ ...base, sequence: -1 })).toThrow(RangeError);
    expect(() => calendarInvite({ ...base, sequence: 1.5 })).toThrow(RangeError);
    expect(() => calendarInvite({ ...base, uid: '' })).toThrow(RangeError);
    expect(() => calendarInvite({ ...base, uid: 'a\r\nX-EVIL:1' })).toThrow(RangeError);
    expect(() => calendarInvite({ ...base, endsAt: base.startsAt })).toThrow(RangeError);
    expect(() => calendarInvite({ ...base, attendeeEmail: 'not an email' })).toThrow(RangeError);
    expect(() => calendarInvite({ ...base, method: 'PUBLISH' as never })).toThrow(RangeError);
  });

  it('round-trips any text through escaping and folding (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ unit: 'grapheme', maxLength: 120 }),
        (description, summary) => {
          const ics = calendarInvite({ ...base, description, summary });
          expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
          for (const physical of ics.split('\r\n')) expect(Buffer.byteLength(physical, 'utf8')).toBeLessThanOrEqual(75);
          const lines = parse(ics);
          const clean = (s: string) => s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
          const text = (name: string) => lines.find((l) => l.name === name)?.value ?? '';
          expect(unescapeText(text('DESCRIPTION'))).toBe(clean(description));
          expect(unescapeText(text('SUMMARY'))).toBe(clean(summary));
          expect(one(lines, 'UID').value).toBe(base.uid);
        },
      ),
      { numRuns: 300 },
    );
  });
});
