import { Global, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { mikroOrmConfig } from './mikro-orm.config.js';

@Global()
@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      driver: PostgreSqlDriver,
      // A job may hold a transaction and open a second connection (e.g. to commit a link token at
      // once), so the pool must fit two per concurrent job or a burst of jobs deadlocks it.
      useFactory: (config: AppConfig) =>
        mikroOrmConfig(config.DATABASE_URL, { poolMax: 2 * config.WORKER_CONCURRENCY + 2 }),
    }),
  ],
})
export class DatabaseModule {}
