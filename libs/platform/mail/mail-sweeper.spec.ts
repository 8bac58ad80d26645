import fc from 'fast-check';
import type { RequeueOutcome } from '../queue/job-requeue.service.js';
import { isMailStale, sweepPlan, type LapsedClaim } from './mail-sweeper.service.js';

describe('sweepPlan', () => {
  const claim = (id: string, claimedBy: string | null): LapsedClaim => ({ id, kind: 'offer', claimedBy });

  it('leaves claims of live jobs alone, counts requeued ones and gives back the ones no job can send', () => {
    const outcomes = new Map<string, RequeueOutcome>([
      ['job-live', 'live'],
      ['job-dead', 'requeued'],
      ['repeat:x', 'unknown'],
    ]);
    const plan = sweepPlan(
      [
        claim('1', 'job-live'),
        claim('2', 'job-dead'),
        claim('3', 'repeat:x'),
        claim('4', null),
        claim('5', 'call-gone'),
      ],
      outcomes,
    );
    expect(plan.requeued.map((c) => c.id)).toEqual(['2']);
    expect(plan.released.map((c) => c.id)).toEqual(['3', '4', '5']);
  });

  it('puts every claim in at most one list, and a live job’s claim in none', () => {
    const outcome = fc.constantFrom<RequeueOutcome>('live', 'requeued', 'unknown');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.option(fc.constantFrom('a', 'b', 'c', 'd')), outcome)),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), outcome),
        (rows, known) => {
          const claims = rows.map(([by], i) => claim(String(i), by));
          const outcomes = new Map(Object.entries(known));
          const { requeued, released } = sweepPlan(claims, outcomes);
          const ids = [...requeued, ...released].map((c) => c.id);
          expect(new Set(ids).size).toBe(ids.length);
          for (const c of claims) {
            const live = c.claimedBy !== null && outcomes.get(c.claimedBy) === 'live';
            expect(ids.includes(c.id)).toBe(!live);
          }
        },
      ),
    );
  });
});

describe('isMailStale', () => {
  it('is stale only past the threshold', () => {
    expect(isMailStale(0, 30)).toBe(false);
    expect(isMailStale(30 * 60, 30)).toBe(false);
    expect(isMailStale(30 * 60 + 1, 30)).toBe(true);
  });
});
