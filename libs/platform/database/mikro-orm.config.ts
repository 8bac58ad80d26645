import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { IDENTITY_ENTITIES } from '../../identity/identity.entities.js';
import { ORGANISATION_ENTITIES } from '../../organisations/organisation.entities.js';
import { VOLUNTEER_ENTITIES } from '../../volunteers/volunteer.entities.js';
import { OutboxMessage } from '../queue/outbox.entity.js';
import { EmailDelivery } from '../mail/email-delivery.entity.js';
import { MIGRATIONS } from './migrations/index.js';

export const ENTITIES = [
  ...IDENTITY_ENTITIES,
  ...ORGANISATION_ENTITIES,
  ...VOLUNTEER_ENTITIES,
  OutboxMessage,
  EmailDelivery,
];

/** One MikroORM configuration for api, worker, CLI and tests; only the URL differs. */
export function mikroOrmConfig(databaseUrl: string, options: { debug?: boolean; poolMax?: number } = {}) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, silent: true, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: options.poolMax ?? 10 },
    debug: options.debug ?? false,
    allowGlobalContext: false,
    // Entities are never serialised to clients; controllers map them to DTOs.
    forceUtcTimezone: true,
  });
}
