import fc from 'fast-check';
import { decideCap, paragraphsOf, ROSTER_MESSAGE_WINDOW_MS } from './roster-message-rules.js';

const now = new Date('2026-12-06T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const caps = { perShift: 3, perOrganisation: 5 };

describe('roster message caps', () => {
  it('allows messages under both caps', () => {
    expect(decideCap({ shift: [ago(10), ago(20)], organisation: [ago(10), ago(20)] }, caps, now)).toEqual({
      allowed: true,
    });
  });

  it('refuses the shift’s fourth message in 24 hours until the oldest ages out', () => {
    const shift = [ago(60), ago(30), ago(5)];
    expect(decideCap({ shift, organisation: shift }, caps, now)).toEqual({
      allowed: false,
      scope: 'shift',
      retryAfterSeconds: 23 * 3600,
    });
  });

  it('forgets messages older than the window', () => {
    const shift = [ago(25 * 60), ago(24 * 60), ago(5), ago(1)];
    expect(decideCap({ shift, organisation: shift }, caps, now)).toEqual({ allowed: true });
  });

  it('refuses on the organisation’s cap across its shifts', () => {
    const organisation = [ago(300), ago(200), ago(100), ago(50), ago(10)];
    expect(decideCap({ shift: [], organisation }, caps, now)).toEqual({
      allowed: false,
      scope: 'organisation',
      retryAfterSeconds: (24 * 60 - 300) * 60,
    });
  });

  it('never allows more than the cap in any 24 hours, and the wait it names is enough and not too long', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 * ROSTER_MESSAGE_WINDOW_MS }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (offsets, cap) => {
          const times = offsets.map((o) => new Date(now.getTime() - o));
          const inWindow = offsets.filter((o) => o < ROSTER_MESSAGE_WINDOW_MS).length;
          const decision = decideCap({ shift: times, organisation: [] }, { perShift: cap, perOrganisation: 100 }, now);
          expect(decision.allowed).toBe(inWindow < cap);
          if (!decision.allowed) {
            const later = new Date(now.getTime() + decision.retryAfterSeconds * 1000);
            const before = new Date(later.getTime() - 1000);
            const limits = { perShift: cap, perOrganisation: 100 };
            expect(decideCap({ shift: times, organisation: [] }, limits, later).allowed).toBe(true);
            if (decision.retryAfterSeconds > 1)
              expect(decideCap({ shift: times, organisation: [] }, limits, before).allowed).toBe(false);
          }
        },
      ),
    );
  });
});

describe('paragraphs of a message', () => {
  it('makes each line a paragraph, whatever the line ends, and drops blank lines', () => {
    expect(paragraphsOf('Hello all,\r\n\r\nThe side door is locked.\rUse the front.\n\n\n  \nThanks')).toEqual([
      'Hello all,',
      'The side door is locked.',
      'Use the front.',
      'Thanks',
    ]);
  });
});
