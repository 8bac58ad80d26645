/**
 * Ranking of volunteers who already passed every hard rule for a shift. Pure arithmetic: the
 * inputs are counts the matching service reads from the database. Wellbeing answers are never
 * an input, by design — there is no field for them.
 */
import { formatWindow, type WeeklyWindow } from '../../common/index.js';

/**
 * The only place ranking weights live. Each component is first scored in [0, 1], then
 * multiplied by its weight; the weights sum to 1, so the total is in [0, 1] as well.
 * - distance (0.4): nearer people arrive more reliably and travel less; the strongest signal
 *   the product names first.
 * - niceSkills (0.2): share of the shift's nice-to-have skills the volunteer has. A bonus,
 *   not a gate — required skills are a hard rule elsewhere.
 * - reliability (0.25): attended vs no-show history (a late cancellation counts as half a
 *   no-show: it still leaves a gap, but the volunteer said so) with a prior, so a newcomer starts at a
 *   fair 0.8 instead of being ranked below everyone with a track record.
 * - freshness (0.15): fewer offers in the last 14 days ranks higher, spreading opportunities
 *   and avoiding notification fatigue.
 */
export const SCORE_WEIGHTS: { distance: number; niceSkills: number; reliability: number; freshness: number } =
  Object.freeze({ distance: 0.4, niceSkills: 0.2, reliability: 0.25, freshness: 0.15 });

export interface ScoreInput {
  distanceKm: number;
  /** The volunteer's own travel radius, km. */
  travelKm: number;
  niceSkillsMatched: number;
  niceSkillsTotal: number;
  attended: number;
  noShows: number;
  /** The volunteer's own cancellations inside the late window (LATE_CANCEL_HOURS). */
  lateCancellations: number;
  offersLast14Days: number;
}

/** Weighted contributions of each component (component score × weight); total is their sum. */
export interface ScoreBreakdown {
  distance: number;
  niceSkills: number;
  reliability: number;
  freshness: number;
  total: number;
}

const SCORE_INPUT_KEYS = [
  'distanceKm',
  'travelKm',
  'niceSkillsMatched',
  'niceSkillsTotal',
  'attended',
  'noShows',
  'lateCancellations',
  'offersLast14Days',
] as const satisfies readonly (keyof ScoreInput)[];

/** Half of the absolute-closeness score is lost at this distance. */
const DISTANCE_HALF_KM = 5;
/** Beta prior: as if every volunteer had attended 4 shifts and missed 1 (mean 0.8). */
const PRIOR_ATTENDED = 4;
const PRIOR_NO_SHOWS = 1;
/** How much of a no-show a late cancellation weighs: gently, as the product asks. */
const LATE_CANCEL_WEIGHT = 0.5;
/** Freshness halves after this many offers in 14 days. */
const FRESHNESS_HALF_OFFERS = 3;

export function scoreMatch(input: ScoreInput): ScoreBreakdown {
  for (const key of SCORE_INPUT_KEYS) {
    const value = input[key];
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a finite number >= 0, got ${value}`);
  }
  const distance = SCORE_WEIGHTS.distance * distanceScore(input.distanceKm, input.travelKm);
  const niceSkills = SCORE_WEIGHTS.niceSkills * niceSkillsScore(input.niceSkillsMatched, input.niceSkillsTotal);
  const reliability =
    SCORE_WEIGHTS.reliability *
    ((input.attended + PRIOR_ATTENDED) /
      (input.attended +
        input.noShows +
        LATE_CANCEL_WEIGHT * input.lateCancellations +
        PRIOR_ATTENDED +
        PRIOR_NO_SHOWS));
  const freshness = SCORE_WEIGHTS.freshness / (1 + input.offersLast14Days / FRESHNESS_HALF_OFFERS);
  // min(1, …): the weights' decimal sum can exceed 1 by one ulp in floating point.
  const total = Math.min(1, distance + niceSkills + reliability + freshness);
  return { distance, niceSkills, reliability, freshness, total };
}

/**
 * Mean of absolute closeness (1 at 0 km, ½ at 5 km) and the share of the volunteer's own
 * radius left over (how comfortable the trip is for them). Absolute closeness keeps a
 * long-radius volunteer far away from outranking a neighbour.
 */
function distanceScore(distanceKm: number, travelKm: number): number {
  const absolute = 1 / (1 + distanceKm / DISTANCE_HALF_KM);
  const relative = travelKm > 0 ? clamp01(1 - distanceKm / travelKm) : distanceKm === 0 ? 1 : 0;
  return (absolute + relative) / 2;
}

/** A shift without nice-to-have skills leaves nothing missing: full marks for everyone. */
function niceSkillsScore(matched: number, total: number): number {
  return total === 0 ? 1 : clamp01(matched / total);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

export interface ExplainInput {
  distanceKm: number;
  requiredSkills: string[];
  niceSkillsMatched: string[];
  window?: WeeklyWindow;
}

const MAX_SKILLS_SHOWN = 3;

/**
 * A short human reason for a match, e.g. '2.1 km away · has cooking, first aid · fits your
 * Tuesday 17:00–21:00'. Required skills come first (every match has them), then matched
 * nice-to-haves; slugs are shown with dashes as spaces.
 */
export function explainMatch(input: ExplainInput): string {
  const parts = [formatDistance(input.distanceKm)];
  const skills = [...new Set([...input.requiredSkills, ...input.niceSkillsMatched])].map((s) => s.replaceAll('-', ' '));
  if (skills.length > 0) {
    const shown = skills.slice(0, MAX_SKILLS_SHOWN).join(', ');
    const more = skills.length - MAX_SKILLS_SHOWN;
    parts.push(`has ${shown}${more > 0 ? ` +${more} more` : ''}`);
  }
  if (input.window) parts.push(`fits your ${formatWindow(input.window)}`);
  return parts.join(' · ');
}

function formatDistance(km: number): string {
  if (!Number.isFinite(km) || km < 0) throw new RangeError(`distanceKm must be a finite number >= 0, got ${km}`);
  if (km < 1) return 'under 1 km away';
  if (km < 10) return `${km.toFixed(1)} km away`; // "9.96" shows as "10.0", harmless
  return `${Math.round(km)} km away`;
}
