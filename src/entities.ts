import { IDENTITY_ENTITIES } from '../libs/identity/identity.entities.js';
import { ORGANISATION_ENTITIES } from '../libs/organisations/organisation.entities.js';
import { platformOrmConfig, type OrmOptions } from '../libs/platform/database/index.js';
import { VOLUNTEER_ENTITIES } from '../libs/volunteers/volunteer.entities.js';

/** Every area's entities: the one list api, worker, CLI and tests give the ORM. */
export const ENTITIES = [...IDENTITY_ENTITIES, ...ORGANISATION_ENTITIES, ...VOLUNTEER_ENTITIES];

/** One MikroORM configuration for api, worker, CLI and tests; only the URL (and pool) differ. */
export function mikroOrmConfig(databaseUrl: string, options: Omit<OrmOptions, 'entities'> = {}) {
  return platformOrmConfig(databaseUrl, { ...options, entities: ENTITIES });
}
