import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { NotFoundError } from '../common/index.js';
import { LazyDedicatedPool } from '../platform/index.js';
import type { ExclusionRule } from './core/exact-rules.js';
import type { CountRow, PairRow, ShiftCandidateRow, ShiftRow, VolunteerRow, WalkRow } from './core/rows.js';
import { SEARCH_POOL } from './search-pool.js';
import { countSql, pairSql } from './sql/exclusion-counts.sql.js';
import { bind, pgArray, shiftValues } from './sql/params.js';
import { SHIFT_WALK_SQL, VOLUNTEER_SQL } from './sql/shift-walk.sql.js';
import { SHIFT_SQL, walkCursorSql, walkSql } from './sql/volunteer-walk.sql.js';

/** Runs SQL with :name markers. */
export type Run = <T>(sql: string, values: Record<string, unknown>) => Promise<T[]>;

/** Where a shift search runs: `run` for single statements, `inTransaction` for the cursor. */
interface SearchDb {
  run: Run;
  inTransaction<T>(work: (run: Run) => Promise<T>): Promise<T>;
}

function runOn(db: pg.Pool | pg.PoolClient): Run {
  return async <T>(sql: string, values: Record<string, unknown>) =>
    (await db.query(...bind(sql, values, '$n'))).rows as T[];
}

/** The search pool: statements on any of its connections; a transaction on one checked out. */
function poolDb(pool: pg.Pool): SearchDb {
  return {
    run: runOn(pool),
    async inTransaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin isolation level repeatable read');
        const result = await work(runOn(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** Statements through the ORM (checkPair in its caller's transaction; diagnostics with SEARCH_SETTINGS_SQL). */
export function ormRun(em: EntityManager): Run {
  return <T>(sql: string, values: Record<string, unknown>) => em.execute<T[]>(...bind(sql, values));
}

export async function loadShift(run: Run, shiftId: string, roleId: string | null = null): Promise<ShiftRow> {
  const [row] = await run<ShiftRow>(SHIFT_SQL, { shift: shiftId, role: roleId });
  if (!row) throw new NotFoundError('The shift');
  return row;
}

/** Reads the next `count` rows of an open cursor. */
export type Fetch<T> = (count: number) => Promise<T[]>;

/** A volunteer's shift search, on one snapshot: the volunteer, then the cursor over shifts. */
export interface ShiftSearchSnapshot {
  volunteer(volunteerId: string): Promise<VolunteerRow>;
  openShiftWalk(volunteer: VolunteerRow): Promise<Fetch<ShiftCandidateRow>>;
}

export interface ShiftListing {
  timeZone: string;
  shifts: Map<string, { title: string; organisation_name: string }>;
}

/** Every query of the matching area. The searches run on their own pool (see search-pool.ts). */
@Injectable()
export class MatchingRepository implements OnApplicationShutdown {
  /** The shift search's own connections, opened with SEARCH_SETTINGS (see search-pool.ts). */
  private readonly searchPool: LazyDedicatedPool;

  constructor(private readonly em: EntityManager) {
    this.searchPool = new LazyDedicatedPool(em, SEARCH_POOL);
  }

  private get search(): SearchDb {
    return poolDb(this.searchPool.get());
  }

  onApplicationShutdown(): Promise<void> {
    return this.searchPool.release();
  }

  /** The shift a search is for, on the search pool. */
  shift(shiftId: string, roleId: string | null = null): Promise<ShiftRow> {
    return loadShift(this.search.run, shiftId, roleId);
  }

  /** The volunteer walk as one LIMIT query. */
  walkVolunteers(shift: ShiftRow, exclude: string[], limit: number): Promise<WalkRow[]> {
    return this.search.run<WalkRow>(walkSql(shift, limit), shiftValues(shift, exclude));
  }

  /** The volunteer walk after its first `offset` rows, through a cursor `work` reads in its own transaction. */
  walkVolunteersOnward<T>(
    shift: ShiftRow,
    exclude: string[],
    offset: number,
    work: (fetch: Fetch<WalkRow>) => Promise<T>,
  ): Promise<T> {
    return this.search.inTransaction(async (run) => {
      await run(walkCursorSql(shift, offset), shiftValues(shift, exclude));
      return work((count) => run<WalkRow>(`fetch ${count} from matching_walk`, {}));
    });
  }

  /** The exclusion counts' sample (see countSql). */
  countSample(shift: ShiftRow, exclude: string[]): Promise<CountRow[]> {
    return this.search.run<CountRow>(countSql(), shiftValues(shift, exclude));
  }

  /** The shift, on the caller's EntityManager (checkPair runs inside the caller's transaction). */
  shiftIn(em: EntityManager, shiftId: string, roleId: string | null = null): Promise<ShiftRow> {
    return loadShift(ormRun(em), shiftId, roleId);
  }

  /** One volunteer's label and facts for `shift`, on the caller's EntityManager; undefined when there is no such volunteer. */
  async pairIn(
    em: EntityManager,
    shift: ShiftRow,
    volunteerId: string,
    skip: readonly ExclusionRule[],
  ): Promise<PairRow | undefined> {
    const [row] = await ormRun(em)<PairRow>(pairSql(skip), { ...shiftValues(shift, []), volunteer: volunteerId });
    return row;
  }

  /** A volunteer's shift search, in one repeatable-read transaction on the search pool. */
  inShiftSearchSnapshot<T>(work: (snapshot: ShiftSearchSnapshot) => Promise<T>): Promise<T> {
    return this.search.inTransaction((run) =>
      work({
        async volunteer(volunteerId) {
          const [row] = await run<VolunteerRow>(VOLUNTEER_SQL, { volunteer: volunteerId });
          if (!row) throw new NotFoundError('The volunteer');
          return row;
        },
        async openShiftWalk(v) {
          const values = {
            home: v.home,
            travel: v.travel_m,
            skills: pgArray(v.skills),
            causes: v.causes,
            weekly: v.weekly_availability,
            zone: v.time_zone,
            away: v.away_dates,
            volunteer: v.id,
          };
          await run(SHIFT_WALK_SQL, values);
          return (count) => run<ShiftCandidateRow>(`fetch ${count} from shift_walk`, {}); // closes with the transaction
        },
      }),
    );
  }

  /** Volunteers' names by id, for the match list (none asked, no query). */
  async volunteerNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ account_id: string; name: string }> = await this.em
      .fork()
      .execute(`select account_id, name from volunteers where account_id = any(cast(? as uuid[]))`, [pgArray(ids)]);
    return new Map(rows.map((row) => [row.account_id, row.name]));
  }

  /** What a volunteer's shift list shows besides the search: their time zone, each shift's title and organisation. */
  async shiftListing(volunteerId: string, shiftIds: string[]): Promise<ShiftListing> {
    const em = this.em.fork();
    const [volunteer]: Array<{ time_zone: string }> = await em.execute(
      `select time_zone from volunteers where account_id = ?`,
      [volunteerId],
    );
    const rows: Array<{ id: string; title: string; organisation_name: string }> = await em.execute(
      `select s.id, s.title, o.name as organisation_name from shifts s join organisations o on o.id = s.organisation_id where s.id = any(cast(? as uuid[]))`,
      [pgArray(shiftIds)],
    );
    return { timeZone: volunteer.time_zone, shifts: new Map(rows.map((row) => [row.id, row])) };
  }
}
