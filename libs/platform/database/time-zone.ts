import type { EntityManager } from '@mikro-orm/postgresql';

/** PostgreSQL's "time zone … not recognized" (invalid_parameter_value). */
const UNKNOWN_ZONE = '22023';

/**
 * Whether PostgreSQL knows `zone`. Its tzdata and the ICU data that validates zones in the api
 * are separate copies and can disagree (e.g. US/Pacific-New); the volunteers' CHECK and every
 * query that expands local times use PostgreSQL's.
 */
export async function databaseKnowsZone(em: EntityManager, zone: string): Promise<boolean> {
  try {
    await em.execute(`select timezone(?, timestamptz '2000-01-01 00:00Z')`, [zone]);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === UNKNOWN_ZONE) return false;
    throw error;
  }
}
