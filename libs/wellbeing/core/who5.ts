/**
 * The WHO-5 Well-Being Index (WHO Regional Office for Europe, 1998), worded as published. Each item
 * is answered for the last two weeks on a 0–5 scale; the raw score is 0–25 and ×4 gives a percentage.
 * Support, never diagnosis: these thresholds only decide which supportive words and help to show.
 */
export const WHO5_CREDIT = 'WHO-5 Well-Being Index © World Health Organization, Regional Office for Europe (1998).';
export const WHO5_INTRO =
  'Please indicate for each of the five statements which is closest to how you have been feeling over the last two weeks.';
export const WHO5_ITEMS = [
  'I have felt cheerful and in good spirits',
  'I have felt calm and relaxed',
  'I have felt active and vigorous',
  'I woke up feeling fresh and rested',
  'My daily life has been filled with things that interest me',
] as const;
/** Answer labels, index = score. */
export const WHO5_SCALE = [
  'At no time',
  'Some of the time',
  'Less than half of the time',
  'More than half of the time',
  'Most of the time',
  'All of the time',
] as const;

export const MOOD_QUESTION = 'How do you feel after today’s shift?';
/** Mood answers, index + 1 = score (1 = worst, 5 = best). */
export const MOOD_SCALE = ['Very low', 'Low', 'Okay', 'Good', 'Very good'] as const;

export type Concern = 'none' | 'low' | 'very_low';

export interface Who5Result {
  raw: number;
  percentage: number;
  concern: Concern;
}

/** Raw score below 13 or any item at 0 or 1 suggests low well-being; 28 % or less calls for a clearer nudge. */
export function scoreWho5(items: readonly number[]): Who5Result {
  if (items.length !== 5 || items.some((item) => !Number.isInteger(item) || item < 0 || item > 5)) {
    throw new RangeError('WHO-5 needs five answers, each a whole number from 0 to 5');
  }
  const raw = items.reduce((sum, item) => sum + item, 0);
  const percentage = raw * 4;
  const concern: Concern = percentage <= 28 ? 'very_low' : raw < 13 || items.some((item) => item <= 1) ? 'low' : 'none';
  return { raw, percentage, concern };
}

/** A mood of 1 or 2 ("very low", "low") gets the supportive words and help resources. */
export function moodConcern(mood: number): Concern {
  if (!Number.isInteger(mood) || mood < 1 || mood > 5) throw new RangeError('mood must be a whole number from 1 to 5');
  return mood <= 2 ? 'low' : 'none';
}
