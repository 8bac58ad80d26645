import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { OutboxMessage } from '../queue/outbox.entity.js';
import { EmailDelivery } from '../mail/email-delivery.entity.js';
import { MIGRATIONS } from './migrations/index.js';

/** The platform's own tables; the areas' entities are added by the composition roots (src/entities.ts). */
export const PLATFORM_ENTITIES = [OutboxMessage, EmailDelivery];

export interface OrmOptions {
  entities: ReadonlyArray<new (...args: any[]) => object>;
  debug?: boolean;
  poolMax?: number;
}

/** One MikroORM configuration for api, worker, CLI and tests; only the URL differs. */
export function platformOrmConfig(databaseUrl: string, options: OrmOptions) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: [...PLATFORM_ENTITIES, ...options.entities],
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
