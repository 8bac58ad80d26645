import fc from 'fast-check';
import { shiftProgress, type ProgressFacts } from './shift-progress.js';

const NOW = new Date('2026-12-03T12:00:00Z');
const base: ProgressFacts = {
  status: 'open',
  capacity: 2,
  filled: 0,
  startsAt: new Date('2026-12-10T17:00:00Z'),
  queued: 0,
  queuedRecent: 0,
  sent: 0,
  waiting: 0,
  accepted: 0,
  declined: 0,
  expired: 0,
  withdrawn: 0,
  preparing: false,
};
const facts = (over: Partial<ProgressFacts>): ProgressFacts => ({ ...base, ...over });

describe('shiftProgress', () => {
  it('a published shift whose first wave is not written yet is being prepared, and refreshes soon', () => {
    const p = shiftProgress(facts({ preparing: true }), NOW);
    expect(p.state).toBe('preparing');
    expect(p.headline).toBe('A wave of offers is being prepared for 2 open places.');
    expect(p.refreshSeconds).toBe(5);
  });

  it('offers written but not yet emailed: a wave is going out', () => {
    const p = shiftProgress(facts({ queued: 3, queuedRecent: 3, sent: 1, waiting: 1 }), NOW);
    expect(p).toMatchObject({ state: 'sending', refreshSeconds: 5, openPlaces: 2 });
    expect(p.headline).toBe('A wave is going out: 1 offer emailed, 3 still being sent.');
  });

  it('offers held back by quiet hours do not keep the page refreshing', () => {
    const p = shiftProgress(facts({ queued: 2, queuedRecent: 0, sent: 2, waiting: 2 }), NOW);
    expect(p.state).toBe('waiting');
    expect(p.detail).toBe('2 more offers go out when the volunteers’ quiet hours end.');
    expect(p.refreshSeconds).toBe(30);
  });

  it('everything emailed: waiting for answers', () => {
    const p = shiftProgress(facts({ sent: 4, waiting: 3, declined: 1 }), NOW);
    expect(p.state).toBe('waiting');
    expect(p.headline).toBe('Waiting for answers: 3 offers are out for 2 open places.');
  });

  it('all places booked: filled, and nothing refreshes', () => {
    const p = shiftProgress(facts({ status: 'full', filled: 2, sent: 3, accepted: 2, withdrawn: 1 }), NOW);
    expect(p).toMatchObject({ state: 'filled', refreshSeconds: null, openPlaces: 0 });
    expect(p.headline).toBe('Filled: both places are booked.');
    expect(shiftProgress(facts({ status: 'full', capacity: 1, filled: 1 }), NOW).headline).toBe(
      'Filled: the place is booked.',
    );
  });

  it('open places and nobody pending or being prepared: no one left to ask', () => {
    const p = shiftProgress(facts({ filled: 1, sent: 3, accepted: 1, declined: 1, expired: 1 }), NOW);
    expect(p).toMatchObject({ state: 'exhausted', refreshSeconds: null });
    expect(p.headline).toBe('No one left to ask: 1 place is still open and every matching volunteer has had an offer.');
  });

  it('drafts, cancelled and started shifts send nothing', () => {
    expect(shiftProgress(facts({ status: 'draft' }), NOW).state).toBe('draft');
    expect(shiftProgress(facts({ status: 'cancelled', waiting: 1 }), NOW).state).toBe('cancelled');
    expect(shiftProgress(facts({ startsAt: new Date('2026-12-03T11:00:00Z'), waiting: 1 }), NOW).state).toBe('closed');
  });

  it('refreshes only while something is in progress, and never once the shift is full, cancelled or started', () => {
    const count = fc.integer({ min: 0, max: 50 });
    fc.assert(
      fc.property(
        fc.record({
          status: fc.constantFrom('draft', 'open', 'full', 'cancelled', 'completed'),
          capacity: fc.integer({ min: 1, max: 20 }),
          filled: fc.integer({ min: 0, max: 20 }),
          queued: count,
          queuedRecent: count,
          sent: count,
          waiting: count,
          accepted: count,
          declined: count,
          expired: count,
          withdrawn: count,
          preparing: fc.boolean(),
          started: fc.boolean(),
        }),
        ({ started, ...f }) => {
          const p = shiftProgress(
            {
              ...f,
              filled: Math.min(f.filled, f.capacity),
              queuedRecent: Math.min(f.queuedRecent, f.queued),
              startsAt: new Date(NOW.getTime() + (started ? -1 : 1) * 3600_000),
            },
            NOW,
          );
          if (started || f.status !== 'open' || f.filled >= f.capacity) expect(p.refreshSeconds).toBeNull();
          if (p.refreshSeconds === 5) expect(['preparing', 'sending']).toContain(p.state);
          expect(p.openPlaces).toBe(Math.max(0, f.capacity - Math.min(f.filled, f.capacity)));
          expect(p.headline).not.toMatch(/\b1 (places|offers)\b|\(s\)/);
        },
      ),
    );
  });
});
