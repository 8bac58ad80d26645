import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../common/index.js';
import { distanceKm } from './core/distance.js';
import { ExactRules, type ExclusionRule } from './core/exact-rules.js';
import { COUNT_SAMPLE, tally } from './core/exclusion-counts.js';
import {
  RANK_POOL,
  SEARCH_RADIUS_M,
  rankInPools,
  shiftIfFits,
  takeBatch,
  toMatch,
  type Match,
  type PairFit,
  type ShiftForVolunteer,
  type WalkResult,
} from './core/matches.js';
import type { ShiftRow, VolunteerRow } from './core/rows.js';
import { MatchingRepository, type ShiftListing, type ShiftSearchSnapshot } from './matching.repository.js';

export interface ShiftMatches {
  matches: Match[];
  /**
   * The answer to "why so few?": the volunteers nearest to the shift who could reach it (it lies
   * within their own travel distance), at most COUNT_SAMPLE of them and none farther than the
   * search went, each counted once under the FIRST rule they fail in EXCLUSION_RULES order. The
   * rest were eligible, so totalCandidates = sum(excluded) + eligible among them.
   */
  excluded: Record<ExclusionRule, number>;
  /** How many volunteers the counts cover. */
  totalCandidates: number;
  /** True when the counts cover everyone within reach of the shift (no sample limit hit). */
  complete: boolean;
  /** Distance of the farthest volunteer the counts cover (the whole 202 km when complete). */
  examinedRadiusKm: number;
}

/**
 * Finds volunteers for a shift and shifts for a volunteer.
 *
 * For a shift, a nearest-first KNN index scan walks the matchable volunteers (over the partial
 * index of the shift's rarest required skill, when it has one), every rule the database can
 * test applied as a filter while walking, read through a cursor in bounded batches until enough
 * matches are found or the 200 km radius is exhausted. The rules the database only approximates
 * (wall-clock availability near DST changes, the weekly cap in the volunteer's zone, spheroid
 * distance) are decided by the pure core on that short list, which also scores and explains.
 * The exclusion counts come from a second bounded KNN query over all volunteers within reach,
 * labelling each with the first rule it fails.
 */
@Injectable()
export class MatchingService {
  constructor(private readonly repository: MatchingRepository) {}

  async findMatchesForShift(
    shiftId: string,
    options: {
      limit: number;
      offset?: number;
      excludeVolunteerIds?: string[];
      /** False skips the exclusion counts (the offer waves only need the matches): they come back all zero. */
      counts?: boolean;
      /** Match for this role of the shift (its skills on top of the shift's); default the first role. */
      roleId?: string | null;
    },
  ): Promise<ShiftMatches> {
    const offset = options.offset ?? 0;
    const wanted = Math.ceil((offset + options.limit) / RANK_POOL) * RANK_POOL;
    const shift = await this.repository.shift(shiftId, options.roleId ?? null);
    const exclude = options.excludeVolunteerIds ?? [];
    const exact = new ExactRules();
    // The walk and the counts sample are independent queries: they run side by side on two
    // pooled connections and meet here.
    const [walk, sample] = await Promise.all([
      this.walkVolunteers(shift, exclude, wanted, exact),
      options.counts === false ? [] : this.repository.countSample(shift, exclude),
    ]);
    const counts = tally(shift, sample, walk.exhausted ? Infinity : walk.stopM, exact);
    const complete = walk.exhausted && sample.length < COUNT_SAMPLE;
    return {
      matches: rankInPools(walk.eligible).slice(offset, offset + options.limit),
      excluded: counts.excluded,
      totalCandidates: counts.total,
      complete,
      examinedRadiusKm: (complete ? SEARCH_RADIUS_M : counts.radiusM) / 1000,
    };
  }

  /**
   * Whether one volunteer passes every hard rule for one shift, right now: the counts' rule labels
   * (labelSql) for this one row, the walk's reach test and the pure core where the database only
   * approximates — the searches' own rules, not a copy. Runs on the caller's EntityManager, so a
   * booking checks inside its own transaction, after taking its locks. `skip` leaves rules out
   * (self-booking skips 'already_offered': their own offer is withdrawn when they book).
   */
  async checkPair(
    em: EntityManager,
    shiftId: string,
    volunteerId: string,
    skip: readonly ExclusionRule[] = [],
    roleId: string | null = null,
  ): Promise<PairFit> {
    const shift = await this.repository.shiftIn(em, shiftId, roleId);
    const row = await this.repository.pairIn(em, shift, volunteerId, skip);
    if (!row) throw new NotFoundError('The volunteer');
    if (row.label !== 'eligible' && !row.label.startsWith('uncertain'))
      return { ok: false, rule: row.label as ExclusionRule };
    const km = distanceKm(row, shift);
    if (km * 1000 > row.travel_m) return { ok: false, rule: 'too_far' };
    const verdict = new ExactRules().verdict(shift.starts_ms, shift.ends_ms, row);
    return verdict.ok
      ? { ok: true, match: toMatch(shift, row, km, verdict.window) }
      : { ok: false, rule: verdict.rule };
  }

  async findShiftsForVolunteer(
    volunteerId: string,
    options: { limit: number; offset?: number },
  ): Promise<ShiftForVolunteer[]> {
    const offset = options.offset ?? 0;
    // One snapshot for the volunteer and the cursor over shifts.
    return this.repository.inShiftSearchSnapshot(async (snapshot) => {
      const volunteer = await snapshot.volunteer(volunteerId);
      if (!volunteer.matchable) return [];
      const found = await this.walkShifts(snapshot, volunteer, offset + options.limit);
      return found.slice(offset, offset + options.limit);
    });
  }

  /** Volunteers' names by id, for the match list. */
  volunteerNames(ids: string[]): Promise<Map<string, string>> {
    return this.repository.volunteerNames(ids);
  }

  /** What a volunteer's list of shifts shows besides the search: their time zone, the shifts' titles and organisations. */
  shiftListing(volunteerId: string, shiftIds: string[]): Promise<ShiftListing> {
    return this.repository.shiftListing(volunteerId, shiftIds);
  }

  private async walkVolunteers(
    shift: ShiftRow,
    exclude: string[],
    wanted: number,
    exact: ExactRules,
  ): Promise<WalkResult> {
    const result: WalkResult = { eligible: [], exhausted: false, stopM: 0, seen: new Set() };
    // The database's filter is nearly exact, so one plain LIMIT query usually finishes the walk;
    // only if the core rejected too many does a cursor carry on after those rows.
    const first = wanted + 4;
    const rows = await this.repository.walkVolunteers(shift, exclude, first);
    if (takeBatch(shift, rows, first, exact, result) || result.eligible.length >= wanted) return result;
    return this.repository.walkVolunteersOnward(shift, exclude, first, async (fetch) => {
      let batch = Math.max(64, wanted - result.eligible.length);
      while (result.eligible.length < wanted) {
        const more = await fetch(batch);
        if (takeBatch(shift, more, batch, exact, result)) break;
        batch = Math.max(64, wanted - result.eligible.length);
      }
      return result;
    });
  }

  private async walkShifts(
    snapshot: ShiftSearchSnapshot,
    v: VolunteerRow,
    wanted: number,
  ): Promise<ShiftForVolunteer[]> {
    const fetch = await snapshot.openShiftWalk(v);
    const found: ShiftForVolunteer[] = [];
    const exact = new ExactRules();
    let batch = wanted + 8;
    for (;;) {
      const rows = await fetch(batch);
      for (const row of rows) {
        const match = shiftIfFits(v, row, exact);
        if (match) found.push(match);
      }
      if (found.length >= wanted || rows.length < batch) break;
      batch = Math.max(64, wanted - found.length);
    }
    return found;
  }
}
