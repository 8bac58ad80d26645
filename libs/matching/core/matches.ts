import { distanceKm } from './distance.js';
import { explainMatch, scoreMatch, type ScoreBreakdown } from './score.js';
import type { ExactRules, FitRule, MatchWindow, VolunteerFacts } from './exact-rules.js';
import type { ShiftCandidateRow, ShiftRow, VolunteerRow, WalkRow } from './rows.js';

export interface Match {
  volunteerId: string;
  score: ScoreBreakdown;
  distanceKm: number;
  explanation: string;
  window: MatchWindow;
}

export interface ShiftForVolunteer {
  shiftId: string;
  distanceKm: number;
  explanation: string;
  startsAt: Date;
  endsAt: Date;
  score: ScoreBreakdown;
}

export type PairFit = { ok: true; match: Match } | { ok: false; rule: FitRule };

/**
 * Matches are ranked by score inside consecutive pools of this many eligible volunteers taken
 * nearest first: pool 1 holds the 50 nearest eligible, ranked; pool 2 the next 50, and so on.
 * A page is a slice of that one well-defined order, so pages never overlap or skip, and the
 * search only has to find offset + limit (rounded up to a pool) eligible volunteers instead of
 * scoring everyone within 200 km. Distance is the heaviest score weight anyway.
 */
export const RANK_POOL = 50;
/** The largest travel radius a volunteer may choose (volunteers.travel_km check), plus 1 %
 *  because the walk measures on the sphere and the travel rule on the WGS84 spheroid. */
export const SEARCH_RADIUS_M = 202_000;
/** Sphere and spheroid distances differ by < 0.6 %: within 1 % either way the core decides. */
export const SPHERE_MARGIN = 1.01;

export interface WalkResult {
  eligible: Match[];
  exhausted: boolean;
  stopM: number;
  /** Volunteers already taken (the cursor reads a newer snapshot than the first query). */
  seen: Set<string>;
}

/** Adds a batch's exact matches; true when the batch was short, i.e. the walk is exhausted. */
export function takeBatch(
  shift: ShiftRow,
  rows: WalkRow[],
  asked: number,
  exact: ExactRules,
  result: WalkResult,
): boolean {
  for (const row of rows) {
    if (result.seen.has(row.id)) continue;
    result.seen.add(row.id);
    const match = matchIfExact(shift, row, exact);
    if (match) result.eligible.push(match);
  }
  if (rows.length < asked) return (result.exhausted = true);
  result.stopM = rows[rows.length - 1].knn_m;
  return false;
}

export function matchIfExact(shift: ShiftRow, row: WalkRow, exact: ExactRules): Match | null {
  const km = distanceKm(row, shift);
  if (km * 1000 > row.travel_m) return null; // the walk tested reach on the sphere, 1 % wide
  const verdict = exact.verdict(shift.starts_ms, shift.ends_ms, row);
  return verdict.ok ? toMatch(shift, row, km, verdict.window) : null;
}

export function toMatch(shift: ShiftRow, row: WalkRow, km: number, window: MatchWindow): Match {
  const nice = shift.nice_skills.filter((s) => row.skills.includes(s));
  return {
    volunteerId: row.id,
    distanceKm: km,
    score: scoreFor(km, row.travel_km, nice.length, shift.nice_skills.length, row),
    explanation: explainMatch({
      distanceKm: km,
      requiredSkills: shift.required_skills,
      niceSkillsMatched: nice,
      window,
    }),
    window,
  };
}

export function scoreFor(
  km: number,
  travelKm: number,
  niceMatched: number,
  niceTotal: number,
  facts: VolunteerFacts,
): ScoreBreakdown {
  return scoreMatch({
    distanceKm: km,
    travelKm,
    niceSkillsMatched: niceMatched,
    niceSkillsTotal: niceTotal,
    attended: facts.history[0],
    noShows: facts.history[1],
    lateCancellations: facts.history[2],
    offersLast14Days: facts.recent_offers,
  });
}

/** Score order inside each RANK_POOL of the nearest-first list; ties: nearer, then id. */
export function rankInPools(nearestFirst: Match[]): Match[] {
  const ranked: Match[] = [];
  for (let i = 0; i < nearestFirst.length; i += RANK_POOL) {
    const pool = nearestFirst.slice(i, i + RANK_POOL);
    pool.sort(
      (a, b) =>
        b.score.total - a.score.total || a.distanceKm - b.distanceKm || a.volunteerId.localeCompare(b.volunteerId),
    );
    ranked.push(...pool);
  }
  return ranked;
}

export function shiftIfFits(v: VolunteerRow, row: ShiftCandidateRow, exact: ExactRules): ShiftForVolunteer | null {
  const verdict = exact.verdict(row.starts_ms, row.ends_ms, { ...v, overlaps_booking: row.overlaps_booking });
  if (!verdict.ok) return null;
  const km = distanceKm(v, row);
  const nice = row.nice_skills.filter((s) => v.skills.includes(s));
  return {
    shiftId: row.id,
    distanceKm: km,
    explanation: explainMatch({
      distanceKm: km,
      requiredSkills: row.required_skills,
      niceSkillsMatched: nice,
      window: verdict.window,
    }),
    startsAt: new Date(row.starts_ms),
    endsAt: new Date(row.ends_ms),
    score: scoreFor(km, v.travel_km, nice.length, row.nice_skills.length, v),
  };
}
