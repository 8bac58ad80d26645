import { EXCLUSION_RULES, type ExactRules, type ExclusionRule, type VolunteerFacts } from './exact-rules.js';
import type { CountRow, ShiftRow } from './rows.js';

/** The exclusion counts cover at most this many of the nearest volunteers within reach. */
export const COUNT_SAMPLE = 200;

export type Counts = Record<ExclusionRule, number>;

export function emptyCounts(): Counts {
  return Object.fromEntries(EXCLUSION_RULES.map((rule) => [rule, 0])) as Counts;
}

/**
 * The counts over the sampled volunteers no farther than `radiusM` (the walk's reach, so the
 * counts describe the volunteers the search went through, not farther ones).
 */
export function tally(shift: ShiftRow, sample: CountRow[], radiusM: number, exact: ExactRules) {
  const excluded = emptyCounts();
  let total = 0;
  let farthest = 0;
  for (const row of sample) {
    if (row.knn_m > radiusM) continue;
    const label = row.facts ? exactLabel(shift, row.facts, exact) : row.label;
    if (label !== 'eligible') excluded[label as ExclusionRule] += 1;
    total += 1;
    farthest = Math.max(farthest, row.knn_m);
  }
  return { excluded, total, radiusM: farthest };
}

export function exactLabel(shift: ShiftRow, facts: VolunteerFacts, exact: ExactRules): ExclusionRule | 'eligible' {
  const verdict = exact.verdict(shift.starts_ms, shift.ends_ms, facts);
  return verdict.ok ? 'eligible' : verdict.rule;
}
