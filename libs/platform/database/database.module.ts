import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { platformOrmConfig, type OrmOptions } from './mikro-orm.config.js';

@Global()
@Module({})
export class DatabaseModule {
  /** The process's one ORM; its composition root passes the areas' entities. */
  static forRoot(entities: OrmOptions['entities']): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          driver: PostgreSqlDriver,
          // A job may hold a transaction and open a second connection (e.g. to commit a link token at
          // once), so the pool must fit two per concurrent job or a burst of jobs deadlocks it.
          useFactory: (config: AppConfig) =>
            platformOrmConfig(config.DATABASE_URL, { entities, poolMax: 2 * config.WORKER_CONCURRENCY + 2 }),
        }),
      ],
    };
  }
}
