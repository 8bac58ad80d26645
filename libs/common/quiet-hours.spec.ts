import fc from 'fast-check';
import { isInQuietHours, nextSendTime, offerExpiry, reminderTimes, type QuietHours } from './quiet-hours.js';

// Hand-checked DST facts used below (tzdb 2026):
//   Europe/London     Sun 2026-03-29 01:00 GMT → 02:00 BST (01:00Z); Sun 2026-10-25 02:00 BST → 01:00 GMT (01:00Z).
//   America/New_York  Sun 2026-03-08 02:00 EST → 03:00 EDT (07:00Z); Sun 2026-11-01 02:00 EDT → 01:00 EST (06:00Z).
//   Australia/Sydney  Sun 2026-04-05 03:00 AEDT → 02:00 AEST (Sat 16:00Z); Sun 2026-10-04 02:00 AEST → 03:00 AEDT (Sat 16:00Z).
//   Asia/Kolkata      +05:30, no DST.
const ZONES = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'] as const;
const TRANSITIONS = [
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-04-04T16:00:00Z',
  '2026-10-03T16:00:00Z',
].map((s) => Date.parse(s));

const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const NIGHT: QuietHours = { start: '21:00', end: '08:00' };
const MIN = 60_000;
const HOUR = 3_600_000;

// An independent reference: what the local wall clock shows, straight from Intl.
const formatters = new Map<string, Intl.DateTimeFormat>();
function clockMinutes(ms: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  const [h, m] = f.format(new Date(ms)).split(':').map(Number);
  return h * 60 + m;
}
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
function clockShowsQuiet(ms: number, zone: string, q: QuietHours): boolean {
  const s = toMinutes(q.start);
  const e = toMinutes(q.end);
  const c = clockMinutes(ms, zone);
  if (s === e) return false;
  return s < e ? s <= c && c < e : c >= s || c < e;
}
function utcOffsetMinutes(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(
    new Date(ms),
  );
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
// Bias towards the hours DST changes happen in, and to whole hours.
const timeArb = fc
  .oneof(fc.integer({ min: 0, max: 1439 }), fc.constantFrom(0, 60, 90, 120, 150, 180, 210, 1260, 1320, 480, 420))
  .map(hhmm);
const quietArb = fc.record({ start: timeArb, end: timeArb });
const zoneArb = fc.constantFrom(...ZONES);
const instantArb = fc.oneof(
  fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -40 * HOUR, max: 40 * HOUR })).map(([t, d]) => t + d),
  // whole minutes near transitions: where boundaries sit
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2400, max: 2400 })).map(([t, d]) => t + d * MIN),
);

describe('isInQuietHours', () => {
  it('handles overnight ranges in local time, summer and winter', () => {
    expect(isInQuietHours(at('2026-12-01T21:30:00Z'), 'Europe/London', NIGHT)).toBe(true); // 21:30 GMT
    expect(isInQuietHours(at('2026-07-01T20:30:00Z'), 'Europe/London', NIGHT)).toBe(true); // 21:30 BST
    expect(isInQuietHours(at('2026-07-01T19:59:00Z'), 'Europe/London', NIGHT)).toBe(false); // 20:59 BST
    expect(isInQuietHours(at('2026-12-02T07:59:59Z'), 'Europe/London', NIGHT)).toBe(true);
    expect(isInQuietHours(at('2026-12-02T08:00:00Z'), 'Europe/London', NIGHT)).toBe(false); // end is exclusive
    expect(isInQuietHours(at('2026-12-01T16:00:00Z'), 'Asia/Kolkata', NIGHT)).toBe(true); // 21:30 IST
  });

  it('handles same-day ranges and treats start === end as no quiet hours', () => {
    const lunch = { start: '13:00', end: '14:00' };
    expect(isInQuietHours(at('2026-12-01T13:30:00Z'), 'Europe/London', lunch)).toBe(true);
    expect(isInQuietHours(at('2026-12-01T14:30:00Z'), 'Europe/London', lunch)).toBe(false);
    expect(isInQuietHours(at('2026-12-01T03:00:00Z'), 'Europe/London', { start: '08:00', end: '08:00' })).toBe(false);
  });

  it('keeps the repeated fall-back hour quiet inside a quiet period (no 1 a.m. hole)', () => {
    // London 2026-10-25: 01:30 BST = 00:30Z starts the period; at 01:00Z the clock goes back to 01:00 GMT.
    const q = { start: '01:30', end: '08:00' };
    expect(isInQuietHours(at('2026-10-25T00:45:00Z'), 'Europe/London', q)).toBe(true); // 01:45 BST
    expect(isInQuietHours(at('2026-10-25T01:15:00Z'), 'Europe/London', q)).toBe(true); // 01:15 GMT, second time round
    expect(isInQuietHours(at('2026-10-25T00:15:00Z'), 'Europe/London', q)).toBe(false); // 01:15 BST, before the period
  });

  it('rejects malformed input', () => {
    expect(() => isInQuietHours(new Date(), 'Europe/London', { start: '25:00', end: '08:00' })).toThrow(RangeError);
    expect(() => isInQuietHours(new Date(), 'Europe/London', { start: '9:00', end: '08:00' })).toThrow(RangeError);
    expect(() => isInQuietHours(new Date(), 'Mars/Olympus', NIGHT)).toThrow(RangeError);
    expect(() => isInQuietHours(new Date(), '+05:00', NIGHT)).toThrow(RangeError);
    expect(() => isInQuietHours(new Date(Number.NaN), 'Europe/London', NIGHT)).toThrow(RangeError);
  });
});

describe('nextSendTime (hand-checked examples)', () => {
  const next = (now: string, zone: string, q: QuietHours = NIGHT, latest?: string) =>
    iso(nextSendTime(at(now), zone, q, latest ? at(latest) : undefined));

  it('returns now outside quiet hours', () => {
    expect(next('2026-07-01T12:00:00Z', 'Europe/London')).toBe('2026-07-01T12:00:00Z');
    expect(next('2026-12-01T03:00:00Z', 'Europe/London', { start: '08:00', end: '08:00' })).toBe(
      '2026-12-01T03:00:00Z',
    );
  });

  it('defers to the local end of the quiet period, winter and summer', () => {
    expect(next('2026-12-01T22:30:00Z', 'Europe/London')).toBe('2026-12-02T08:00:00Z'); // 08:00 GMT
    expect(next('2026-07-01T21:30:00Z', 'Europe/London')).toBe('2026-07-02T07:00:00Z'); // 08:00 BST
    expect(next('2026-12-01T16:00:00Z', 'Asia/Kolkata')).toBe('2026-12-02T02:30:00Z'); // 08:00 IST
    expect(next('2026-12-01T13:30:00Z', 'Europe/London', { start: '13:00', end: '14:00' })).toBe(
      '2026-12-01T14:00:00Z',
    );
  });

  it('is DST-correct across changes during the night', () => {
    // New York falls back in the night of 31 Oct → 1 Nov: 08:00 on 1 Nov is EST.
    expect(next('2026-11-01T02:00:00Z', 'America/New_York')).toBe('2026-11-01T13:00:00Z');
    // …and springs forward in the night of 7 → 8 Mar: 08:00 on 8 Mar is EDT.
    expect(next('2026-03-08T03:00:00Z', 'America/New_York')).toBe('2026-03-08T12:00:00Z');
    // An end inside the spring-forward gap (02:30 does not exist) → first instant after the gap, 03:00 EDT.
    expect(next('2026-03-08T05:30:00Z', 'America/New_York', { start: '22:00', end: '02:30' })).toBe(
      '2026-03-08T07:00:00Z',
    );
    // An ambiguous end (02:30 happens twice in Sydney on 5 Apr) → the later one, 02:30 AEST.
    expect(next('2026-04-04T12:00:00Z', 'Australia/Sydney', { start: '22:00', end: '02:30' })).toBe(
      '2026-04-04T16:30:00Z',
    );
    // Quiet from 01:30: the repeated 01:00–01:30 GMT stays quiet, nothing goes out at 1 a.m.
    expect(next('2026-10-25T00:45:00Z', 'Europe/London', { start: '01:30', end: '08:00' })).toBe(
      '2026-10-25T08:00:00Z',
    );
  });

  it('sends now when waiting for the morning would be too late', () => {
    expect(next('2026-12-01T22:30:00Z', 'Europe/London', NIGHT, '2026-12-02T06:00:00Z')).toBe('2026-12-01T22:30:00Z');
    expect(next('2026-12-01T22:30:00Z', 'Europe/London', NIGHT, '2026-12-02T08:00:00Z')).toBe('2026-12-02T08:00:00Z');
    expect(next('2026-12-01T12:00:00Z', 'Europe/London', NIGHT, '2026-12-01T11:00:00Z')).toBe('2026-12-01T12:00:00Z');
  });
});

describe('offerExpiry (hand-checked examples)', () => {
  const now = at('2026-12-01T10:00:00Z');
  const opts = { defaultHours: 12, minMinutes: 30 };
  const exp = (startsAt: string) => iso(offerExpiry(now, at(startsAt), opts));

  it('uses the default when the shift is far away', () => {
    expect(exp('2026-12-08T10:00:00Z')).toBe('2026-12-01T22:00:00Z');
  });
  it('is never later than halfway to the shift', () => {
    expect(exp('2026-12-01T20:00:00Z')).toBe('2026-12-01T15:00:00Z');
  });
  it('is never shorter than the minimum, unless the shift starts sooner', () => {
    expect(exp('2026-12-01T10:40:00Z')).toBe('2026-12-01T10:30:00Z');
    expect(exp('2026-12-01T10:20:00Z')).toBe('2026-12-01T10:20:00Z');
  });
  it('returns the shift start for a shift that has started (already expired)', () => {
    expect(exp('2026-12-01T09:00:00Z')).toBe('2026-12-01T09:00:00Z');
  });
  it('rejects nonsense options', () => {
    expect(() => offerExpiry(now, at('2026-12-08T10:00:00Z'), { defaultHours: 0, minMinutes: 30 })).toThrow(RangeError);
    expect(() => offerExpiry(now, at('2026-12-08T10:00:00Z'), { defaultHours: 12, minMinutes: -1 })).toThrow(
      RangeError,
    );
  });
});

describe('reminderTimes (hand-checked examples)', () => {
  const shift = at('2026-12-02T09:00:00Z'); // 09:00 GMT
  const times = (offsets: number[], now: string, zone = 'Europe/London', q: QuietHours = NIGHT, startsAt = shift) =>
    reminderTimes(startsAt, offsets, at(now), zone, q).map(iso);

  it('keeps reminders outside quiet hours and moves the others to just before quiet hours began', () => {
    expect(times([1440, 120], '2026-11-30T12:00:00Z')).toEqual(['2026-12-01T09:00:00Z', '2026-12-01T20:59:00Z']);
  });
  it('drops reminders that are already past', () => {
    expect(times([1440, 120], '2026-12-01T12:00:00Z')).toEqual(['2026-12-01T20:59:00Z']);
    expect(times([1440, 120], '2026-12-01T21:30:00Z')).toEqual([]);
  });
  it('deduplicates and sorts', () => {
    expect(times([120, 1440, 180, 120], '2026-11-30T12:00:00Z')).toEqual([
      '2026-12-01T09:00:00Z',
      '2026-12-01T20:59:00Z',
    ]);
  });
  it('handles a quiet start inside the spring-forward gap', () => {
    // NY 8 Mar: quiet 02:30–07:00; 02:30 does not exist → the period starts 03:00 EDT (07:00Z).
    // Shift 08:00 EDT (12:00Z), reminder 3 h before = 05:00 EDT (quiet) → 01:59 EST (06:59Z).
    expect(
      times(
        [180],
        '2026-03-07T00:00:00Z',
        'America/New_York',
        { start: '02:30', end: '07:00' },
        at('2026-03-08T12:00:00Z'),
      ),
    ).toEqual(['2026-03-08T06:59:00Z']);
  });
  it('leaves reminders alone without quiet hours and rejects negative offsets', () => {
    expect(times([120], '2026-11-30T12:00:00Z', 'Europe/London', { start: '00:00', end: '00:00' })).toEqual([
      '2026-12-02T07:00:00Z',
    ]);
    expect(() => times([-5], '2026-11-30T12:00:00Z')).toThrow(RangeError);
  });
});

describe('properties across zones and DST changes', () => {
  const runs = { numRuns: Number(process.env.FC_NUM_RUNS ?? 400) }; // FC_NUM_RUNS=20000 for a deeper search

  it('isInQuietHours is true whenever the clock shows a quiet time; extra quiet only happens near DST changes', () => {
    fc.assert(
      fc.property(zoneArb, quietArb, instantArb, (zone, q, t) => {
        const quiet = isInQuietHours(new Date(t), zone, q);
        const clock = clockShowsQuiet(t, zone, q);
        if (clock) expect(quiet).toBe(true);
        if (quiet && !clock) {
          expect(zone).not.toBe('Asia/Kolkata');
          expect(utcOffsetMinutes(t - 26 * HOUR, zone)).not.toBe(utcOffsetMinutes(t + 26 * HOUR, zone));
        }
      }),
      runs,
    );
  });

  it('nextSendTime: never before now; outside quiet hours unless it is now because of `latest`; the earliest such instant', () => {
    fc.assert(
      fc.property(
        zoneArb,
        quietArb,
        instantArb,
        fc.option(fc.integer({ min: -2 * HOUR, max: 30 * HOUR }), { nil: undefined }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (zone, q, now, latestDelta, samples) => {
          const latest = latestDelta === undefined ? undefined : new Date(now + latestDelta);
          const r = nextSendTime(new Date(now), zone, q, latest).getTime();
          expect(r).toBeGreaterThanOrEqual(now);
          // < 24 h of wall clock, but DST can chain two periods: Sydney, quiet 03:00–02:00, on the
          // night 02:00 AEST jumps to 03:00 AEDT the clock never shows a free minute that day.
          expect(r - now).toBeLessThanOrEqual(49 * HOUR);
          const unconstrained = nextSendTime(new Date(now), zone, q).getTime();
          if (r === now && isInQuietHours(new Date(now), zone, q)) {
            expect(latest).toBeDefined();
            expect(unconstrained).toBeGreaterThan(latest!.getTime());
          } else {
            expect(isInQuietHours(new Date(r), zone, q)).toBe(false);
            expect(clockShowsQuiet(r, zone, q)).toBe(false);
          }
          // Minimal: everything between now and the unconstrained answer is quiet.
          if (unconstrained > now) {
            expect(isInQuietHours(new Date(unconstrained - 1), zone, q)).toBe(true);
            for (const s of samples)
              expect(isInQuietHours(new Date(now + Math.floor(s * (unconstrained - now))), zone, q)).toBe(true);
          }
        },
      ),
      runs,
    );
  });

  it('offerExpiry stays within its bounds', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.integer({ min: -2 * HOUR, max: 14 * 24 * HOUR }),
        fc.integer({ min: 1, max: 72 }),
        fc.integer({ min: 0, max: 240 }),
        (now, untilStart, defaultHours, minMinutes) => {
          const start = now + untilStart;
          const r = offerExpiry(new Date(now), new Date(start), { defaultHours, minMinutes }).getTime();
          expect(r).toBeLessThanOrEqual(start);
          if (untilStart <= 0) return expect(r).toBe(start);
          const open = r - now;
          expect(open).toBeGreaterThanOrEqual(Math.min(minMinutes * MIN, untilStart));
          expect(open).toBeLessThanOrEqual(Math.max(defaultHours * HOUR, minMinutes * MIN));
          expect(open).toBeLessThanOrEqual(Math.max(untilStart / 2, Math.min(minMinutes * MIN, untilStart)));
        },
      ),
      runs,
    );
  });

  it('chains quiet periods when a spring-forward gap swallows the only free hour', () => {
    // Sydney 4 Oct: 02:00 AEST → 03:00 AEDT; quiet 03:00–02:00 leaves 02:00–03:00 free, which does not exist that day.
    const q = { start: '03:00', end: '02:00' };
    expect(iso(nextSendTime(at('2026-10-03T14:00:00Z'), 'Australia/Sydney', q))).toBe('2026-10-04T15:00:00Z'); // 02:00 AEDT on 5 Oct
  });

  it('reminderTimes: never in quiet hours, never past, never after the start; ascending; kept or moved to just before quiet hours', () => {
    fc.assert(
      fc.property(
        zoneArb,
        quietArb,
        instantArb,
        fc.integer({ min: -2 * HOUR, max: 5 * 24 * HOUR }),
        fc.array(fc.oneof(fc.constantFrom(1440, 120, 60, 0), fc.integer({ min: 0, max: 4 * 1440 })), { maxLength: 5 }),
        (zone, q, now, lead, offsets) => {
          const startsAt = Math.floor((now + lead) / MIN) * MIN;
          const result = reminderTimes(new Date(startsAt), offsets, new Date(now), zone, q).map((d) => d.getTime());
          expect(result.length).toBeLessThanOrEqual(offsets.length);
          result.forEach((r, i) => {
            if (i > 0) expect(r).toBeGreaterThan(result[i - 1]);
            expect(r).toBeGreaterThanOrEqual(now);
            expect(r).toBeLessThanOrEqual(startsAt);
            expect(isInQuietHours(new Date(r), zone, q)).toBe(false);
            expect(clockShowsQuiet(r, zone, q)).toBe(false);
            const raw = offsets.some((o) => startsAt - o * MIN === r);
            if (!raw) expect(isInQuietHours(new Date(r + MIN), zone, q)).toBe(true); // the last minute before quiet hours
          });
          for (const o of offsets) {
            const t = startsAt - o * MIN;
            if (t >= now && !isInQuietHours(new Date(t), zone, q)) expect(result).toContain(t);
          }
        },
      ),
      runs,
    );
  });
});
