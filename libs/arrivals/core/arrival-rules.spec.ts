import fc from 'fast-check';
import {
  arrivalKey,
  arrivalSecret,
  arrivalWindow,
  kioskFormToken,
  kioskName,
  kioskState,
  LEAVE_AFTER_MS,
  secretMatches,
  tapAction,
  windowState,
} from './arrival-rules.js';

const key = arrivalKey('test-session-secret-0123456789');
const CONFIG = { opensMinutesBefore: 60, closesMinutesAfter: 120 };

describe('the arrival QR secret', () => {
  it('matches its own shift only, for any pair of shifts', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        expect(secretMatches(key, a, arrivalSecret(key, a))).toBe(true);
        if (a.toLowerCase() !== b.toLowerCase()) expect(secretMatches(key, b, arrivalSecret(key, a))).toBe(false);
      }),
    );
  });

  it('is URL-safe and depends on SESSION_SECRET', () => {
    fc.assert(
      fc.property(fc.uuid(), (shiftId) => {
        const secret = arrivalSecret(key, shiftId);
        expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(secretMatches(arrivalKey('another-session-secret-987654'), shiftId, secret)).toBe(false);
      }),
    );
  });

  it('refuses malformed secrets without throwing', () => {
    const shiftId = '7f9c4d8e-0d51-4e3a-9a43-2f0b7c2d1e11';
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (given) => expect(secretMatches(key, shiftId, given)).toBe(false)),
    );
    expect(secretMatches(key, shiftId, '')).toBe(false);
    expect(secretMatches(key, shiftId, arrivalSecret(key, shiftId).slice(1))).toBe(false);
  });

  it('is not the kiosk form token of the same string', () => {
    const shiftId = '7f9c4d8e-0d51-4e3a-9a43-2f0b7c2d1e11';
    expect(kioskFormToken(key, shiftId)).not.toBe(arrivalSecret(key, shiftId));
  });
});

describe('the arrival window', () => {
  const instant = fc.date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2035-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  const shift = fc
    .tuple(instant, fc.integer({ min: 1, max: 24 * 60 }))
    .map(([startsAt, minutes]) => ({ startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000) }));
  const config = fc.record({
    opensMinutesBefore: fc.integer({ min: 0, max: 1440 }),
    closesMinutesAfter: fc.integer({ min: 0, max: 1440 }),
  });

  it('is open exactly from opensMinutesBefore the start until closesMinutesAfter the end', () => {
    fc.assert(
      fc.property(shift, config, fc.integer({ min: -3000, max: 3000 }), (s, c, offsetMinutes) => {
        const window = arrivalWindow(s, c);
        const now = new Date(s.startsAt.getTime() + offsetMinutes * 60_000);
        const expected =
          now.getTime() < s.startsAt.getTime() - c.opensMinutesBefore * 60_000
            ? 'before'
            : now.getTime() >= s.endsAt.getTime() + c.closesMinutesAfter * 60_000
              ? 'after'
              : 'open';
        expect(windowState(window, now)).toBe(expected);
      }),
    );
  });

  it('always contains the whole shift', () => {
    fc.assert(
      fc.property(shift, config, (s, c) => {
        const window = arrivalWindow(s, c);
        expect(windowState(window, s.startsAt)).toBe('open');
        expect(windowState(window, new Date(s.endsAt.getTime() - 1))).toBe('open');
      }),
    );
  });

  it('has sharp edges with the defaults', () => {
    const s = { startsAt: new Date('2026-12-07T09:00:00Z'), endsAt: new Date('2026-12-07T12:00:00Z') };
    const window = arrivalWindow(s, CONFIG);
    expect(windowState(window, new Date('2026-12-07T07:59:59.999Z'))).toBe('before');
    expect(windowState(window, new Date('2026-12-07T08:00:00Z'))).toBe('open');
    expect(windowState(window, new Date('2026-12-07T13:59:59.999Z'))).toBe('open');
    expect(windowState(window, new Date('2026-12-07T14:00:00Z'))).toBe('after');
  });
});

describe('the kiosk', () => {
  it('locks after the idle time and ends at its end, whatever the activity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: -600, max: 600 }),
        (idleSoFar, idleMinutes, minutesToEnd) => {
          const now = new Date('2026-12-07T10:00:00Z');
          const state = kioskState(
            {
              lastActivityAt: new Date(now.getTime() - idleSoFar * 60_000),
              endsAt: new Date(now.getTime() + minutesToEnd * 60_000),
            },
            now,
            idleMinutes,
          );
          expect(state).toBe(minutesToEnd <= 0 ? 'ended' : idleSoFar >= idleMinutes ? 'locked' : 'open');
        },
      ),
    );
  });

  it('turns a tap into arrive, then leave, never leave on a double tap or after leaving', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    expect(tapAction({ arrivedAt: null, leftAt: null }, now)).toBe('arrive');
    expect(tapAction({ arrivedAt: ago(2_000), leftAt: null }, now)).toBe('none');
    expect(tapAction({ arrivedAt: ago(LEAVE_AFTER_MS), leftAt: null }, now)).toBe('leave');
    expect(tapAction({ arrivedAt: ago(3 * 3600_000), leftAt: ago(1000) }, now)).toBe('none');
  });

  it('shows a first name and a last initial only', () => {
    expect(kioskName('Ada Lovelace')).toBe('Ada L.');
    expect(kioskName('  Grace   Brewster Hopper ')).toBe('Grace H.');
    expect(kioskName('Cher')).toBe('Cher');
    expect(kioskName('   ')).toBe('Volunteer');
    expect(kioskName('Émile ørsted')).toBe('Émile Ø.');
  });

  it('never shows more than the first word and one letter of the last', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z]{1,12}$/), { minLength: 2, maxLength: 5 }), (words) => {
        const name = kioskName(words.join(' '));
        expect(name).toBe(`${words[0]} ${words[words.length - 1][0].toUpperCase()}.`);
      }),
    );
  });
});
